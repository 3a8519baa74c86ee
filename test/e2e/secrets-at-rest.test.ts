// Issue 17, findings 8 and 11, on a real server started as `orchard serve` starts it, under a
// umask of 0022: the data dir is 0700 and every file in it 0600 (the database and its -wal and
// -shm too); webhook secrets, push tokens and magics, unlock and bootstrap tokens, federations'
// OIDC client secrets (issue 16) are sealed in
// the database file yet work at the wire; a data dir left by a previous version (0755/0644,
// secrets in the clear) is closed and sealed at the next start and keeps working; and an
// organisation that signs up while the server runs gets Orchard's MDM server at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { dataOf, parsePlistDict } from '../../src/plist/index.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { startDnsStub, type DnsStub } from '../support/dns-stub.js';
import { latestMail, linkIn } from '../support/outbox.js';
import { tempDir } from '../support/harness.js';
import { IPHONE, simulatedDevice } from '../support/mdm.js';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

/** Every path under `dir` (itself included) with its mode, symbolic links left out. */
function modes(dir: string): Array<[string, number, boolean]> {
  const out: Array<[string, number, boolean]> = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    out.push([path.relative(dir, p) || '.', st.mode & 0o777, st.isDirectory()]);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(dir);
  return out;
}

function assertOwnerOnly(dir: string) {
  const all = modes(dir);
  assert.ok(all.length > 5, 'the data dir holds files');
  const open = all.filter(([, mode, isDir]) => mode !== (isDir ? 0o700 : 0o600));
  assert.deepEqual(open, []);
}

