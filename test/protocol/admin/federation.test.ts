// Issue 16: federated sign-in over OpenID Connect against a real provider (oidc-provider) on
// loopback, never a mock of our client: conflicts before enabling, a first sign-in that creates
// a Staff account, a later one that maps to it, an account disabled at the provider, and
// tampered answers refused and audited: replayed or expired state, PKCE, and ID tokens forged
// between us and the provider's token endpoint (test/support/oidc-forging-proxy.ts) with a wrong
// aud, iss, nonce, sub, exp or iat, another key, alg none, HS256 or an alg the provider does not
// advertise. The provider signs with a key made here, so the proxy can re-sign a token whose
// one claim it changed with the genuine key, and each test isolates one check.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK } from 'jose';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { startDnsStub, type DnsStub } from '../../support/dns-stub.js';
import { resign, startForgingProxy, unsigned, type ForgingProxy } from '../../support/oidc-forging-proxy.js';
import { startTestProvider, type ProviderUser, type TestProvider } from '../../support/oidc-test-provider.js';

describe('federated authentication (OpenID Connect, against oidc-provider)', () => {
  let t: TestOrchard;
  let dns: DnsStub;
  let idp: TestProvider;
  let proxy: ForgingProxy;
  let issuer: string;
  let providerKey: KeyObject;
  let federationId: string;
  const redirectUri = () => `${t.deps.config.baseUrl}/portal/federation/callback`;
  const admin = () => ({
    get: (p: string) => request(t.app).get(p).set('Authorization', `Bearer ${t.adminToken}`),
    post: (p: string, b?: object) => request(t.app).post(p).set('Authorization', `Bearer ${t.adminToken}`).send(b),
  });

  before(async () => {
    dns = await startDnsStub();
    t = await buildTestOrchard({ dnsServers: [dns.server] });
    // Orchard and the browser reach the provider only through the proxy, which is its issuer.
    proxy = await startForgingProxy();
    providerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    idp = await startTestProvider({
      redirectUri: redirectUri(), issuer: proxy.url, cookieKey: 'federation-test-key',
      jwks: { keys: [{ ...(await exportJWK(providerKey)), kid: 'provider-1', alg: 'RS256', use: 'sig' }] },
      // Advertises HS256 too, as some providers do: the alg check alone then lets an HMAC token
      // through, and only the signature check (against the JWKS) refuses it.
      idTokenSigningAlgValues: ['RS256', 'HS256'],
    });
    proxy.target = idp.directUrl;
    issuer = proxy.url;
  });
  after(async () => {
    await idp.close();
    await proxy.close();
    await dns.close();
  });

  /** A browser: follows the provider's redirects (keeping its cookies) until it is sent back to Orchard. */
  async function browse(start: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(start);
    for (let i = 0; i < 12; i++) {
      if (url.href.startsWith(redirectUri())) return url;
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) {
        const kv = c.split(';')[0]!;
        jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider stopped at ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }
  const startSignIn = async () => {
    const res = await request(t.app).post('/api/v1/federation/sign-in').send({ federation_id: federationId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const url = new URL(res.body.authorization_url);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('state') && url.searchParams.get('nonce') && url.searchParams.get('code_challenge'));
    return url.href;
  };
  const finish = (back: URL) => request(t.app).post('/api/v1/federation/callback').send({ query: back.search.slice(1) });
  const denied = async (reason: string) => (t.db.prepare("SELECT detail FROM audit_log WHERE action = 'federated_sign_in' AND outcome = 'denied'").all() as Array<{ detail: string }>)
    .filter((e) => JSON.parse(e.detail).reason === reason);

  it('links a verified domain, shows the conflicts, migrates and enables', async () => {
    const added = await admin().post('/api/v1/domains', { name: 'pear.test' });
    dns.txt.set('pear.test', [[added.body.txt_record.value]]);
    assert.equal((await admin().post(`/api/v1/domains/${added.body.id}/verify`)).status, 200);
    const existing = await admin().post('/api/v1/accounts', { email: 'old.timer@pear.test', roles: ['DeviceManager'], password: 'a long passphrase 9' });
    assert.equal(existing.status, 201);

    const unverified = await admin().post('/api/v1/domains', { name: 'later.test' });
    const early = await admin().post('/api/v1/federations', { domain_id: unverified.body.id, issuer, client_id: 'orchard', client_secret: 'orchard-secret' });
    assert.deepEqual([early.status, early.body.error.code], [400, 'domain_not_verified']);

    const made = await admin().post('/api/v1/federations', { domain_id: added.body.id, issuer, client_id: 'orchard', client_secret: 'orchard-secret' });
    assert.equal(made.status, 201);
    assert.equal(made.body.enabled, false);
    federationId = made.body.id;
    // Not enabled: no sign-in.
    assert.equal((await request(t.app).post('/api/v1/federation/sign-in').send({ federation_id: federationId })).status, 404);

    const conflicts = await admin().get(`/api/v1/federations/${federationId}/conflicts`);
    assert.deepEqual(conflicts.body, { managed_apple_ids: ['old.timer@pear.test'], personal_apple_ids: ['jo.appleseed@pear.test'], claimed_by_another_organisation: false });
    const refused = await admin().post(`/api/v1/federations/${federationId}/enable`);
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.details.conflicts.managed_apple_ids], [409, 'federation_conflicts', ['old.timer@pear.test']]);
    assert.deepEqual((await admin().post(`/api/v1/federations/${federationId}/migrate`)).body, { migrated: 1 });
    assert.deepEqual((await admin().get(`/api/v1/federations/${federationId}/conflicts`)).body.managed_apple_ids, []);
    const enabled = await admin().post(`/api/v1/federations/${federationId}/enable`);
    assert.deepEqual([enabled.status, enabled.body.enabled], [200, true]);
  });

  it('creates a Staff account on the first sign-in and maps the next one to it', async () => {
    idp.users.set('u-1001', { email: 'new.person@pear.test', given_name: 'New', family_name: 'Person' });
    idp.signingIn = 'u-1001';
    const first = await finish(await browse(await startSignIn()));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual([first.body.email, first.body.roles], ['new.person@pear.test', ['Staff']]);
    const cookie = first.headers['set-cookie']![0]!.split(';')[0]!;
    const me = await request(t.app).get('/api/v1/me').set('Cookie', cookie);
    assert.deepEqual([me.status, me.body.given_name, me.body.family_name], [200, 'New', 'Person']);

    const again = await finish(await browse(await startSignIn()));
    assert.equal(again.body.account_id, first.body.account_id);
    const all = (await admin().get('/api/v1/accounts')).body.items.filter((a: { email: string }) => a.email === 'new.person@pear.test');
    assert.equal(all.length, 1);

    // A migrated Managed Apple ID maps to the provider's account with its address.
    idp.users.set('u-1002', { email: 'old.timer@pear.test', given_name: 'Old', family_name: 'Timer' });
    idp.signingIn = 'u-1002';
    const migrated = await finish(await browse(await startSignIn()));
    assert.deepEqual([migrated.status, migrated.body.roles], [200, ['DeviceManager']]);
  });

  it('refuses an account disabled at the provider (the provider ends the sign-in), audited', async () => {
    idp.users.set('u-1003', { email: 'gone@pear.test', given_name: 'Gone', family_name: 'Away', disabled: true });
    idp.signingIn = 'u-1003';
    const back = await browse(await startSignIn());
    assert.equal(back.searchParams.get('error'), 'access_denied');
    const res = await finish(back);
    assert.deepEqual([res.status, res.body.error.code], [401, 'federation_refused']);
    assert.ok((await denied('provider_response_rejected')).length >= 1);
    assert.equal((await admin().get('/api/v1/accounts')).body.items.some((a: { email: string }) => a.email === 'gone@pear.test'), false);
  });

  it('refuses a replayed state, a wrong issuer and a wrong nonce, audited, creating nothing', async () => {
    idp.users.set('u-1004', { email: 'forger@pear.test', given_name: 'F', family_name: 'G' });
    idp.signingIn = 'u-1004';
    // Replay: the same answer twice.
    const back = await browse(await startSignIn());
    assert.equal((await finish(back)).status, 200);
    const replay = await finish(back);
    assert.deepEqual([replay.status, replay.body.error.details.reason], [401, 'unknown_state']);

    // Wrong issuer in the answer (RFC 9207 `iss`).
    const forged = await browse(await startSignIn());
    forged.searchParams.set('iss', 'http://127.0.0.1:1');
    const wrongIssuer = await finish(forged);
    assert.deepEqual([wrongIssuer.status, wrongIssuer.body.error.details.reason], [401, 'provider_response_rejected']);

    // The ID token's nonce is not the one this sign-in sent.
    const start = await startSignIn();
    t.db.prepare('UPDATE oidc_logins SET nonce = ? WHERE state = ?').run('not-the-nonce', new URL(start).searchParams.get('state'));
    const wrongNonce = await finish(await browse(start));
    assert.deepEqual([wrongNonce.status, wrongNonce.body.error.details.reason], [401, 'provider_response_rejected']);
    const problems = (await denied('provider_response_rejected')).map((e) => JSON.parse(e.detail) as { check?: string; problem: string });
    const said = JSON.stringify(problems);
    assert.ok(problems.some((p) => p.check === 'iss' || /iss/.test(p.problem)), said);
    assert.ok(problems.some((p) => p.check === 'nonce' || /nonce/.test(p.problem)), said);
  });

  describe('ID tokens forged between Orchard and the token endpoint', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const accountCount = () => (t.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    const sessionCount = () => (t.db.prepare('SELECT count(*) AS n FROM portal_sessions').get() as { n: number }).n;
    const lastDenied = () => JSON.parse((t.db.prepare("SELECT detail FROM audit_log WHERE action = 'federated_sign_in' AND outcome = 'denied' ORDER BY rowid DESC LIMIT 1").get() as { detail: string }).detail) as { reason: string; check?: string; problem: string };
    let n = 0;
    /** A first sign-in of a new person whose ID token `forge` rewrites; the answer, after checking it created nothing. */
    async function signInForged(forge: (idToken: string) => Promise<string> | string) {
      const sub = `u-forged-${++n}`;
      idp.users.set(sub, { email: `forged.${n}@pear.test`, given_name: 'For', family_name: 'Ged' });
      idp.signingIn = sub;
      const [accounts, sessions, forged] = [accountCount(), sessionCount(), proxy.forged];
      proxy.forgeNext(forge);
      const res = await finish(await browse(await startSignIn()));
      assert.equal(proxy.forged, forged + 1, 'the forged token was served');
      if (res.status !== 200) {
        assert.deepEqual([accountCount(), sessionCount()], [accounts, sessions], 'a refusal creates no account or session');
        assert.equal(res.headers['set-cookie'], undefined);
      }
      return res;
    }
    async function refused(forge: (idToken: string) => Promise<string> | string, check: string, reason = 'provider_response_rejected') {
      const res = await signInForged(forge);
      assert.deepEqual([res.status, res.body.error?.code, res.body.error?.details?.reason], [401, 'federation_refused', reason], JSON.stringify(res.body));
      const audit = lastDenied();
      assert.deepEqual([audit.reason, audit.check], [reason, check], JSON.stringify(audit));
    }

    it('accepts the provider\'s token re-signed unchanged with its own key (the forgeries below differ by one thing)', async () => {
      const res = await signInForged((tok) => resign(tok, () => {}, providerKey));
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
    it('refuses a wrong audience (aud)', () => refused((tok) => resign(tok, (c) => ({ ...c, aud: 'another-client' }), providerKey), 'aud'));
    it('refuses a wrong issuer (iss)', () => refused((tok) => resign(tok, (c) => ({ ...c, iss: 'http://127.0.0.1:1' }), providerKey), 'iss'));
    it('refuses a wrong nonce', () => refused((tok) => resign(tok, (c) => ({ ...c, nonce: 'a-nonce-of-another-sign-in' }), providerKey), 'nonce'));
    it('refuses an expired token (exp)', () => refused((tok) => resign(tok, (c) => ({ ...c, iat: now() - 7200, exp: now() - 3600 }), providerKey), 'exp'));
    it('refuses a token issued in the future (iat)', () => refused((tok) => resign(tok, (c) => ({ ...c, iat: now() + 86_400, exp: now() + 90_000 }), providerKey), 'iat'));
    it('refuses a token for another subject than UserInfo\'s (sub)', () => refused((tok) => resign(tok, (c) => ({ ...c, sub: 'u-1001' }), providerKey), 'sub'));
    it('refuses a token signed with another key under the provider\'s kid (signature)', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      await refused((tok) => resign(tok, () => {}, other), 'signature');
    });
    it('refuses alg "none"', () => refused((tok) => unsigned(tok), 'alg'));
    it('refuses HS256 (advertised) signed with a guessed secret: no HMAC key is in the JWKS', () => refused((tok) => resign(tok, () => {}, new TextEncoder().encode('orchard-secret'), 'HS256'), 'alg'));
    it('refuses an alg the provider does not advertise (PS256, even with its own key)', () => refused((tok) => resign(tok, () => {}, providerKey, 'PS256'), 'alg'));
  });

  it('refuses an email outside the federated domain, or unverified, audited, creating nothing', async () => {
    for (const [sub, u] of [['u-2001', { email: 'someone@elsewhere.test', given_name: 'S', family_name: 'E' }], ['u-2002', { email: 'unverified@pear.test', given_name: 'U', family_name: 'V', email_verified: false }]] as const) {
      idp.users.set(sub, u);
      idp.signingIn = sub;
      const res = await finish(await browse(await startSignIn()));
      assert.deepEqual([res.status, res.body.error.code, res.body.error.details.reason], [401, 'federation_refused', 'email_not_in_domain']);
      assert.equal((await admin().get('/api/v1/accounts')).body.items.some((a: { email: string }) => a.email === u.email), false);
    }
    assert.equal((await denied('email_not_in_domain')).length, 2);
  });

  it('refuses a code redeemed under another sign-in (PKCE verifier mismatch) and an expired sign-in, audited', async () => {
    idp.users.set('u-3001', { email: 'victim@pear.test', given_name: 'V', family_name: 'Ictim' });
    idp.signingIn = 'u-3001';
    // Code injection: the victim's code, sent back with the attacker's own sign-in (its state and verifier).
    const victims = await browse(await startSignIn());
    const attackers = new URL(await startSignIn());
    victims.searchParams.set('state', attackers.searchParams.get('state')!);
    const injected = await finish(victims);
    assert.deepEqual([injected.status, injected.body.error.code, injected.body.error.details.reason], [401, 'federation_refused', 'provider_response_rejected']);
    const audit = (await denied('provider_response_rejected')).map((e) => JSON.parse(e.detail)).at(-1);
    // The provider's token endpoint only says invalid_grant (it does not say which check of the grant failed).
    assert.deepEqual([audit.error, audit.check], ['invalid_grant', 'grant'], JSON.stringify(audit));

    const start = await startSignIn();
    t.db.prepare('UPDATE oidc_logins SET expires_at = ? WHERE state = ?').run(new Date(Date.now() - 1000).toISOString(), new URL(start).searchParams.get('state'));
    const late = await finish(await browse(start));
    assert.deepEqual([late.status, late.body.error.details.reason], [401, 'expired_state']);
    assert.equal((await admin().get('/api/v1/accounts')).body.items.some((a: { email: string }) => a.email === 'victim@pear.test'), false);
  });

  it('refuses a subject linked in another organisation federated with the same issuer (a shared issuer, as Google\'s)', async () => {
    const other = await t.otherOrg();
    const as = (p: string, b?: object) => request(t.app).post(p).set('Authorization', `Bearer ${other.token}`).send(b);
    const domain = await as('/api/v1/domains', { name: 'second.test' });
    dns.txt.set('second.test', [[domain.body.txt_record.value]]);
    assert.equal((await as(`/api/v1/domains/${domain.body.id}/verify`)).status, 200);
    const theirs = await as('/api/v1/federations', { domain_id: domain.body.id, issuer, client_id: 'orchard', client_secret: 'orchard-secret' });
    assert.equal((await as(`/api/v1/federations/${theirs.body.id}/enable`)).status, 200);
    // The person who signed in to the demo organisation (u-1001) now has an address in the other one's domain.
    const was = idp.users.get('u-1001')!;
    idp.users.set('u-1001', { ...was, email: 'new.person@second.test' });
    idp.signingIn = 'u-1001';
    try {
      const started = await request(t.app).post('/api/v1/federation/sign-in').send({ federation_id: theirs.body.id });
      const res = await finish(await browse(started.body.authorization_url));
      assert.deepEqual([res.status, res.body.error?.code, res.body.error?.details?.reason], [401, 'federation_refused', 'subject_in_another_organisation'], JSON.stringify(res.body));
      assert.equal((t.db.prepare("SELECT count(*) AS n FROM accounts WHERE email = 'new.person@second.test'").get() as { n: number }).n, 0);
    } finally {
      idp.users.set('u-1001', was);
    }
  });

  describe('an administrator\'s lifecycle: rotate the secret, change the settings, disable', () => {
    const patch = (b: object, token = t.adminToken) => request(t.app).patch(`/api/v1/federations/${federationId}`).set('Authorization', `Bearer ${token}`).send(b);
    const disable = (token = t.adminToken) => request(t.app).post(`/api/v1/federations/${federationId}/disable`).set('Authorization', `Bearer ${token}`);
    const row = () => t.db.prepare('SELECT issuer, client_id, client_secret, enabled_at, disabled_at FROM federations WHERE id = ?').get(federationId) as Record<string, string | null>;
    const signInAs = async (sub: string, email: string) => {
      idp.users.set(sub, { email, given_name: 'Life', family_name: 'Cycle' });
      idp.signingIn = sub;
      return finish(await browse(await startSignIn()));
    };

    it('refuses callers without domains.manage, and other organisations, changing nothing', async () => {
      const before = row();
      const staff = await t.tokenFor(['DeviceManager']);
      for (const res of [await patch({ client_secret: 'stolen' }, staff), await disable(staff)]) {
        assert.deepEqual([res.status, res.body.error.code], [403, 'forbidden'], JSON.stringify(res.body));
      }
      const other = await t.otherOrg();
      for (const res of [await patch({ client_secret: 'stolen' }, other.token), await disable(other.token)]) assert.equal(res.status, 404);
      assert.deepEqual(row(), before);
    });

    it('refuses bad changes, saying which field, changing nothing', async () => {
      const before = row();
      const cases: Array<[object, string]> = [
        [{}, 'federation_changes_missing'], [{ issuer: 'ftp://login.example.com' }, 'issuer_invalid'], [{ issuer: 'not a url' }, 'issuer_invalid'],
        [{ client_secret: '' }, 'client_secret_invalid'], [{ client_id: 'x'.repeat(1001) }, 'client_id_invalid'], [{ client_secret: 'ok', enabled: true }, 'invalid_request'],
      ];
      for (const [b, code] of cases) {
        const res = await patch(b);
        assert.deepEqual([res.status, res.body.error.code], [400, code], `${JSON.stringify(b)}: ${JSON.stringify(res.body)}`);
      }
      assert.deepEqual(row(), before);
    });

    it('rotates the client secret: sealed, never answered, used by the next sign-in; audited', async () => {
      const sealedBefore = row().client_secret;
      const wrong = await patch({ client_secret: 'a-secret-the-provider-does-not-know' });
      assert.equal(wrong.status, 200, JSON.stringify(wrong.body));
      assert.equal(JSON.stringify(wrong.body).includes('a-secret-the-provider-does-not-know'), false);
      assert.equal('client_secret' in wrong.body, false);
      assert.ok(wrong.body.updated_at);
      assert.match(row().client_secret!, /^v1:/);
      assert.notEqual(row().client_secret, sealedBefore);
      // The provider refuses the client with that secret: the sign-in is refused, and says why in the audit.
      const refused = await signInAs('u-4001', 'rotated@pear.test');
      assert.deepEqual([refused.status, refused.body.error.details.reason], [401, 'provider_response_rejected']);
      const audit = (await denied('provider_response_rejected')).map((e) => JSON.parse(e.detail)).at(-1);
      assert.deepEqual([audit.error, audit.check], ['invalid_client', 'client_authentication']);

      // Rotated to the secret the provider has: sign-in works again; a sign-in started before is dropped.
      const inFlight = await browse(await startSignIn());
      assert.equal((await patch({ client_secret: 'orchard-secret' })).status, 200);
      assert.deepEqual((await finish(inFlight)).body.error.details.reason, 'unknown_state');
      assert.equal((await signInAs('u-4001', 'rotated@pear.test')).status, 200);
      // The audit trail has the changes, never the secret.
      const trail = t.db.prepare("SELECT target, outcome, detail FROM audit_log WHERE action = 'PATCH /api/v1/federations/:id'").all() as Array<{ target: string; outcome: string; detail: string }>;
      assert.ok(trail.some((e) => e.target === federationId && e.outcome === 'success'));
      assert.equal(JSON.stringify(t.db.prepare('SELECT * FROM audit_log').all()).includes('a-secret-the-provider-does-not-know'), false);
    });

    it('changes the client id and the issuer (normalised), used by the next sign-in', async () => {
      const renamed = await patch({ client_id: 'someone-else', issuer: `${issuer}/` });
      assert.deepEqual([renamed.status, renamed.body.client_id, renamed.body.issuer], [200, 'someone-else', issuer]);
      const res = await request(t.app).post('/api/v1/federation/sign-in').send({ federation_id: federationId });
      assert.equal(res.status, 200);
      assert.equal(new URL(res.body.authorization_url).searchParams.get('client_id'), 'someone-else');
      assert.equal((await patch({ client_id: 'orchard' })).status, 200);
    });

    it('disables sign-in: new and in-flight sign-ins refused with a clear error, accounts kept; enabling turns it back on', async () => {
      const inFlight = await browse(await startSignIn());
      const accountsBefore = (await admin().get('/api/v1/accounts')).body.items.length;
      const off = await disable();
      assert.deepEqual([off.status, off.body.enabled, typeof off.body.disabled_at], [200, false, 'string']);
      const start = await request(t.app).post('/api/v1/federation/sign-in').send({ federation_id: federationId });
      assert.deepEqual([start.status, start.body.error.code], [409, 'federation_disabled']);
      assert.match(start.body.error.message, /turned off/);
      // From the sign-in page (by address) too: the person is told sign-in is off, not that there is no provider.
      const byEmail = await request(t.app).post('/api/v1/federation/sign-in').send({ email: 'new.person@pear.test' });
      assert.deepEqual([byEmail.status, byEmail.body.error.code], [409, 'federation_disabled']);
      const late = await finish(inFlight);
      assert.deepEqual([late.status, late.body.error.code, late.body.error.details.reason], [401, 'federation_refused', 'federation_disabled']);
      const accounts = (await admin().get('/api/v1/accounts')).body.items as Array<{ email: string; active: boolean }>;
      assert.equal(accounts.length, accountsBefore);
      assert.equal(accounts.find((a) => a.email === 'new.person@pear.test')?.active, true);
      const again = await disable();
      assert.deepEqual([again.status, again.body.error.code], [409, 'federation_not_enabled']);
      assert.ok((t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'POST /api/v1/federations/:id/disable' AND target = ? AND outcome = 'success'").get(federationId) as { n: number }).n === 1);

      const on = await admin().post(`/api/v1/federations/${federationId}/enable`);
      assert.deepEqual([on.status, on.body.enabled, on.body.disabled_at], [200, true, null]);
      const back = await signInAs('u-1001', 'new.person@pear.test');
      assert.equal(back.status, 200, JSON.stringify(back.body));
    });
  });

  it('starts a sign-in from the person\'s address: the enabled federation of its domain, 404 for a domain without one', async () => {
    const byEmail = await request(t.app).post('/api/v1/federation/sign-in').send({ email: 'Someone@PEAR.test' });
    assert.equal(byEmail.status, 200, JSON.stringify(byEmail.body));
    assert.equal(new URL(byEmail.body.authorization_url).origin, issuer);
    assert.equal(new URL(byEmail.body.authorization_url).searchParams.get('client_id'), 'orchard');
    const none = await request(t.app).post('/api/v1/federation/sign-in').send({ email: 'someone@later.test' });
    assert.deepEqual([none.status, none.body.error.code], [404, 'not_found']);
    const unknown = await request(t.app).post('/api/v1/federation/sign-in').send({ email: 'not an address' });
    assert.equal(unknown.status, 404);
    const neither = await request(t.app).post('/api/v1/federation/sign-in').send({});
    assert.deepEqual([neither.status, neither.body.error.details.errors[0].pointer], [400, '/body/email']);
  });
});
