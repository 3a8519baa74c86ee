// End to end with a real DEP client: NanoDEP's depserver (token upload with its own key pair,
// OAuth session, proxy for account, fetch and profile calls) and a depsyncer run (fetch, then
// sync from its stored cursor) against a running Orchard's DEP port, which answers at the root
// as mdmenrollment.apple.com does.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import type { Device } from '../../src/store/devices.js';
import { tempDir } from '../support/harness.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** shared/ sits beside the clone in CI; in a worktree under <root>/wt/<name> it is one level higher. */
const PEERS = [path.resolve(REPO_ROOT, '..', 'shared', 'peers'), path.resolve(REPO_ROOT, '..', '..', 'shared', 'peers')]
  .find((p) => fs.existsSync(path.join(p, 'depserver')) && fs.existsSync(path.join(p, 'depsyncer')));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { headers });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not come up`);
}

/** Collects what depsyncer posts to its webhook. */
function webhookSink(): Promise<{ url: string; events: any[]; close(): Promise<void> }> {
  const events: any[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/webhook`,
    events,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  })));
}

/**
 * depsyncer posts its webhook events without waiting for them, so one may land after the pass
 * (even after the next has started): wait, bounded, until `n` device entries of `topic` are in.
 */
async function devicesOf(events: any[], topic: RegExp, n: number): Promise<any[]> {
  for (let i = 0; i < 600 && devicesIn(events, topic).length < n; i++) await new Promise((r) => setTimeout(r, 50));
  return devicesIn(events, topic);
}

/** Every device entry of every fetch/sync response in the webhook events, wherever it nests. */
function devicesIn(events: any[], topic: RegExp): any[] {
  const out: any[] = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v.devices)) out.push(...v.devices);
    else for (const x of Object.values(v)) walk(x);
  };
  for (const e of events) if (topic.test(String(e.topic))) walk(e);
  return out;
}

