// End to end on a real loopback server: simulated iPhone, Mac and Apple TV get an MDM identity
// (issued directly by the test CA set as pki.ca and recorded in mdm_identities, as SCEP would),
// check in, receive DeviceInformation and InstalledApplicationList, answer with real-looking
// results, and the admin API shows them; a NotNow is retried; a forged signature is refused;
// the webhook worker delivers the events to a loopback receiver.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { tempDir } from '../support/harness.js';
import { APPLE_TV, IPHONE, MAC, issueDeviceIdentity, makeCa, pkiOf, simulatedDevice } from '../support/mdm.js';

describe('e2e: MDM check-in and commands for iPhone, Mac and Apple TV', function () {
  let orchard: RunningOrchard;
  let receiver: http.Server;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

  before(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const dataDir = tempDir('orchard-e2e-mdm-');
    const config = loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent' });
    orchard = await startOrchard(config, { logger: silentLogger, pki: pkiOf(await makeCa()), webhookIntervalMs: 20 });
  });
  after(async () => {
    await orchard?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('enrols, queues, connects, acknowledges, shows results, retries NotNow, refuses a forged signature, delivers webhooks', async () => {
    const token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    const orgId = orchard.bootstrap.orgId!;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${orchard.url}/api/v1${path}`, {
        method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() as any };
    };
    const port = (receiver.address() as AddressInfo).port;
    const hook = await api('POST', '/webhooks', { url: `http://127.0.0.1:${port}/mdm-events` });
    assert.equal(hook.status, 201);

    const ca = orchard.deps.pki!.ca;
    const devices = await Promise.all([IPHONE(), MAC(), APPLE_TV()].map((facts) =>
      simulatedDevice({ ca, store: orchard.deps.store, orgId, facts, baseUrl: orchard.url })));
    for (const { client } of devices) {
      assert.equal((await client.authenticate()).status, 200);
      assert.equal((await client.tokenUpdate()).status, 200);
    }
    const [phone, mac, tv] = devices.map((d) => d.client);
    const udids = [phone!.udid, mac!.udid, tv!.udid];

    const info = await api('POST', '/commands', { udids, command: { RequestType: 'DeviceInformation', Queries: ['UDID', 'DeviceName', 'OSVersion', 'BuildVersion', 'ProductName', 'SerialNumber', 'DeviceCapacity'] } });
    const apps = await api('POST', '/commands', { udids, command: { RequestType: 'InstalledApplicationList' } });
    assert.equal(info.status, 201);
    assert.equal(apps.status, 201);

    // The iPhone is locked: it answers NotNow to InstalledApplicationList, then polls again later.
    const first = await phone!.connectLoop({ notNow: (type) => type === 'InstalledApplicationList' });
    assert.deepEqual(first.steps.map((s) => [s.requestType, s.status]), [['DeviceInformation', 'Acknowledged'], ['InstalledApplicationList', 'NotNow']]);
    const mid = await api('GET', `/commands/${apps.body.command_uuid}`);
    assert.equal(mid.body.targets.find((x: any) => x.udid === phone!.udid).state, 'not_now');
    const retry = await phone!.connectLoop();
    assert.deepEqual(retry.steps.map((s) => [s.requestType, s.status]), [['InstalledApplicationList', 'Acknowledged']]);
    for (const c of [mac!, tv!]) {
      const s = await c.connectLoop();
      assert.deepEqual(s.steps.map((x) => x.status), ['Acknowledged', 'Acknowledged']);
    }

    const infoResult = await api('GET', `/commands/${info.body.command_uuid}`);
    const byUdid = Object.fromEntries(infoResult.body.targets.map((x: any) => [x.udid, x]));
    assert.equal(byUdid[phone!.udid].state, 'acknowledged');
    assert.equal(byUdid[phone!.udid].response.QueryResponses.ProductName, 'iPhone15,2');
    assert.equal(byUdid[mac!.udid].response.QueryResponses.OSVersion, '14.5');
    assert.equal(byUdid[tv!.udid].response.QueryResponses.DeviceName, 'Lobby Apple TV');
    assert.equal(byUdid[tv!.udid].response.Status, 'Acknowledged');
    const appsResult = await api('GET', `/commands/${apps.body.command_uuid}`);
    const names = (u: string) => appsResult.body.targets.find((x: any) => x.udid === u).response.InstalledApplicationList.map((a: any) => a.Identifier);
    assert.ok(names(phone!.udid).includes('com.microsoft.Office.Outlook'));
    assert.ok(names(mac!.udid).includes('com.apple.Safari'));
    assert.ok(names(tv!.udid).includes('com.netflix.Netflix'));
    assert.equal(appsResult.body.targets.find((x: any) => x.udid === phone!.udid).not_now_count, 1);

    const device = await api('GET', `/mdm/devices/${mac!.udid}`);
    assert.equal(device.body.platform, 'macOS');
    assert.deepEqual(device.body.queue, []);
    assert.equal(device.body.history.length, 2);

    // A forged Mdm-Signature: right UDID, identity from a CA Orchard does not trust.
    const forger = await issueDeviceIdentity(await makeCa('Forger CA'), phone!.udid);
    const forged = await phone!.connect('Idle', {}, forger);
    assert.equal(forged.status, 401);

    // Webhooks: every check-in and command result reaches the receiver, signed.
    for (let i = 0; i < 250 && received.filter((r) => JSON.parse(r.body).topic === 'mdm.Connect').length < 7; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const topics = received.map((r) => JSON.parse(r.body).topic);
    assert.equal(topics.filter((x) => x === 'mdm.Authenticate').length, 3);
    assert.equal(topics.filter((x) => x === 'mdm.TokenUpdate').length, 3);
    assert.equal(topics.filter((x) => x === 'mdm.Connect').length, 7, '6 acknowledgements and 1 NotNow');
    assert.ok(received.every((r) => /^sha256=[0-9a-f]{64}$/.test(String(r.headers['x-orchard-signature']))));
  });
});