describe('secrets at rest and the data dir (issue 17, findings 8 and 11)', () => {
  let dataDir: string;
  let orchard: RunningOrchard | undefined;
  let umask: number;
  let adminToken: string;
  let dns: DnsStub;
  const config = () => ({ ...loadConfig({ ORCHARD_DATA_DIR: dataDir, ORCHARD_LOG_LEVEL: 'silent' }), port: 0, depPort: 0, dnsServers: [dns.server] });
  const api = (p: string, init: RequestInit & { token?: string } = {}) => fetch(`${orchard!.url}/api/v1${p}`, {
    ...init, headers: { 'Content-Type': 'application/json', ...(init.token ?? adminToken ? { Authorization: `Bearer ${init.token ?? adminToken}` } : {}) },
  });
  const rawDb = () => new Database(path.join(dataDir, 'orchard.sqlite'), { readonly: true, fileMustExist: true });

  before(async () => {
    umask = process.umask(0o022);
    dataDir = tempDir('orchard-modes-');
    dns = await startDnsStub();
    orchard = await startOrchard(config(), { logger: silentLogger });
    adminToken = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
  });
  after(async () => {
    await orchard?.close();
    process.umask(umask);
    await dns.close();
  });

  it('finding 11: an organisation that signs up while the server runs has Orchard MDM at once (once live, after review)', async () => {
    const post = (path: string, body: unknown, bearer?: string) => fetch(`${orchard!.url}/api/v1${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body),
    });
    // The mails are the outbox's .eml files under the data dir; the tokens are in their links.
    const mailed = async (to: string, kind: string) => {
      const mail = await latestMail(orchard!.deps, to, kind);
      assert.ok(fs.readdirSync(path.join(dataDir, 'outbox')).some((f) => f.endsWith(`${mail.id}.eml`)));
      return new URLSearchParams(linkIn(mail).hash.slice(1)).get('token')!;
    };
    const applied = await post('/signup', {
      legal_name: 'Blossom School District', address: '200 Market Street, San Francisco, CA 94105, US', phone: '+1 415 555 0110', website: 'https://blossom.test',
      duns_number: '080054321', email: 'admin@blossom.test', applicant: { given_name: 'Bea', family_name: 'Bloom' }, validation_contact: { name: 'Val', email: 'val@blossom.test' },
    });
    assert.equal(applied.status, 201);
    const { id } = await applied.json() as { id: string };
    const operator = fs.readFileSync(orchard!.operatorTokenFile, 'utf8').trim();
    assert.equal((await post(`/operator/signup-applications/${id}/approve`, {}, operator)).status, 200);
    assert.equal((await post('/signup/validation', { token: await mailed('val@blossom.test', 'signup_validation'), decision: 'confirm' })).status, 200);
    const res = await post('/signup/activation', { token: await mailed('admin@blossom.test', 'signup_activation'), password: 'blossoms in spring', accept_terms: true });
    assert.equal(res.status, 201);
    const { api_token: token } = await res.json() as { api_token: string };
    const servers = await api('/mdm-servers', { token });
    assert.equal(servers.status, 200);
    const body = await servers.json() as { items: Array<{ name: string }> };
    assert.deepEqual(body.items.map((s) => s.name), ['Orchard MDM']);
  });

  it('finding 8: webhook secrets, push tokens and magics, unlock and bootstrap tokens, federation client secrets are sealed in the file and work at the wire', async () => {
    const hook = await api('/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://hooks.example.test/orchard' }) });
    assert.equal(hook.status, 201);
    const { secret } = await hook.json() as { secret: string };
    assert.match(secret, /^[0-9a-f]{64}$/);
    // A federation's client secret: written, never answered.
    const domain = await (await api('/domains', { method: 'POST', body: JSON.stringify({ name: 'sealed.test' }) })).json() as { id: string; txt_record: { value: string } };
    dns.txt.set('sealed.test', [[domain.txt_record.value]]);
    assert.equal((await api(`/domains/${domain.id}/verify`, { method: 'POST' })).status, 200);
    const clientSecret = 'federation-client-secret-0123456789';
    const federation = await api('/federations', { method: 'POST', body: JSON.stringify({ domain_id: domain.id, issuer: 'https://login.sealed.test', client_id: 'orchard', client_secret: clientSecret }) });
    assert.equal(federation.status, 201);
    const { id: federationId, ...shown } = await federation.json() as { id: string };
    assert.equal(JSON.stringify(shown).includes(clientSecret), false);
    assert.equal((await (await api(`/federations/${federationId}`)).text()).includes(clientSecret), false);

    const facts = IPHONE();
    const { client } = await simulatedDevice({ ca: orchard!.deps.pki.ca, store: orchard!.deps.store, orgId: orchard!.bootstrap.orgId!, facts, baseUrl: orchard!.url });
    assert.equal((await client.authenticate()).status, 200);
    assert.equal((await client.tokenUpdate()).status, 200); // Token, PushMagic and an UnlockToken
    const bootstrap = Buffer.from('bootstrap-token-secret-0123456789');
    assert.equal((await client.checkin({ MessageType: 'SetBootstrapToken', UDID: facts.udid, BootstrapToken: bootstrap })).status, 200);
    const got = await client.checkin({ MessageType: 'GetBootstrapToken', UDID: facts.udid });
    assert.equal(got.status, 200);
    assert.deepEqual(dataOf(parsePlistDict(got.body).BootstrapToken), bootstrap);

    const db = rawDb();
    try {
      const row = db.prepare('SELECT push_token, push_magic, unlock_token, bootstrap_token FROM enrollments WHERE udid = ?').get(facts.udid) as Record<string, unknown>;
      for (const v of Object.values(row)) assert.match(String(v), /^v1:[A-Za-z0-9+/=]+$/);
      const stored = db.prepare('SELECT secret FROM webhooks').all() as Array<{ secret: string }>;
      assert.equal(stored.length, 1);
      assert.match(stored[0]!.secret, /^v1:/);
      assert.match((db.prepare('SELECT client_secret FROM federations WHERE id = ?').get(federationId) as { client_secret: string }).client_secret, /^v1:/);
    } finally {
      db.close();
    }
    // Nowhere in the database file or its WAL: not the secret, the token, the magic or the escrowed tokens.
    const bytes = Buffer.concat(['orchard.sqlite', 'orchard.sqlite-wal'].map((f) => fs.readFileSync(path.join(dataDir, f))));
    for (const needle of [secret, client.pushToken.toString('hex'), client.pushToken, client.pushMagic, bootstrap, clientSecret]) {
      assert.equal(bytes.includes(needle), false, `found ${needle.toString()}`);
    }
    // What the server reads back is what the device gave.
    const e = await orchard!.deps.store.enrollments.get(facts.udid);
    assert.deepEqual([e?.pushToken, e?.pushMagic, e?.unlockToken?.length], [client.pushToken.toString('hex'), client.pushMagic, 64]);
    assert.equal((await orchard!.deps.store.federations.get(federationId))?.clientSecret, clientSecret);
  });

  it('finding 8: under umask 0022 the data dir is 0700 and the database, -wal, -shm and every other file 0600', () => {
    assert.equal(modeOf(dataDir), 0o700);
    for (const f of ['orchard.sqlite', 'orchard.sqlite-wal', 'orchard.sqlite-shm']) assert.equal(modeOf(path.join(dataDir, f)), 0o600, f);
    assertOwnerOnly(dataDir);
  });

  it('a data dir from the previous version (0755/0644, secrets in the clear) is closed and sealed at start, and keeps working', async () => {
    await orchard!.close();
    orchard = undefined;
    // What the previous Orchard left: plaintext secrets, group- and world-readable files.
    const db = new Database(path.join(dataDir, 'orchard.sqlite'));
    const udid = (db.prepare("SELECT udid FROM enrollments WHERE channel = 'device' LIMIT 1").get() as { udid: string }).udid;
    db.prepare('UPDATE enrollments SET push_token = ?, push_magic = ?, bootstrap_token = ? WHERE udid = ?')
      .run('cd'.repeat(32), 'OLD-MAGIC', Buffer.from('old-bootstrap-token'), udid);
    db.prepare('UPDATE webhooks SET secret = ?').run('old-webhook-secret');
    db.prepare('UPDATE federations SET client_secret = ?').run('old-client-secret');
    db.close();
    for (const [p, , isDir] of modes(dataDir)) fs.chmodSync(path.join(dataDir, p), isDir ? 0o755 : 0o644);

    orchard = await startOrchard(config(), { logger: silentLogger });
    assertOwnerOnly(dataDir);
    const raw = rawDb();
    try {
      const row = raw.prepare('SELECT push_token, push_magic, bootstrap_token FROM enrollments WHERE udid = ?').get(udid) as Record<string, unknown>;
      for (const v of Object.values(row)) assert.match(String(v), /^v1:/);
      assert.match((raw.prepare('SELECT secret FROM webhooks').get() as { secret: string }).secret, /^v1:/);
      assert.match((raw.prepare('SELECT client_secret FROM federations').get() as { client_secret: string }).client_secret, /^v1:/);
    } finally {
      raw.close();
    }
    const e = await orchard.deps.store.enrollments.get(udid);
    assert.deepEqual([e?.pushToken, e?.pushMagic, e?.bootstrapToken?.toString()], ['cd'.repeat(32), 'OLD-MAGIC', 'old-bootstrap-token']);
    const [hook] = await orchard.deps.store.events.listWebhooks(orchard.bootstrap.orgId ?? (await orchard.deps.store.organisations.list())[0]!.id);
    assert.equal(hook?.secret, 'old-webhook-secret');
    const [federation] = await orchard.deps.store.federations.listByOrg(orchard.bootstrap.orgId ?? (await orchard.deps.store.organisations.list())[0]!.id);
    assert.equal(federation?.clientSecret, 'old-client-secret');
    assert.equal((await api('/me')).status, 200);
  });
});