(PEERS ? describe : describe.skip)('DEP end to end with NanoDEP (depserver + depsyncer)', function () {
  this.timeout(120_000);
  let orchard: RunningOrchard;
  let depserver: ChildProcess;
  let sink: Awaited<ReturnType<typeof webhookSink>>;
  const KEY = 'e2e-api-key';
  let U: string;
  let DB: string;
  const auth = { Authorization: `Basic ${Buffer.from(`depserver:${KEY}`).toString('base64')}` };
  const nd = (method: string, p: string, body?: string) =>
    fetch(`${U}${p}`, { method, headers: { ...auth, 'Content-Type': 'application/json' }, body });

  before(async () => {
    const dataDir = tempDir('orchard-e2e-dep-');
    orchard = await startOrchard({ ...loadConfig({ ORCHARD_DATA_DIR: dataDir, ORCHARD_LOG_LEVEL: 'silent' }), port: 0, depPort: 0 });
    const port = await freePort();
    U = `http://127.0.0.1:${port}`;
    DB = path.join(tempDir('orchard-e2e-nanodep-'), 'dbkv');
    depserver = spawn(path.join(PEERS!, 'depserver'), ['-listen', `127.0.0.1:${port}`, '-api', KEY, '-storage', 'filekv', '-storage-dsn', DB], { stdio: 'ignore' });
    await waitFor(`${U}/version`, auth);
    sink = await webhookSink();
  });

  after(async () => {
    depserver?.kill();
    await sink?.close();
    await orchard?.close();
  });

  it('uploads the token, proxies account, fetch and profile calls, and a depsyncer pass sees exactly the new changes', async () => {
    const { store, clock } = orchard.deps;
    const orgId = orchard.bootstrap.orgId!;

    // NanoDEP: the DEP name points at Orchard's DEP port; its own key pair makes the public key.
    assert.equal((await nd('PUT', '/v1/config/orchard', JSON.stringify({ base_url: `${orchard.depUrl}/` }))).status, 200);
    const certRes = await nd('GET', '/v1/tokenpki/orchard?cn=depserver&validity_days=30');
    assert.equal(certRes.status, 200);
    const nanodepCert = await certRes.text();
    assert.match(nanodepCert, /BEGIN CERTIFICATE/);

    // The admin creates the MDM server with that public key and downloads its token (.p7m).
    const adminToken = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    const api = (method: string, p: string, body?: unknown) => fetch(`${orchard.url}/api/v1${p}`, {
      method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const created = await api('POST', '/mdm-servers', { name: 'NanoDEP', public_key: nanodepCert });
    assert.equal(created.status, 201);
    const server = (await created.json()) as { id: string; server_uuid: string };
    const tokenRes = await api('GET', `/mdm-servers/${server.id}/token`);
    assert.equal(tokenRes.status, 200);
    const upload = await fetch(`${U}/v1/tokenpki/orchard`, { method: 'PUT', headers: auth, body: await tokenRes.text() });
    assert.equal(upload.status, 200, await upload.text());

    // Devices assigned to the server before the client starts.
    const mk = (serial: string): Device => ({
      serialNumber: serial, orgId, family: 'iPhone', model: 'iPhone 15', description: 'IPHONE 15 BLACK 128GB', color: 'BLACK',
      os: '', assetTag: '', orderNumber: 'E2E-1', source: 'order', addedAt: clock.now(), updatedAt: clock.now(), supervised: false,
      profileStatus: 'empty',
    });
    const first = ['E2EA00000001', 'E2EA00000002', 'E2EA00000003'];
    for (const s of first) await store.devices.addManual(mk(s), server.id, clock.now());

    // Account through the proxy: NanoDEP opened an OAuth session with its decrypted token.
    const account: any = await (await nd('GET', '/proxy/orchard/account')).json();
    assert.equal(account.server_name, 'NanoDEP');
    assert.equal(account.server_uuid, server.server_uuid);
    assert.equal(account.admin_id, 'admin@demo.orchard.test');

    // Fetch through the proxy.
    const fetched: any = await (await nd('POST', '/proxy/orchard/server/devices', JSON.stringify({ limit: 100 }))).json();
    assert.deepEqual(fetched.devices.map((d: any) => d.serial_number), first);
    assert.equal(fetched.more_to_follow, false);

    // Define a profile with one device, then assign it to another.
    const defined: any = await (await nd('POST', '/proxy/orchard/profile', JSON.stringify({
      profile_name: 'E2E', url: `${orchard.url}/enroll`, is_supervised: true, skip_setup_items: ['AppleID'], devices: [first[0]],
    }))).json();
    assert.match(defined.profile_uuid, /^[0-9A-F]{32}$/);
    assert.deepEqual(defined.devices, { [first[0]!]: 'SUCCESS' });
    const assigned: any = await (await nd('PUT', '/proxy/orchard/profile/devices', JSON.stringify({ profile_uuid: defined.profile_uuid, devices: [first[1]] }))).json();
    assert.deepEqual(assigned, { profile_uuid: defined.profile_uuid, devices: { [first[1]!]: 'SUCCESS' } });
    const got: any = await (await nd('GET', `/proxy/orchard/profile?profile_uuid=${defined.profile_uuid}`)).json();
    assert.equal(got.profile_name, 'E2E');
    assert.deepEqual(got.skip_setup_items, ['AppleID']);


    // First depsyncer pass: a full fetch, whose cursor it keeps.
    // depsyncer posts webhooks without waiting for them, so a single pass (-duration 0) may exit
    // before they are sent: run it as a service, wait (bounded) for its events, then stop it.
    // Spawned asynchronously: Orchard answers it from this very process.
    const pass = async (n: number, topic: RegExp) => {
      const child = spawn(path.join(PEERS!, 'depsyncer'), ['-storage', 'filekv', '-storage-dsn', DB, '-duration', '600', '-webhook-url', sink.url, 'orchard'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (c) => (output += c));
      child.stderr!.on('data', (c) => (output += c));
      const devices = await devicesOf(sink.events, topic, n);
      // Stop only once the pass reached its sync phase (its cursor is stored by then).
      for (let i = 0; i < 600 && !/phase=sync/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
      const exited = new Promise((r) => child.once('close', r));
      child.kill();
      await exited;
      return { devices, output };
    };
    const p1 = await pass(first.length, /fetch/i);
    assert.deepEqual(p1.devices.map((d) => d.serial_number).sort(), first, p1.output);
    assert.match(p1.output, /phase=fetch more=false .*devices=3/);
    sink.events.length = 0;

    // The admin assigns more devices (and moves one away); the next pass syncs exactly that.
    const more = ['E2EB00000001', 'E2EB00000002'];
    for (const s of more) await store.devices.addManual(mk(s), undefined, clock.now());
    assert.equal((await api('POST', `/mdm-servers/${server.id}/devices`, { serial_numbers: more })).status, 200);
    const other = (await (await api('POST', '/mdm-servers', { name: 'Elsewhere', public_key: nanodepCert })).json()) as { id: string };
    assert.equal((await api('POST', `/mdm-servers/${other.id}/devices`, { serial_numbers: [first[2]] })).status, 200);
    const p2 = await pass(3, /sync/i);
    const synced = p2.devices.map((d) => [d.serial_number, d.op_type]);
    assert.deepEqual(synced, [[more[0], 'added'], [more[1], 'added'], [first[2], 'deleted']], p2.output);
    assert.match(p2.output, /phase=sync more=false .*devices=3/);
  });
});

if (!PEERS) {
  describe('DEP end to end with NanoDEP', () => {
    it.skip(`skipped: NanoDEP binaries (depserver, depsyncer) not found beside the repository (${path.resolve(REPO_ROOT, '..', 'shared', 'peers')})`, () => {});
  });
}
