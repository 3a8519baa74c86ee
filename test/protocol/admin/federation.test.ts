// Issue 16: federated sign-in over OpenID Connect against a real provider (oidc-provider) on
// loopback, never a mock of our client: conflicts before enabling, a first sign-in that creates
// a Staff account, a later one that maps to it, an account disabled at the provider, and
// tampered answers (issuer, nonce, replayed state) refused and audited.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { startDnsStub, type DnsStub } from '../../support/dns-stub.js';

interface User { email: string; given_name: string; family_name: string; disabled?: boolean }

describe('federated authentication (OpenID Connect, against oidc-provider)', () => {
  let t: TestOrchard;
  let dns: DnsStub;
  let server: http.Server;
  let issuer: string;
  let federationId: string;
  const users = new Map<string, User>();
  let signingIn = '';
  const redirectUri = () => `${t.deps.config.baseUrl}/portal/federation/callback`;
  const admin = () => ({
    get: (p: string) => request(t.app).get(p).set('Authorization', `Bearer ${t.adminToken}`),
    post: (p: string, b?: object) => request(t.app).post(p).set('Authorization', `Bearer ${t.adminToken}`).send(b),
  });

  before(async () => {
    dns = await startDnsStub();
    t = await buildTestOrchard({ dnsServers: [dns.server] });
    server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'orchard', client_secret: 'orchard-secret', redirect_uris: [redirectUri()], grant_types: ['authorization_code'], response_types: ['code'] }],
      findAccount: async (_ctx, id) => {
        const u = users.get(id);
        return u && { accountId: id, claims: async () => ({ sub: id, email: u.email, email_verified: true, given_name: u.given_name, family_name: u.family_name }) };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'middle_name', 'family_name'] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['federation-test-key'] },
    });
    const callback = provider.callback();
    // The provider's login page: the test's "user" signs in at once; a disabled user is refused there.
    server.on('request', async (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      const u = users.get(signingIn);
      if (!u || u.disabled) {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the account is disabled' }, { mergeWithLastSubmission: false });
      }
      const grant = new provider.Grant({ accountId: signingIn, clientId: details.params.client_id as string });
      grant.addOIDCScope('openid email profile');
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { login: { accountId: signingIn }, consent: { grantId } }, { mergeWithLastSubmission: false });
    });
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
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
    users.set('u-1001', { email: 'new.person@pear.test', given_name: 'New', family_name: 'Person' });
    signingIn = 'u-1001';
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
    users.set('u-1002', { email: 'old.timer@pear.test', given_name: 'Old', family_name: 'Timer' });
    signingIn = 'u-1002';
    const migrated = await finish(await browse(await startSignIn()));
    assert.deepEqual([migrated.status, migrated.body.roles], [200, ['DeviceManager']]);
  });

  it('refuses an account disabled at the provider (the provider ends the sign-in), audited', async () => {
    users.set('u-1003', { email: 'gone@pear.test', given_name: 'Gone', family_name: 'Away', disabled: true });
    signingIn = 'u-1003';
    const back = await browse(await startSignIn());
    assert.equal(back.searchParams.get('error'), 'access_denied');
    const res = await finish(back);
    assert.deepEqual([res.status, res.body.error.code], [401, 'federation_refused']);
    assert.ok((await denied('provider_response_rejected')).length >= 1);
    assert.equal((await admin().get('/api/v1/accounts')).body.items.some((a: { email: string }) => a.email === 'gone@pear.test'), false);
  });

  it('refuses a replayed state, a wrong issuer and a wrong nonce, audited, creating nothing', async () => {
    users.set('u-1004', { email: 'forger@pear.test', given_name: 'F', family_name: 'G' });
    signingIn = 'u-1004';
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
