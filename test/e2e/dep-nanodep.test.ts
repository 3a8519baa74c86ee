// End to end with a real DEP client: NanoDEP's depserver (token upload with its own key pair,
// OAuth session, proxy for account, fetch and profile calls) and a depsyncer pass (fetch, then
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
import type { Principal } from '../../src/business/principal.js';
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

/** Runs a process to its end without blocking the event loop; output is stdout and stderr together. */
function runProcess(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
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
    const { services, store, clock } = orchard.deps;
    const orgId = orchard.bootstrap.orgId!;
    const admin: Principal = { accountId: 'e2e', orgId, email: 'admin@demo.orchard.test', roles: ['Administrator'], via: 'api-token' };

    // NanoDEP: the DEP name points at Orchard's DEP port; its own key pair makes the public key.
    assert.equal((await nd('PUT', '/v1/config/orchard', JSON.stringify({ base_url: `${orchard.depUrl}/` }))).status, 200);
    const certRes = await nd('GET', '/v1/tokenpki/orchard?cn=depserver&validity_days=30');
    assert.equal(certRes.status, 200);
    const nanodepCert = await certRes.text();
    assert.match(nanodepCert, /BEGIN CERTIFICATE/);

    // The admin creates the MDM server with that public key and downloads its token (.p7m).
    const { server } = await services.servers.create(admin, { name: 'NanoDEP', publicKey: nanodepCert });
    const token = await services.servers.downloadToken(orgId, server.id);
    const upload = await fetch(`${U}/v1/tokenpki/orchard`, { method: 'PUT', headers: auth, body: token.body });
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
    assert.equal(account.server_uuid, server.serverUuid);
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
    // Spawned asynchronously: Orchard answers it from this very process.
    const run = () => runProcess(path.join(PEERS!, 'depsyncer'), ['-storage', 'filekv', '-storage-dsn', DB, '-duration', '0', '-webhook-url', sink.url, 'orchard']);
    let pass = await run();
    assert.equal(pass.status, 0, pass.output);
    assert.deepEqual(devicesIn(sink.events, /fetch/i).map((d) => d.serial_number).sort(), first, pass.output);
    sink.events.length = 0;

    // The admin assigns more devices (and moves one away); the next pass syncs exactly that.
    const more = ['E2EB00000001', 'E2EB00000002'];
    for (const s of more) await store.devices.addManual(mk(s), undefined, clock.now());
    await store.devices.assign(orgId, server.id, more, clock.now(), 'admin@demo.orchard.test');
    const other = await services.servers.create(admin, { name: 'Elsewhere', publicKey: nanodepCert });
    await store.devices.assign(orgId, other.server.id, [first[2]!], clock.now(), 'admin@demo.orchard.test');
    pass = await run();
    assert.equal(pass.status, 0, pass.output);
    const synced = devicesIn(sink.events, /sync/i).map((d) => [d.serial_number, d.op_type]);
    assert.deepEqual(synced, [[more[0], 'added'], [more[1], 'added'], [first[2], 'deleted']]);
    assert.match(pass.output, /phase=sync .*devices=3/);
  });
});

if (!PEERS) {
  describe('DEP end to end with NanoDEP', () => {
    it.skip(`skipped: NanoDEP binaries (depserver, depsyncer) not found beside the repository (${path.resolve(REPO_ROOT, '..', 'shared', 'peers')})`, () => {});
  });
}
