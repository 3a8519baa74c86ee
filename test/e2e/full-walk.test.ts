// The whole slice, one device at a time, nothing faked, on a real loopback Orchard with its local
// APNs in-process (apns.mode simulator):
//   an admin assigns an iPhone, an iPad, a Mac and an Apple TV from the demo orders to Orchard's
//   built-in MDM; Orchard's MDM, as a DEP client (its own server token, OAuth 1.0a session),
//   defines an ADE profile with await_device_configured and assigns it; each simulator walks
//   Setup Assistant (signed cloud configuration → signed MachineInfo → verified profile → SCEP
//   identity), checks in and holds its APNs connection; the DEP API reports the profile pushed;
//   the admin queues DeviceInformation, then DeviceConfigured; each device is woken by its push
//   only, answers, and leaves Setup Assistant; the admin API shows results and device records.
//   Then a Content Manager buys an app and assigns it to the iPhone and the Mac: InstallApplication
//   is pushed, installed and acknowledged, and ManagedApplicationList shows it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cmsDecrypt, smimeDecode } from '../../src/crypto/cms.js';
import { fingerprintOf, verifyIssuedBy } from '../../src/crypto/certificates.js';
import { loadConfig } from '../../src/config.js';
import { BUILTIN_SERVER_NAME } from '../../src/business/enrollment/builtin-mdm.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { SimulatedDevice, type SimFamily } from '../../src/sim/device.js';
import { KeyPool } from '../../src/sim/keys.js';
import { depAuthorization, type ServerTokenSecrets } from '../support/dep-oauth.js';
import { tempDir } from '../support/harness.js';
import { deviceKey } from '../support/sim-device.js';

// From fixtures/demo-orders.json: one of each family the demo organisation bought.
const DEMO: Array<[string, SimFamily]> = [['DMOPH0000001', 'iPhone'], ['DMOPD0000001', 'iPad'], ['DMOMC0000001', 'Mac'], ['DMOTV0000001', 'AppleTV']];
const LEDGER_PRO = '1500000007'; // iOS and macOS
const BUNDLE = 'com.orchardfixtures.ledgerpro';
const QUERIES = ['UDID', 'SerialNumber', 'DeviceName', 'Model', 'ProductName', 'OSVersion', 'BuildVersion', 'AwaitingConfiguration'];

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string; body: any }>;

