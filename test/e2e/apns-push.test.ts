// End to end on a real loopback Orchard with the local APNs in-process (apns.mode simulator):
// an iPhone, an iPad, a Mac and an Apple TV simulator hold their APNs connection and never poll;
// queuing InstallApplication pushes each of them through the local APNs, each connects and
// acknowledges. Faults: 429 and 503 are retried then delivered; 410 stops pushes to the token
// until a TokenUpdate; a certificate with another topic is refused by the local APNs (BadTopic),
// one that does not chain to its push CA with 403 BadCertificate, both surfaced on the push
// certificate's status.
// Devices get their MDM identity issued by pki.ca and recorded in mdm_identities, as SCEP would
// (the enrolment branch's Setup Assistant walk is not merged here).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadConfig } from '../../src/config.js';
import { issueCertificate, toPem } from '../../src/crypto/certificates.js';
import { generateRsaKeyPair } from '../../src/crypto/keys.js';
import { APPLE_PUSH_EXTENSIONS } from '../../src/business/push-certificates.js';
import { readFixture } from '../../src/fixtures.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { MdmClient, type SimDeviceFacts } from '../../src/sim/mdm-client.js';
import { listenForPushes, type PushListener } from '../../src/sim/push-listener.js';
import { sealSecret } from '../../src/crypto/random.js';
import { keyToPem } from '../../src/crypto/keys.js';
import { loadSecretsKey } from '../../src/secrets-key.js';
import { tempDir } from '../support/harness.js';
import { APPLE_TV, IPAD, IPHONE, MAC, issueDeviceIdentity, makeCa, recordIdentity } from '../support/mdm.js';
import type { Identity } from '../../src/crypto/types.js';

interface CatalogItem { adam_id: string; platforms: string[]; media?: string }
const DAY = 24 * 60 * 60 * 1000;

