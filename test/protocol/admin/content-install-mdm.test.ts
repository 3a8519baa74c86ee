// Installing bought apps through Orchard's own MDM (the wiring of src/services.ts): devices found
// by serial, family and group among enrolled channels, OS versions from Authenticate and
// DeviceInformation, InstallApplication / InstallMedia / RemoveApplication reaching simulated
// devices, the default grace period (scheduled RemoveApplication), and migrating a user licence
// to a device licence.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DAY_MS } from '../../../src/clock.js';
import type { MdmClient, SimDeviceFacts } from '../../../src/sim/mdm-client.js';
import { APPS, buy, credit, locationId } from '../../support/content.js';
import { IPAD, IPHONE, MAC } from '../../support/mdm.js';
import { mdmTest, type MdmTest } from '../mdm/setup.js';

const BUNDLE = { ledgerPro: 'com.orchardfixtures.ledgerpro', meetingTimer: 'com.orchardfixtures.meetingtimer' };

describe('Admin API: app installs through Orchard\'s MDM', () => {
  let t: MdmTest;
  let hq: string;
  const post = (path: string, body: object) => request(t.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${t.adminToken}`).send(body);
  const get = (path: string) => request(t.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${t.adminToken}`);
  const enrol = async (facts: SimDeviceFacts) => (await t.enrolled(facts)).client;
  /** The device's answer to one admin-queued command, after it polled. */
  const ask = async (c: MdmClient, command: object) => {
    const q = await post('/commands', { udids: [c.udid], command }).expect(201);
    await c.connectLoop();
    return (await get(`/commands/${q.body.command_uuid}`)).body.targets[0].response;
  };

  beforeEach(async () => {
    t = await mdmTest();
    hq = await locationId(t, 'Headquarters');
    await credit(t, hq, 'VPPUSD-DEMO-0100-A1B2');
  });

  it('assigns by family to enrolled devices only, and the devices install it', async () => {
    assert.equal((await buy(t, hq, APPS.ledgerPro, 5)).status, 201);
    const pad1 = await enrol(IPAD());
    const pad2 = await enrol(IPAD());
    const phone = await enrol(IPHONE());
    const res = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, families: ['iPad'] }).expect(200);
    assert.deepEqual(res.body.results.map((r: any) => [r.status, r.command?.RequestType]), [['associated', 'InstallApplication'], ['associated', 'InstallApplication']]);
    for (const c of [pad1, pad2]) {
      const s = await c.connectLoop();
      assert.deepEqual(s.steps.map((x) => [x.requestType, x.status]), [['InstallApplication', 'Acknowledged']]);
      assert.ok(c.state.apps.some((a) => a.Identifier === BUNDLE.ledgerPro && a.managed && a.deviceBasedVpp && a.managementFlags === 1));
    }
    assert.deepEqual((await phone.connectLoop()).steps, []);
    const installed = await ask(pad1, { RequestType: 'InstalledApplicationList', Identifiers: [BUNDLE.ledgerPro] });
    const item = installed.InstalledApplicationList[0];
    assert.deepEqual(Object.keys(item).sort(), ['AdHocCodeSigned', 'AppStoreVendable', 'BetaApp', 'BundleSize', 'DeviceBasedVPP', 'DynamicSize',
      'ExternalVersionIdentifier', 'HasUpdateAvailable', 'Identifier', 'Installing', 'IsAppClip', 'IsValidated', 'Name', 'ShortVersion', 'Version']);
    assert.deepEqual([item.Identifier, item.Name, item.DeviceBasedVPP, item.AppStoreVendable, item.Installing], [BUNDLE.ledgerPro, 'Ledger Pro', true, true, false]);
  });

  it('group order:<number> names the enrolled devices of an Apple Business Manager order; others come back device_not_found', async () => {
    assert.equal((await buy(t, hq, APPS.ledgerPro, 5)).status, 201);
    const serials = await t.deps.store.devices.serialsOfOrders(t.orgId, ['DEMO-2023-1107']);
    assert.equal(serials.length, 8);
    await enrol({ ...MAC(), serialNumber: serials[0]! });
    await enrol({ ...MAC(), serialNumber: serials[1]! });
    const res = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, group_ids: ['order:DEMO-2023-1107'] }).expect(200);
    assert.deepEqual(res.body.results.map((r: any) => [r.serial_number, r.status, r.reason]), [
      [serials[0], 'associated', null], [serials[1], 'associated', null], ...serials.slice(2).map((x) => [x, 'refused', 'device_not_found']),
    ]);
    const bad = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, group_ids: ['classroom-7'] }).expect(400);
    assert.equal(bad.body.error.code, 'group_id_invalid');
    const none = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, group_ids: ['server:NOPE'] }).expect(400);
    assert.equal(none.body.error.code, 'group_not_found');
  });

  it('checks the OS version Authenticate reported, and the newer one a DeviceInformation answer reports after an update', async () => {
    assert.equal((await buy(t, hq, APPS.ledgerPro, 1)).status, 201);
    const facts = { ...IPHONE(), osVersion: '14.8', buildVersion: '18H17' };
    const phone = await enrol(facts);
    const before = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: [facts.serialNumber] }).expect(200);
    assert.deepEqual([before.body.results[0].status, before.body.results[0].reason], ['refused', 'os_too_old']);
    facts.osVersion = '17.5.1'; // the user updates iOS
    facts.buildVersion = '21F90';
    await ask(phone, { RequestType: 'DeviceInformation', Queries: ['OSVersion', 'BuildVersion'] });
    const after = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: [facts.serialNumber] }).expect(200);
    assert.equal(after.body.results[0].status, 'associated');
    assert.equal((await get(`/mdm/devices/${facts.udid}`)).body.os_version, '17.5.1');
  });

  it('the default grace period: RemoveApplication is scheduled, not delivered before its time, then delivered', async () => {
    t.clock.freeze(new Date());
    assert.equal((await buy(t, hq, APPS.ledgerPro, 1)).status, 201);
    assert.deepEqual((await get('/content/install-settings').expect(200)).body, { revocation_grace_period_days: 0 });
    const put = (body: object) => request(t.app).put('/api/v1/content/install-settings').set('Authorization', `Bearer ${t.adminToken}`).send(body);
    assert.equal((await put({ revocation_grace_period_days: 31 }).expect(400)).body.error.code, 'grace_period_invalid');
    // A wrong type is refused by the contract's validator (src/portal/api/openapi/), before the handler.
    assert.deepEqual((await put({ revocation_grace_period_days: '7' }).expect(400)).body.error.details, { errors: [{ pointer: '/body/revocation_grace_period_days', problem: 'wrong_type', expected: 'integer' }] });
    assert.deepEqual((await put({ revocation_grace_period_days: 7 }).expect(200)).body, { revocation_grace_period_days: 7 });
    const reader = await t.tokenFor(['DeviceManager']);
    const denied = await request(t.app).put('/api/v1/content/install-settings').set('Authorization', `Bearer ${reader}`).send({ revocation_grace_period_days: 1 });
    assert.equal(denied.status, 403);

    const facts = MAC();
    const mac = await enrol(facts);
    await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: [facts.serialNumber] }).expect(200);
    await mac.connectLoop();
    const revoked = await post('/content/revocations', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: [facts.serialNumber] }).expect(200);
    const r = revoked.body.results[0];
    assert.equal(r.status, 'removed');
    assert.equal(Date.parse(r.not_before) - t.clock.now().getTime(), 7 * DAY_MS);
    const licences = await get(`/locations/${hq}/licences`).expect(200);
    assert.deepEqual([licences.body.items[0].in_use, licences.body.items[0].available], [0, 1], 'the licence is free at once');

    // Before its time the device gets nothing, and no wake-up push is owed.
    assert.deepEqual((await mac.connectLoop()).steps, []);
    assert.deepEqual(await t.deps.services.mdm.queue.takeDueWakeups(), []);
    const cmd = await get(`/commands/${r.command_uuid}`).expect(200);
    assert.deepEqual([cmd.body.targets[0].state, cmd.body.targets[0].not_before], ['queued', r.not_before]);
    t.clock.advance(7 * DAY_MS - 1000);
    assert.deepEqual((await mac.connectLoop()).steps, []);

    // At its time: one wake-up push is owed (once), and the device removes the app.
    t.clock.advance(1000);
    assert.deepEqual(await t.deps.services.mdm.queue.takeDueWakeups(), [{ enrollmentId: facts.udid, orgId: t.orgId }]);
    assert.deepEqual(await t.deps.services.mdm.queue.takeDueWakeups(), []);
    const s = await mac.connectLoop();
    assert.deepEqual(s.steps.map((x) => [x.commandUuid, x.requestType, x.status]), [[r.command_uuid, 'RemoveApplication', 'Acknowledged']]);
    assert.equal(mac.state.apps.some((a) => a.Identifier === BUNDLE.ledgerPro), false);

    // An explicit grace_period_days still wins over the default.
    await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: [facts.serialNumber] }).expect(200);
    await mac.connectLoop();
    const now = await post('/content/revocations', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: [facts.serialNumber], grace_period_days: 0 }).expect(200);
    assert.deepEqual((await mac.connectLoop()).steps.map((x) => [x.commandUuid, x.requestType]), [[now.body.results[0].command_uuid, 'RemoveApplication']]);
  });

  it('a scheduled command through POST /commands: not_before shown, nothing pushed, refused when not a date', async () => {
    const facts = IPHONE();
    const phone = await enrol(facts);
    const at = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const q = await post('/commands', { udids: [facts.udid], command: { RequestType: 'DeviceInformation', Queries: ['OSVersion'] }, not_before: at }).expect(201);
    assert.deepEqual([q.body.push_targets, q.body.not_before], [0, at]);
    const soon = await post('/commands', { udids: [facts.udid], command: { RequestType: 'SecurityInfo' } }).expect(201);
    assert.deepEqual((await phone.connectLoop()).steps.map((x) => x.commandUuid), [soon.body.command_uuid], 'a later command is not held up by a scheduled one');
    assert.equal((await post('/commands', { udids: [facts.udid], command: { RequestType: 'SecurityInfo' }, not_before: 'tomorrow' }).expect(400)).body.error.code, 'not_before_invalid');
    t.clock.advance(3_600_000);
    assert.deepEqual((await phone.connectLoop()).steps.map((x) => x.commandUuid), [q.body.command_uuid]);
  });

  it('migrates a user licence to the device licence of an enrolled device: same licence, InstallApplication again', async () => {
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1)).status, 201);
    const facts = IPHONE();
    const phone = await enrol(facts);
    const u = await post('/content/assignments', { location_id: hq, adam_id: APPS.meetingTimer, users: [{ client_user_id: 'user-7', email: 'sam@demo.orchard.test', serial_number: facts.serialNumber }] }).expect(200);
    assert.deepEqual([u.body.results[0].client_user_id, u.body.results[0].serial_number, u.body.results[0].status], ['user-7', facts.serialNumber, 'associated']);
    assert.match(u.body.results[0].command_uuid, /^[0-9A-F-]{36}$/i, 'queued to the device the user named');
    await phone.connectLoop();

    await post('/content/migrations', { location_id: hq, adam_id: APPS.meetingTimer, client_user_id: 'user-7' }).expect(400);
    const unknown = await post('/content/migrations', { location_id: hq, adam_id: APPS.meetingTimer, client_user_id: 'user-7', serial_number: 'NOPE' }).expect(200);
    assert.deepEqual([unknown.body.result.status, unknown.body.result.reason], ['refused', 'device_not_found']);
    const moved = await post('/content/migrations', { location_id: hq, adam_id: APPS.meetingTimer, client_user_id: 'user-7', serial_number: facts.serialNumber }).expect(200);
    assert.deepEqual([moved.body.result.serial_number, moved.body.result.status], [facts.serialNumber, 'associated']);
    assert.deepEqual(moved.body.result.command, { RequestType: 'InstallApplication', iTunesStoreID: Number(APPS.meetingTimer), ManagementFlags: 1, Options: { PurchaseMethod: 1 } });
    const s = await phone.connectLoop();
    assert.deepEqual(s.steps.map((x) => [x.commandUuid, x.requestType, x.status]), [[moved.body.result.command_uuid, 'InstallApplication', 'Acknowledged']]);
    const pool = await t.deps.store.content.purchasing.pool(hq, APPS.meetingTimer, 'STDQ');
    assert.deepEqual([pool!.totalCount, pool!.assignedCount], [1, 1]);
    const again = await post('/content/migrations', { location_id: hq, adam_id: APPS.meetingTimer, client_user_id: 'user-7', serial_number: facts.serialNumber }).expect(409);
    assert.equal(again.body.error.code, 'not_assigned');
  });

  it('a book assigned to a user is sent to the device the user named with InstallMedia; the device lists it', async () => {
    assert.equal((await buy(t, hq, APPS.fieldGuide, 1)).status, 201);
    const facts = IPHONE();
    const phone = await enrol(facts);
    const res = await post('/content/assignments', { location_id: hq, adam_id: APPS.fieldGuide, users: [{ client_user_id: 'reader-1', serial_number: facts.serialNumber }] }).expect(200);
    const r = res.body.results[0];
    assert.deepEqual(r.command, { RequestType: 'InstallMedia', MediaType: 'Book', iTunesStoreID: Number(APPS.fieldGuide) });
    const s = await phone.connectLoop();
    assert.deepEqual(s.steps.map((x) => [x.commandUuid, x.requestType, x.status]), [[r.command_uuid, 'InstallMedia', 'Acknowledged']]);
    const ack = await get(`/commands/${r.command_uuid}`);
    assert.deepEqual([ack.body.targets[0].response.iTunesStoreID, ack.body.targets[0].response.State], [Number(APPS.fieldGuide), 'Queued']);
    const media = await ask(phone, { RequestType: 'ManagedMediaList' });
    assert.deepEqual(media.Books, [{
      iTunesStoreID: Number(APPS.fieldGuide), Title: 'The Field Guide to Device Fleets', Author: 'A. Admin', Version: media.Books[0].Version, Kind: 'ibooks', State: 'Installed',
    }]);
    // A user with no device named: licence associated, nothing queued.
    assert.equal((await buy(t, hq, APPS.fieldGuide, 1)).status, 201);
    const plain = await post('/content/assignments', { location_id: hq, adam_id: APPS.fieldGuide, users: [{ client_user_id: 'reader-2' }] }).expect(200);
    assert.deepEqual([plain.body.results[0].status, plain.body.results[0].command_uuid], ['associated', null]);
  });

  it('the simulator refuses an iTunesStoreID its App Store does not have, and an app its platform cannot run', async () => {
    const facts = IPHONE();
    const phone = await enrol(facts);
    const unknown = await post('/commands', { udids: [facts.udid], command: { RequestType: 'InstallApplication', iTunesStoreID: 999999999, Options: { PurchaseMethod: 1 } } }).expect(201);
    const mac = await post('/commands', { udids: [facts.udid], command: { RequestType: 'InstallApplication', iTunesStoreID: Number(APPS.terminalDeck), Options: { PurchaseMethod: 1 } } }).expect(201);
    const s = await phone.connectLoop();
    assert.deepEqual(s.steps.map((x) => x.status), ['Error', 'Error']);
    for (const uuid of [unknown.body.command_uuid, mac.body.command_uuid]) {
      const res = (await get(`/commands/${uuid}`)).body.targets[0].response;
      assert.equal(res.ErrorChain[0].ErrorDomain, 'MCMDMErrorDomain');
      assert.equal(res.Status, 'Error');
    }
  });
});
