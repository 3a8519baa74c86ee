// Issue 8 end to end on a real loopback Orchard: a Content Manager buys 3 licences of Ledger Pro
// at Headquarters and downloads the content token; an iPhone, an iPad and a Mac simulator are
// enrolled; the app is assigned to them through the admin API, each device receives
// InstallApplication (iTunesStoreID, PurchaseMethod 1), installs it and acknowledges; a fourth
// iPhone is refused for lack of licences (an Apple TV for its platform); revoking from the Mac
// (grace period 0) sends RemoveApplication, the app leaves its ManagedApplicationList and the
// licence is back in the purchase summary and the Apps and Books API; licences move to Berlin.
// Orchard runs with its local APNs in-process (apns.mode simulator): the devices hold their APNs
// connection and never poll; every command reaches them because Orchard pushed it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AdjustableClock, DAY_MS } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { MdmClient, type SimDeviceFacts } from '../../src/sim/mdm-client.js';
import { listenForPushes, type PushListener } from '../../src/sim/push-listener.js';
import { tempDir } from '../support/harness.js';
import { APPLE_TV, IPAD, IPHONE, MAC, issueDeviceIdentity, recordIdentity } from '../support/mdm.js';

const LEDGER_PRO = '1500000007'; // iOS (iPhone + iPad) and macOS, 9.99 USD
const BUNDLE = 'com.orchardfixtures.ledgerpro';