describe('e2e: APNs pushes wake iPhone, iPad, Mac and Apple TV through the local APNs', function () {
  this.timeout(30_000);
  let orchard: RunningOrchard;
  let token: string;
  let orgId: string;
  let topic: string;
  const listeners: PushListener[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${orchard.url}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() as any };
  };

  /** An enrolled device that listens on the local APNs and only ever connects when pushed. */
  async function device(facts: SimDeviceFacts) {
    const identity = await issueDeviceIdentity(orchard.deps.pki!.ca, facts.udid);
    await recordIdentity(orchard.deps.store, identity, orgId, { udid: facts.udid, serialNumber: facts.serialNumber });
    const client = new MdmClient({ identity, serverUrl: `${orchard.url}/mdm/connect`, checkInUrl: `${orchard.url}/mdm/checkin`, topic, device: facts });
    assert.equal((await client.authenticate()).status, 200);
    assert.equal((await client.tokenUpdate()).status, 200);
    const listen = () => {
      const l = listenForPushes({ client, deviceChannelUrl: orchard.apnsDeviceUrl!, topic });
      listeners.push(l);
      return l;
    };
    const listener = listen();
    await listener.ready;
    return { client, listener, listen, token: client.pushToken.toString('hex') };
  }

  const ackOf = (l: PushListener, uuid: string) =>
    l.waitForWake((s) => s.steps.some((x) => x.commandUuid === uuid)).then((s) => s.steps.find((x) => x.commandUuid === uuid)!.status);

  before(async () => {
    const dataDir = tempDir('orchard-e2e-apns-');
    const config = loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent', ORCHARD_APNS_MODE: 'simulator' });
    orchard = await startOrchard(config, {
      logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000,
      pushRetry: { attempts: 5, baseMs: 5, maxMs: 20 },
    });
    token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    orgId = orchard.bootstrap.orgId!;
    const cert = await api('GET', '/push-certificate');
    assert.equal(cert.status, 200);
    topic = cert.body.topic;
  });
  after(async () => {
    for (const l of listeners) l.close();
    await orchard?.close();
  });

  it('starts the local APNs with a push certificate for the demo organisation from its push CA', async () => {
    assert.match(topic, /^com\.apple\.mgmt\.External\.[0-9a-f-]{36}$/);
    const cert = await api('GET', '/push-certificate');
    assert.equal(cert.body.last_error, null);
    assert.ok(cert.body.days_left >= 364);
    const apns = await api('GET', '/apns');
    assert.deepEqual(apns.body, {
      mode: 'simulator', address: null, port: null, device_channel_url: orchard.apnsDeviceUrl,
      device_stream: `${orchard.apnsDeviceUrl}/devices/{token}/stream?topic={topic}`,
      device_streams: `${orchard.apnsDeviceUrl}/devices/streams`,
    });
  });

  it('InstallApplication to four devices: each is woken by its push only, connects and acknowledges', async () => {
    const catalog = readFixture<{ items: CatalogItem[] }>('app-store-catalog.json');
    const app = catalog.items.find((i) => ['iOS', 'macOS', 'tvOS'].every((p) => i.platforms.includes(p)))!;
    const devices = await Promise.all([IPHONE(), IPAD(), MAC(), APPLE_TV()].map(device));
    const before = orchard.apns!.counters().accepted;
    const queued = await api('POST', '/commands', {
      udids: devices.map((d) => d.client.udid),
      command: { RequestType: 'InstallApplication', iTunesStoreID: Number(app.adam_id), ManagementFlags: 1, Options: { PurchaseMethod: 1 } },
    });
    assert.equal(queued.status, 201);
    assert.equal(queued.body.push_targets, 4);
    const statuses = await Promise.all(devices.map((d) => ackOf(d.listener, queued.body.command_uuid)));
    assert.deepEqual(statuses, ['Acknowledged', 'Acknowledged', 'Acknowledged', 'Acknowledged']);
    // One push per device, and no connection without one.
    assert.deepEqual(devices.map((d) => [d.listener.pushes, d.listener.wakes.length]), [[1, 1], [1, 1], [1, 1], [1, 1]]);
    assert.equal(orchard.apns!.counters().accepted - before, 4);

    const cmd = await api('GET', `/commands/${queued.body.command_uuid}`);
    assert.deepEqual(cmd.body.targets.map((t: any) => t.state), ['acknowledged', 'acknowledged', 'acknowledged', 'acknowledged']);
    for (const d of devices) {
      const view = await api('GET', `/mdm/devices/${d.client.udid}`);
      assert.equal(view.body.push.last_status, 'delivered');
      assert.equal(view.body.push.last_trigger, 'command');
      assert.equal(view.body.push.last_http_status, 200);
      assert.match(view.body.push.last_apns_id, /^[0-9a-f-]{36}$/i);
      assert.equal(view.body.push.unregistered_at, null);
      const log = await api('GET', `/mdm/devices/${d.client.udid}/pushes`);
      assert.deepEqual(log.body.items.map((p: any) => [p.trigger, p.status, p.attempts]), [['command', 'delivered', 1]]);
    }
    // The request APNs saw: Apple's path, headers and body.
    const seen = orchard.apns!.recentRequests().filter((r) => r.status === 200).slice(-4);
    for (const r of seen) {
      assert.match(r.path, /^\/3\/device\/[0-9a-f]{64}$/);
      assert.equal(r.headers['apns-push-type'], 'mdm');
      assert.equal(r.headers['apns-topic'], topic);
      assert.equal(r.headers['apns-priority'], '10');
    }
  });

  it('two commands queued together wake a device with one push; an admin can push on demand', async () => {
    const d = await device(IPHONE());
    const [a, b] = await Promise.all([
      api('POST', '/commands', { udids: [d.client.udid], command: { RequestType: 'DeviceInformation', Queries: ['OSVersion'] } }),
      api('POST', '/commands', { udids: [d.client.udid], command: { RequestType: 'InstalledApplicationList' } }),
    ]);
    assert.equal(await ackOf(d.listener, a!.body.command_uuid), 'Acknowledged');
    assert.equal(await ackOf(d.listener, b!.body.command_uuid), 'Acknowledged');
    await orchard.deps.services.push.idle();
    // Both requests may land in one batch (one push) or two; never a push per command per batch.
    const log = await api('GET', `/mdm/devices/${d.client.udid}/pushes`);
    assert.equal(log.body.items.length, d.listener.pushes);
    assert.ok(d.listener.pushes >= 1 && d.listener.pushes <= 2);

    const wakes = d.listener.wakes.length;
    const onDemand = await api('POST', `/mdm/devices/${d.client.udid}/push`);
    assert.equal(onDemand.status, 200);
    assert.equal(onDemand.body.status, 'delivered');
    assert.equal(onDemand.body.http_status, 200);
    const idle = await d.listener.waitForWake(() => true, wakes);
    assert.deepEqual(idle.steps, []);
    const many = await api('POST', '/push', { udids: [d.client.udid, 'NO-SUCH-DEVICE'] });
    assert.deepEqual(many.body.results.map((r: any) => [r.status, r.skipped]), [['delivered', null], ['skipped', 'not_found']]);
  });

  it('429 and 503 are retried with back-off, then delivered', async () => {
    const d = await device(MAC());
    orchard.apns!.faults.forceNext(2, { status: 429, reason: 'TooManyRequests' });
    orchard.apns!.faults.forceNext(1, { status: 503, reason: 'ServiceUnavailable' });
    const q = await api('POST', '/commands', { udids: [d.client.udid], command: { RequestType: 'DeviceInformation', Queries: ['UDID'] } });
    assert.equal(await ackOf(d.listener, q.body.command_uuid), 'Acknowledged');
    await orchard.deps.services.push.idle();
    const log = await api('GET', `/mdm/devices/${d.client.udid}/pushes`);
    assert.deepEqual(log.body.items.map((p: any) => [p.status, p.http_status, p.attempts]), [['delivered', 200, 4]]);
    const rejected = orchard.apns!.counters().rejected;
    assert.ok(rejected.TooManyRequests! >= 2 && rejected.ServiceUnavailable! >= 1);
  });

  it('410 Unregistered stops pushes to the token until a new TokenUpdate', async () => {
    const d = await device(APPLE_TV());
    let unregistered: number | undefined;
    const gone = new Promise<void>((resolve) => listeners.push(listenForPushes({
      client: d.client, deviceChannelUrl: orchard.apnsDeviceUrl!, topic, onUnregistered: (ts) => { unregistered = ts; resolve(); },
    })));
    const at = new Date();
    orchard.apns!.markUnregistered(d.token, at);
    await gone;
    assert.equal(unregistered, at.getTime());

    const first = await api('POST', '/commands', { udids: [d.client.udid], command: { RequestType: 'DeviceInformation', Queries: ['UDID'] } });
    assert.equal(first.body.push_targets, 1);
    await orchard.deps.services.push.idle();
    let view = await api('GET', `/mdm/devices/${d.client.udid}`);
    assert.equal(view.body.push.last_status, 'unregistered');
    assert.equal(view.body.push.last_http_status, 410);
    assert.equal(view.body.push.unregistered_at, at.toISOString());

    const sent = orchard.apns!.counters().rejected.Unregistered;
    const second = await api('POST', '/commands', { udids: [d.client.udid], command: { RequestType: 'InstalledApplicationList' } });
    assert.equal(second.body.push_targets, 0);
    const manual = await api('POST', `/mdm/devices/${d.client.udid}/push`);
    assert.deepEqual([manual.body.status, manual.body.skipped], ['skipped', 'unregistered']);
    await orchard.deps.services.push.idle();
    assert.equal(orchard.apns!.counters().rejected.Unregistered, sent);

    // The device registers with APNs again and tells Orchard with a TokenUpdate: pushes resume.
    orchard.apns!.devices.clearUnregistered(d.token);
    const back = d.listen();
    await back.ready;
    assert.equal((await d.client.tokenUpdate()).status, 200);
    view = await api('GET', `/mdm/devices/${d.client.udid}`);
    assert.equal(view.body.push.unregistered_at, null);
    const third = await api('POST', '/commands', { udids: [d.client.udid], command: { RequestType: 'DeviceInformation', Queries: ['OSVersion'] } });
    assert.equal(third.body.push_targets, 1);
    const wake = await back.waitForWake((s) => s.steps.some((x) => x.commandUuid === third.body.command_uuid));
    assert.deepEqual(wake.steps.map((s) => s.commandUuid), [first.body.command_uuid, second.body.command_uuid, third.body.command_uuid]);
    assert.ok(wake.steps.every((s) => s.status === 'Acknowledged'));
  });

  it('a certificate with another topic gets BadTopic, one outside the push CA 403 BadCertificate; both show on the certificate status', async () => {
    const d = await device(IPAD());
    const good = await orchard.deps.store.pushCertificates.get(orgId);
    // A certificate for another topic, put in place behind the upload's renewal check (as a
    // restored backup would): the local APNs refuses the device's topic with it.
    const install = async (issuer: Identity, uid: string) => {
      const keys = await generateRsaKeyPair(2048);
      const now = new Date();
      const cert = await issueCertificate({
        subject: { UID: uid, CN: 'APSP:other', C: 'US' }, publicKey: keys.publicKey, issuer, notBefore: new Date(now.getTime() - DAY),
        notAfter: new Date(now.getTime() + 30 * DAY), extendedKeyUsage: ['clientAuth'], keyUsage: ['digitalSignature'], extraExtensions: APPLE_PUSH_EXTENSIONS,
      });
      await orchard.deps.store.pushCertificates.put({
        ...good!, topic: uid, certificatePem: toPem(cert), keySealed: sealSecret(keyToPem(keys.privateKey), secretsKey()),
        serialNumber: cert.serialNumber, uploadedAt: new Date(),
      });
    };
    const secretsKey = () => loadSecretsKey(orchard.deps.config.dataDir);
    await install(orchard.deps.pki!.pushCa, 'com.apple.mgmt.External.00000000-0000-4000-8000-000000000001');
    let r = await api('POST', `/mdm/devices/${d.client.udid}/push`);
    assert.deepEqual([r.body.status, r.body.http_status, r.body.reason], ['fatal', 400, 'BadTopic']);
    let cert = await api('GET', '/push-certificate');
    assert.deepEqual([cert.body.last_error.status, cert.body.last_error.reason, cert.body.last_error.pushing_stopped], [400, 'BadTopic', false]);
    assert.equal(d.listener.pushes, 0);

    await install(await makeCa('Not the push CA'), topic);
    r = await api('POST', `/mdm/devices/${d.client.udid}/push`);
    assert.deepEqual([r.body.status, r.body.http_status, r.body.reason], ['fatal', 403, 'BadCertificate']);
    cert = await api('GET', '/push-certificate');
    assert.deepEqual([cert.body.last_error.status, cert.body.last_error.reason, cert.body.last_error.pushing_stopped], [403, 'BadCertificate', true]);
    r = await api('POST', `/mdm/devices/${d.client.udid}/push`);
    assert.deepEqual([r.body.status, r.body.skipped], ['skipped', 'certificate_refused']);

    // Installing a good certificate again (renewal, same topic) lifts the stop.
    await orchard.deps.store.pushCertificates.put({ ...good!, uploadedAt: new Date() });
    r = await api('POST', `/mdm/devices/${d.client.udid}/push`);
    assert.equal(r.body.status, 'delivered');
    assert.equal((await api('GET', '/push-certificate')).body.last_error, null);
  });
});