describe('e2e: the full walk — assignment, ADE profile, Setup Assistant, check-in, pushes, commands, an app', function () {
  let orchard: RunningOrchard;
  let admin: Call;
  const devices: SimulatedDevice[] = [];

  const caller = (base: () => string, headers: () => Record<string, string>): Call => async (method, path, body) => {
    const res = await fetch(`${base()}${path}`, {
      method, headers: { ...headers(), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
  };

  before(async () => {
    const config = loadConfig({
      ORCHARD_DATA_DIR: tempDir('orchard-e2e-walk-'), PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent', ORCHARD_APNS_MODE: 'simulator',
    });
    // Background workers far apart: every push in this test is one a command caused.
    orchard = await startOrchard(config, { logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000 });
    const token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    admin = caller(() => `${orchard.url}/api/v1`, () => ({ authorization: `Bearer ${token}` }));
  });
  after(async () => {
    for (const d of devices) d.stop();
    await orchard?.close();
  });

  it('walks four devices from assignment to DeviceConfigured, then installs a bought app on two', async () => {
    const { deps } = orchard;
    const orgId = orchard.bootstrap.orgId!;

    // 1. The admin assigns one device of each family from the demo orders to Orchard's MDM.
    const builtin = (await admin('GET', '/mdm-servers')).body.items.find((s: any) => s.name === BUILTIN_SERVER_NAME);
    for (const [serial, family] of DEMO) {
      const d = await admin('GET', `/devices/${serial}`);
      assert.equal(d.status, 200, d.text);
      assert.equal(d.body.family, family);
    }
    const assigned = await admin('POST', `/mdm-servers/${builtin.id}/devices`, { serial_numbers: DEMO.map(([s]) => s) });
    assert.equal(assigned.status, 200, assigned.text);

    // 2. Orchard's MDM as a DEP client: its server token (enveloped to the key Orchard holds), a
    //    session, an ADE profile that keeps devices in Setup Assistant until DeviceConfigured.
    const tokenFile = await deps.services.servers.downloadToken(orgId, builtin.id);
    const secrets = JSON.parse(cmsDecrypt(smimeDecode(tokenFile.body), deps.pki.signing).toString('utf8').split(/\r?\n/).find((l) => l.startsWith('{'))!) as ServerTokenSecrets;
    const sessionUrl = `${orchard.url}/dep/session`;
    const session = await fetch(sessionUrl, { headers: { authorization: depAuthorization(secrets, sessionUrl), 'user-agent': 'orchard-e2e/1.0' } });
    assert.equal(session.status, 200);
    const sessionToken = ((await session.json()) as any).auth_session_token as string;
    const dep = caller(() => `${orchard.url}/dep`, () => ({ 'x-adm-auth-session': sessionToken, 'x-server-protocol-version': '7', 'user-agent': 'orchard-e2e/1.0' }));
    const defined = await dep('POST', '/profile', {
      profile_name: 'Walk: wait for DeviceConfigured', url: `${orchard.url}/enroll/dep`, is_supervised: true, is_mandatory: true,
      is_mdm_removable: false, await_device_configured: true, anchor_certs: [deps.pki.ca.cert.raw.toString('base64')],
    });
    assert.equal(defined.status, 200, defined.text);
    const profileUuid = defined.body.profile_uuid as string;
    assert.deepEqual(defined.body.devices, {});
    const put = await dep('PUT', '/profile/devices', { profile_uuid: profileUuid, devices: DEMO.map(([s]) => s) });
    assert.deepEqual(put.body.devices, Object.fromEntries(DEMO.map(([s]) => [s, 'SUCCESS'])));
    const statuses = async () => {
      const r = await dep('POST', '/devices', { devices: DEMO.map(([s]) => s) });
      return DEMO.map(([s]) => [r.body.devices[s].profile_uuid, r.body.devices[s].profile_status]);
    };
    assert.deepEqual(await statuses(), DEMO.map(() => [profileUuid, 'assigned']));

    // 3. Each device: identity from the factory, Setup Assistant, check-in, APNs connection.
    const keys = KeyPool.of([await deviceKey()]);
    for (const [serial, family] of DEMO) {
      const device = new SimulatedDevice({ serial, family, keys });
      devices.push(device);
      await device.obtainIdentity(orchard.url, fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim());
      const outcome = await device.enrol({ orchardUrl: orchard.url });
      assert.equal(outcome.state, 'enrolled', `${serial}: ${JSON.stringify(outcome)}`);
      assert.equal(device.profileVerified, true);
      assert.equal(device.cloudConfig?.ProfileUUID, profileUuid);
      assert.equal(device.cloudConfig?.AwaitDeviceConfigured, true);
      assert.equal(device.cloudConfig?.IsMDMUnremovable, true);
      assert.equal(device.mdm?.serverUrl, `${orchard.url}/mdm/connect`);
      // The SCEP identity: issued by Orchard's CA to this device, and recorded as its.
      assert.ok(verifyIssuedBy(device.mdmIdentity!.cert, deps.pki.ca.cert));
      const recorded = await deps.store.mdmIdentities.get(fingerprintOf(device.mdmIdentity!.cert));
      assert.deepEqual([recorded?.orgId, recorded?.serialNumber, recorded?.udid], [orgId, serial, device.udid]);
      assert.equal(device.inSetupAssistant, true);
      await device.run(orchard.apnsDeviceUrl!);
      assert.equal(device.inSetupAssistant, true, 'still waiting for DeviceConfigured');
    }
    const [phone, pad, mac, tv] = devices as [SimulatedDevice, SimulatedDevice, SimulatedDevice, SimulatedDevice];

    // The DEP API tells the MDM server the profile reached each device; Orchard knows they wait.
    assert.deepEqual(await statuses(), DEMO.map(() => [profileUuid, 'pushed']));
    for (const d of devices) {
      const view = await admin('GET', `/mdm/devices/${d.udid}`);
      assert.deepEqual([view.body.state, view.body.serial_number, view.body.awaiting_configuration, view.body.push.has_token, view.body.push.has_push_magic],
        ['enrolled', d.serial, true, true, true]);
    }
    // No connection so far: nothing was pushed, so nothing woke them.
    assert.deepEqual(devices.map((d) => [d.listener!.pushes, d.listener!.wakes.length, d.mdmClient().counters.idle]), devices.map(() => [0, 0, 0]));

    /** The admin queues a command for all four; each device runs it once its push woke it. */
    const apnsBefore = () => orchard.apns!.counters();
    const queueAndRun = async (command: Record<string, unknown>, wakesBefore: number) => {
      const before = apnsBefore();
      const q = await admin('POST', '/commands', { udids: devices.map((d) => d.udid), command });
      assert.equal(q.status, 201, q.text);
      assert.equal(q.body.push_targets, 4);
      for (const d of devices) {
        const wake = await d.listener!.waitForWake((w) => w.steps.some((s) => s.commandUuid === q.body.command_uuid), wakesBefore);
        assert.deepEqual(wake.steps.map((s) => [s.commandUuid, s.requestType, s.status]), [[q.body.command_uuid, command.RequestType, 'Acknowledged']]);
      }
      // Woken by their push only: one push each, one connect loop each, which opened with one Idle.
      assert.deepEqual(devices.map((d) => [d.listener!.pushes, d.listener!.ignored, d.listener!.wakes.length, d.mdmClient().counters.idle]),
        devices.map(() => [wakesBefore + 1, 0, wakesBefore + 1, wakesBefore + 1]));
      const after = apnsBefore();
      assert.deepEqual([after.accepted - before.accepted, after.delivered - before.delivered, after.stored - before.stored], [4, 4, 0]);
      const done = await admin('GET', `/commands/${q.body.command_uuid}`);
      assert.equal(done.status, 200);
      assert.deepEqual(done.body.targets.map((t: any) => t.state), ['acknowledged', 'acknowledged', 'acknowledged', 'acknowledged']);
      return Object.fromEntries(done.body.targets.map((t: any) => [t.udid, t.response])) as Record<string, any>;
    };

    // 4. DeviceInformation: the answers, as the admin API shows them.
    const info = await queueAndRun({ RequestType: 'DeviceInformation', Queries: QUERIES }, 0);
    for (const d of devices) {
      const q = info[d.udid].QueryResponses;
      assert.deepEqual([q.UDID, q.SerialNumber, q.DeviceName, q.Model, q.ProductName, q.OSVersion, q.BuildVersion, q.AwaitingConfiguration],
        [d.udid, d.serial, d.deviceName, d.model, d.productName, d.osVersion, d.buildVersion, true]);
      assert.equal(info[d.udid].Status, 'Acknowledged');
      assert.equal(d.inSetupAssistant, true);
    }

    // 5. DeviceConfigured: each device leaves Setup Assistant, and Orchard knows.
    await queueAndRun({ RequestType: 'DeviceConfigured' }, 1);
    for (const d of devices) assert.equal(d.inSetupAssistant, false, `${d.serial} left Setup Assistant`);
    const platforms: Record<SimFamily, string> = { iPhone: 'iOS', iPad: 'iPadOS', Mac: 'macOS', AppleTV: 'tvOS' };
    for (const d of devices) {
      const view = await admin('GET', `/mdm/devices/${d.udid}`);
      const b = view.body;
      assert.deepEqual(
        [b.udid, b.serial_number, b.family, b.model, b.product_name, b.os_version, b.build_version, b.device_name, b.awaiting_configuration, b.topic],
        [d.udid, d.serial, d.family, d.model, d.productName, d.osVersion, d.buildVersion, d.deviceName, false, d.mdm!.topic],
      );
      assert.equal(b.platform, platforms[d.family]);
      assert.match(b.last_seen_at, /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual([b.push.last_status, b.push.last_trigger, b.push.last_http_status, b.push.unregistered_at], ['delivered', 'command', 200, null]);
      // The device answered its last push: nothing outstanding, no re-push planned.
      assert.ok(b.last_seen_at >= b.push.last_push_at, `${b.last_seen_at} ≥ ${b.push.last_push_at}`);
      assert.deepEqual([b.push.pushes_since_connect, b.push.next_push_at], [0, null]);
      assert.deepEqual(b.queue, []);
      assert.deepEqual(b.history.map((h: any) => [h.request_type, h.state]).sort(), [['DeviceConfigured', 'acknowledged'], ['DeviceInformation', 'acknowledged']]);
    }

    // 6. A Content Manager buys Ledger Pro and assigns it to the iPhone and the Mac.
    const account = await admin('POST', '/accounts', { email: 'casey.walk@demo.orchard.test', given_name: 'Casey', family_name: 'Walk', roles: ['ContentManager'], password: 'correct horse battery staple' });
    assert.equal(account.status, 201, account.text);
    const cmToken = (await deps.services.accounts.issueApiToken(account.body.id, 'walk')).token;
    const cm = caller(() => `${orchard.url}/api/v1`, () => ({ authorization: `Bearer ${cmToken}` }));
    const hq = (await cm('GET', '/locations')).body.items.find((l: any) => l.name === 'Headquarters').id;
    assert.equal((await cm('POST', `/locations/${hq}/credit/redeem`, { code: 'VPPUSD-DEMO-0100-A1B2' })).status, 200);
    const bought = await cm('POST', '/purchases', { location_id: hq, adam_id: LEDGER_PRO, quantity: 2 });
    assert.equal(bought.status, 201, bought.text);
    const before = apnsBefore();
    const assignedApp = await cm('POST', '/content/assignments', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [phone.serial, mac.serial] });
    assert.equal(assignedApp.status, 200, assignedApp.text);
    const install = { RequestType: 'InstallApplication', iTunesStoreID: Number(LEDGER_PRO), ManagementFlags: 1, Options: { PurchaseMethod: 1 } };
    for (const [i, d] of [phone, mac].entries()) {
      const r = assignedApp.body.results[i];
      assert.deepEqual([r.serial_number, r.status, r.command], [d.serial, 'associated', install]);
      const wake = await d.listener!.waitForWake((w) => w.steps.some((s) => s.commandUuid === r.command_uuid), 2);
      assert.deepEqual(wake.steps.map((s) => [s.requestType, s.status]), [['InstallApplication', 'Acknowledged']]);
      const cmd = await admin('GET', `/commands/${r.command_uuid}`);
      assert.deepEqual([cmd.body.targets[0].udid, cmd.body.targets[0].state, cmd.body.targets[0].response.Identifier], [d.udid, 'acknowledged', BUNDLE]);
      assert.deepEqual([d.listener!.pushes, d.listener!.wakes.length, d.mdmClient().counters.idle], [3, 3, 3]);
    }
    // The iPad and the Apple TV were not pushed.
    for (const d of [pad, tv]) assert.deepEqual([d.listener!.pushes, d.mdmClient().counters.idle], [2, 2]);
    assert.equal(apnsBefore().delivered - before.delivered, 2);

    // 7. ManagedApplicationList shows it on both, as a managed app.
    const q = await admin('POST', '/commands', { udids: [phone.udid, mac.udid], command: { RequestType: 'ManagedApplicationList' } });
    assert.equal(q.status, 201, q.text);
    for (const d of [phone, mac]) await d.listener!.waitForWake((w) => w.steps.some((s) => s.commandUuid === q.body.command_uuid), 3);
    const lists = (await admin('GET', `/commands/${q.body.command_uuid}`)).body.targets;
    for (const t of lists) {
      assert.equal(t.state, 'acknowledged');
      assert.deepEqual(Object.keys(t.response.ManagedApplicationList), [BUNDLE]);
      assert.deepEqual([t.response.ManagedApplicationList[BUNDLE].Status, t.response.ManagedApplicationList[BUNDLE].ManagementFlags], ['Managed', 1]);
    }
    assert.deepEqual(lists.map((t: any) => t.udid).sort(), [phone.udid, mac.udid].sort());
    for (const d of devices) assert.equal(d.mdmClient().counters.idle, d.listener!.wakes.length, `${d.serial} never polled`);
  });
});