describe('e2e: buying an app and installing it on an iPhone, an iPad and a Mac through Orchard', function () {
  let orchard: RunningOrchard;
  const clock = new AdjustableClock();
  const listeners: PushListener[] = [];
  before(async () => {
    const config = loadConfig({
      ORCHARD_DATA_DIR: tempDir('orchard-e2e-install-'), PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent', ORCHARD_APNS_MODE: 'simulator',
    });
    orchard = await startOrchard(config, { clock, logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000 });
  });
  after(async () => {
    for (const l of listeners) l.close();
    await orchard?.close();
  });

  it('buys, assigns, installs, refuses the fourth, revokes from the Mac, transfers', async () => {
    const adminToken = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    const orgId = orchard.bootstrap.orgId!;
    const call = (token: string) => async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${orchard.url}${path}`, {
        method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, text, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
    };
    const admin = call(adminToken);

    // A Content Manager, with an API token of their own.
    const account = await admin('POST', '/api/v1/accounts', { email: 'casey.content@demo.orchard.test', given_name: 'Casey', family_name: 'Content', roles: ['ContentManager'], password: 'correct horse battery staple' });
    assert.equal(account.status, 201);
    const cm = call((await orchard.deps.services.accounts.issueApiToken(account.body.id, 'e2e')).token);

    const locations = (await cm('GET', '/api/v1/locations')).body.items as Array<{ id: string; name: string }>;
    const hq = locations.find((l) => l.name === 'Headquarters')!.id;
    const berlin = locations.find((l) => l.name === 'Berlin Office')!.id;
    assert.equal((await cm('POST', `/api/v1/locations/${hq}/credit/redeem`, { code: 'VPPUSD-DEMO-0100-A1B2' })).status, 200);
    const bought = await cm('POST', '/api/v1/purchases', { location_id: hq, adam_id: LEDGER_PRO, quantity: 3 });
    assert.equal(bought.status, 201, bought.text);
    assert.deepEqual([bought.body.quantity, bought.body.total], [3, { amount: '29.97', currency: 'USD' }]);
    const token = await cm('GET', `/api/v1/locations/${hq}/content-token`);
    assert.equal(token.status, 200);
    const sToken = token.text.trim();
    const vppAssets = async (st: string) => {
      const res = await fetch(`${orchard.url}/vpp/mdm/v2/assets`, { headers: { Authorization: `Bearer ${st}` } });
      assert.equal(res.status, 200);
      const body = await res.json() as { assets: Array<{ adamId: string; assignedCount: number; availableCount: number; totalCount: number }> };
      const a = body.assets.find((x) => x.adamId === LEDGER_PRO)!;
      return [a.totalCount, a.assignedCount, a.availableCount];
    };
    assert.deepEqual(await vppAssets(sToken), [3, 0, 3]);

    // Five simulated devices enrol in Orchard's MDM (identity issued by pki.ca and recorded, as SCEP
    // would) and listen on the local APNs under the demo push certificate's topic.
    const topic = (await admin('GET', '/api/v1/push-certificate')).body.topic as string;
    const serials = new Map<MdmClient, string>();
    const listenerOf = new Map<MdmClient, PushListener>();
    const enrol = async (facts: SimDeviceFacts) => {
      const identity = await issueDeviceIdentity(orchard.deps.pki!.ca, facts.udid);
      await recordIdentity(orchard.deps.store, identity, orgId, { udid: facts.udid, serialNumber: facts.serialNumber });
      const client = new MdmClient({ identity, serverUrl: `${orchard.url}/mdm/connect`, checkInUrl: `${orchard.url}/mdm/checkin`, topic, device: facts });
      assert.equal((await client.authenticate()).status, 200);
      assert.equal((await client.tokenUpdate()).status, 200);
      const listener = listenForPushes({ client, deviceChannelUrl: orchard.apnsDeviceUrl!, topic });
      listeners.push(listener);
      await listener.ready;
      serials.set(client, facts.serialNumber);
      listenerOf.set(client, listener);
      return client;
    };
    const [phone, pad, mac, phone2, tv] = [await enrol(IPHONE()), await enrol(IPAD()), await enrol(MAC()), await enrol(IPHONE()), await enrol(APPLE_TV())] as MdmClient[];
    const serial = (c: MdmClient) => serials.get(c)!;
    /** What the device answered to a command, once a push woke it and it ran it. */
    const ranOn = async (c: MdmClient, uuid: string) => {
      const wake = await listenerOf.get(c)!.waitForWake((w) => w.steps.some((x) => x.commandUuid === uuid));
      const step = wake.steps.find((x) => x.commandUuid === uuid)!;
      return [step.requestType, step.status];
    };
    const queueOf = async (c: MdmClient) => (await admin('GET', `/api/v1/mdm/devices/${c.udid}`)).body.queue;

    // Assign to the iPhone, the iPad and the Mac: three licences associated, InstallApplication queued for each.
    const assigned = await cm('POST', '/api/v1/content/assignments', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [phone, pad, mac].map(serial) });
    assert.equal(assigned.status, 200);
    const install = { RequestType: 'InstallApplication', iTunesStoreID: Number(LEDGER_PRO), ManagementFlags: 1, Options: { PurchaseMethod: 1 } };
    for (const [i, c] of [phone, pad, mac].entries()) {
      const r = assigned.body.results[i];
      assert.deepEqual([r.serial_number, r.status, r.newly_associated, r.reason], [serial(c), 'associated', true, null]);
      assert.deepEqual(r.command, install);
      assert.match(r.command_uuid, /^[0-9A-F-]{36}$/i);
    }

    // Each device is pushed, fetches the command, installs the app and acknowledges with its bundle id.
    for (const [i, c] of [phone, pad, mac].entries()) {
      assert.deepEqual(await ranOn(c!, assigned.body.results[i].command_uuid), ['InstallApplication', 'Acknowledged']);
      const cmd = await admin('GET', `/api/v1/commands/${assigned.body.results[i].command_uuid}`);
      assert.deepEqual(cmd.body.command, install);
      assert.equal(cmd.body.targets[0].state, 'acknowledged');
      assert.deepEqual([cmd.body.targets[0].response.Identifier, cmd.body.targets[0].response.State], [BUNDLE, 'Queued']);
    }

    // None of them polled: each was woken by its push.
    for (const c of [phone!, pad!, mac!]) assert.ok(listenerOf.get(c)!.pushes >= 1);

    // The devices report it as a managed app.
    const managedList = async (clients: MdmClient[]) => {
      const q = await admin('POST', '/api/v1/commands', { udids: clients.map((c) => c.udid), command: { RequestType: 'ManagedApplicationList' } });
      assert.equal(q.status, 201);
      for (const c of clients) assert.deepEqual(await ranOn(c, q.body.command_uuid), ['ManagedApplicationList', 'Acknowledged']);
      const done = await admin('GET', `/api/v1/commands/${q.body.command_uuid}`);
      return Object.fromEntries(done.body.targets.map((t: any) => [t.udid, t.response.ManagedApplicationList]));
    };
    const lists = await managedList([phone!, pad!, mac!]);
    for (const c of [phone!, pad!, mac!]) {
      assert.deepEqual(Object.keys(lists[c.udid]), [BUNDLE]);
      assert.deepEqual({ ...lists[c.udid][BUNDLE], ExternalVersionIdentifier: 0 }, {
        Status: 'Managed', ManagementFlags: 1, HasConfiguration: false, HasFeedback: false, IsValidated: true, ExternalVersionIdentifier: 0,
      });
    }
    const apps = await admin('POST', '/api/v1/commands', { udids: [mac!.udid], command: { RequestType: 'InstalledApplicationList', ManagedAppsOnly: true } });
    await ranOn(mac!, apps.body.command_uuid);
    const macApps = (await admin('GET', `/api/v1/commands/${apps.body.command_uuid}`)).body.targets[0].response.InstalledApplicationList;
    assert.deepEqual(macApps.map((a: any) => [a.Identifier, a.Name, a.DeviceBasedVPP, a.AppStoreVendable]), [[BUNDLE, 'Ledger Pro', true, true]]);

    // A fourth iPhone: no licence left. The Apple TV: Ledger Pro has no tvOS version. Nothing queued.
    const fourth = await cm('POST', '/api/v1/content/assignments', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [serial(phone2!), serial(tv!)] });
    assert.deepEqual(fourth.body.results.map((r: any) => [r.serial_number, r.status, r.reason, r.command_uuid]), [
      [serial(phone2!), 'refused', 'not_enough_licences', null],
      [serial(tv!), 'refused', 'platform_not_supported', null],
    ]);
    assert.deepEqual(await queueOf(phone2!), []);
    assert.deepEqual(await queueOf(tv!), []);
    const summary = async () => (await cm('GET', '/api/v1/purchases/summary')).body.items.find((i: any) => i.adam_id === LEDGER_PRO);
    assert.deepEqual(await summary(), {
      adam_id: LEDGER_PRO, name: 'Ledger Pro', product_type: 'App', purchased: 3, in_use: 3, available: 0,
      locations: [{ location_id: hq, total: 3, in_use: 3 }],
    });
    assert.deepEqual(await vppAssets(sToken), [3, 3, 0]);

    // Revoke from the Mac with no grace period: RemoveApplication is delivered at once, the licence is back.
    const revoked = await cm('POST', '/api/v1/content/revocations', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [serial(mac!)], grace_period_days: 0 });
    const rv = revoked.body.results[0];
    assert.deepEqual([rv.status, rv.command], ['removed', { RequestType: 'RemoveApplication', Identifier: BUNDLE }]);
    assert.deepEqual(await ranOn(mac!, rv.command_uuid), ['RemoveApplication', 'Acknowledged']);
    assert.deepEqual((await managedList([mac!]))[mac!.udid], {});
    assert.equal((await summary()).in_use, 2);
    assert.deepEqual(await vppAssets(sToken), [3, 2, 1]);

    // The freed licence now goes to the fourth iPhone.
    const again = await cm('POST', '/api/v1/content/assignments', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [serial(phone2!)] });
    assert.equal(again.body.results[0].status, 'associated');
    assert.deepEqual(await ranOn(phone2!, again.body.results[0].command_uuid), ['InstallApplication', 'Acknowledged']);
    assert.deepEqual(await vppAssets(sToken), [3, 3, 0]);

    // Revoke it again and move the free licence to Berlin: Berlin's own token sees it.
    const second = await cm('POST', '/api/v1/content/revocations', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [serial(phone2!)], grace_period_days: 0 });
    assert.deepEqual(await ranOn(phone2!, second.body.results[0].command_uuid), ['RemoveApplication', 'Acknowledged']);
    assert.equal((await cm('POST', '/api/v1/licence-transfers', { from_location_id: hq, to_location_id: berlin, adam_id: LEDGER_PRO, quantity: 2 })).status, 409);
    const moved = await cm('POST', '/api/v1/licence-transfers', { from_location_id: hq, to_location_id: berlin, adam_id: LEDGER_PRO, quantity: 1 });
    assert.equal(moved.status, 201);
    assert.deepEqual(await vppAssets(sToken), [2, 2, 0]);
    const berlinToken = (await cm('GET', `/api/v1/locations/${berlin}/content-token`)).text.trim();
    assert.deepEqual(await vppAssets(berlinToken), [1, 0, 1]);
    const byLocation = Object.fromEntries((await summary()).locations.map((l: any) => [l.location_id, [l.total, l.in_use]]));
    assert.deepEqual(byLocation, { [hq]: [2, 2], [berlin]: [1, 0] });

    // The organisation's default grace period (1 day): revoking from the iPad frees the licence at
    // once; RemoveApplication waits, and the iPad is pushed when it becomes due.
    clock.freeze(clock.now());
    assert.equal((await cm('PUT', '/api/v1/content/install-settings', { revocation_grace_period_days: 1 })).status, 200);
    const later = await cm('POST', '/api/v1/content/revocations', { location_id: hq, adam_id: LEDGER_PRO, serial_numbers: [serial(pad!)] });
    const lr = later.body.results[0];
    assert.equal(Date.parse(lr.not_before) - clock.now().getTime(), DAY_MS);
    assert.deepEqual(await vppAssets(sToken), [2, 1, 1]);
    assert.deepEqual((await queueOf(pad!)).map((q: any) => [q.command_uuid, q.state, q.not_before]), [[lr.command_uuid, 'queued', lr.not_before]]);
    assert.equal(await orchard.deps.services.mdm.scheduled.tick(), 0, 'not due yet: no push');
    clock.advance(DAY_MS);
    assert.equal(await orchard.deps.services.mdm.scheduled.tick(), 1);
    assert.deepEqual(await ranOn(pad!, lr.command_uuid), ['RemoveApplication', 'Acknowledged']);
    assert.deepEqual((await managedList([pad!]))[pad!.udid], {});
  });
});
