// Installing through Orchard's MDM: buy 3 → token → assign to an iPhone, an iPad and a Mac
// (licences associated, InstallApplication queued with PurchaseMethod 1), a fourth refused for
// lack of licences, revoke from the Mac (RemoveApplication after the grace period, licence back),
// transfer the freed licence. The device directory and command queue stand in for the MDM side.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { DeviceDirectory, InstallQueue, ManagedDevice, MdmInstallCommand } from '../../../src/business/content/install.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { APPS, buy, contentToken, credit, locationId, vpp } from '../../support/content.js';

const DEVICES: ManagedDevice[] = [
  { serialNumber: 'IPHONE00001', family: 'iPhone', osVersion: '17.4' },
  { serialNumber: 'IPAD0000001', family: 'iPad', osVersion: '17.4' },
  { serialNumber: 'MAC00000001', family: 'Mac', osVersion: '14.3' },
  { serialNumber: 'IPHONE00002', family: 'iPhone', osVersion: '17.4' },
  { serialNumber: 'APPLETV0001', family: 'AppleTV', osVersion: '17.0' },
  { serialNumber: 'OLDIPHONE01', family: 'iPhone', osVersion: '14.8' },
];

const directory: DeviceDirectory = {
  async resolve(_orgId, sel) {
    const known = DEVICES.filter((d) => sel.serialNumbers?.includes(d.serialNumber) || sel.families?.includes(d.family));
    return { devices: known, unknownSerials: (sel.serialNumbers ?? []).filter((s) => !DEVICES.some((d) => d.serialNumber === s)) };
  },
};

describe('Admin API: assigning apps to Orchard-managed devices', () => {
  let t: TestOrchard;
  let hq: string;
  const queued: Array<{ serialNumber?: string; command: MdmInstallCommand; notBefore?: Date }> = [];
  const queue: InstallQueue = {
    async enqueue(_org, target, command, opts) {
      queued.push({ serialNumber: target.serialNumber, command, notBefore: opts.notBefore });
      return `CMD-${queued.length}`;
    },
  };
  const post = (path: string, body: object) => request(t.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${t.adminToken}`).send(body);

  before(async () => {
    t = await buildTestOrchard();
    t.deps.services.content.install.connect({ directory, queue });
    hq = await locationId(t, 'Headquarters');
    await credit(t, hq, 'VPPUSD-DEMO-0100-A1B2');
    assert.equal((await buy(t, hq, APPS.ledgerPro, 3)).status, 201);
    await contentToken(t, hq);
  });

  const install = { RequestType: 'InstallApplication', iTunesStoreID: Number(APPS.ledgerPro), ManagementFlags: 1, Options: { PurchaseMethod: 1 } };

  it('assigns to an iPhone, an iPad and a Mac and queues InstallApplication for each', async () => {
    const res = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: ['IPHONE00001', 'IPAD0000001', 'MAC00000001'] }).expect(200);
    assert.deepEqual(res.body.results, ['IPHONE00001', 'IPAD0000001', 'MAC00000001'].map((s, i) => ({
      serial_number: s, adam_id: APPS.ledgerPro, status: 'associated', newly_associated: true, reason: null, command: install,
      command_uuid: `CMD-${i + 1}`, not_before: null, invite_code: null,
    })));
    assert.deepEqual(queued.map((q) => q.serialNumber), ['IPHONE00001', 'IPAD0000001', 'MAC00000001']);
  });

  it('refuses a fourth device for lack of licences, an Apple TV for platform, an old iOS and an unknown serial', async () => {
    const res = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: ['IPHONE00002', 'APPLETV0001', 'OLDIPHONE01', 'NOPE'] }).expect(200);
    assert.deepEqual(res.body.results.map((r: { serial_number: string; status: string; reason: string }) => [r.serial_number, r.status, r.reason]), [
      ['IPHONE00002', 'refused', 'not_enough_licences'],
      ['APPLETV0001', 'refused', 'platform_not_supported'],
      ['OLDIPHONE01', 'refused', 'os_too_old'],
      ['NOPE', 'refused', 'device_not_found'],
    ]);
    assert.equal(queued.length, 3);
  });

  it('assigning again to an assigned device uses no new licence', async () => {
    const res = await post('/content/assignments', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: ['IPAD0000001'] }).expect(200);
    assert.equal(res.body.results[0].status, 'already_associated');
    assert.equal(res.body.results[0].newly_associated, false);
  });

  it('the external view agrees: three device assignments', async () => {
    const api = vpp(t, await contentToken(t, hq));
    const res = await api.get('/assignments').expect(200);
    assert.deepEqual(res.body.assignments.map((a: { serialNumber: string }) => a.serialNumber), ['IPHONE00001', 'IPAD0000001', 'MAC00000001']);
  });

  it('revokes from the Mac: RemoveApplication after the grace period, licence back', async () => {
    const res = await post('/content/revocations', { location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: ['MAC00000001'], grace_period_days: 7 }).expect(200);
    const r = res.body.results[0];
    assert.equal(r.status, 'removed');
    assert.deepEqual(r.command, { RequestType: 'RemoveApplication', Identifier: 'com.orchardfixtures.ledgerpro' });
    assert.equal(new Date(r.not_before).getTime() - t.clock.now().getTime() > 6.9 * 86400_000, true);
    const lic = await request(t.app).get(`/api/v1/locations/${hq}/licences`).set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    assert.deepEqual([lic.body.items[0].in_use, lic.body.items[0].available], [2, 1]);
  });

  it('transfers the freed licence to Berlin', async () => {
    const berlin = await locationId(t, 'Berlin Office');
    await post('/licence-transfers', { from_location_id: hq, to_location_id: berlin, adam_id: APPS.ledgerPro, quantity: 2 }).expect(409);
    await post('/licence-transfers', { from_location_id: hq, to_location_id: berlin, adam_id: APPS.ledgerPro, quantity: 1 }).expect(201);
  });

  it('refuses a book to devices, assigns it to users with an invitation', async () => {
    assert.equal((await buy(t, hq, APPS.fieldGuide, 1)).status, 201);
    const dev = await post('/content/assignments', { location_id: hq, adam_id: APPS.fieldGuide, serial_numbers: ['IPHONE00001'] }).expect(200);
    assert.equal(dev.body.results[0].reason, 'books_are_user_only');
    const users = await post('/content/assignments', { location_id: hq, adam_id: APPS.fieldGuide, users: [{ client_user_id: 'acct-1', email: 'a@demo.orchard.test' }] }).expect(200);
    const u = users.body.results[0];
    assert.equal(u.status, 'associated');
    assert.deepEqual(u.command, { RequestType: 'InstallMedia', MediaType: 'Book', iTunesStoreID: Number(APPS.fieldGuide) });
    assert.match(u.invite_code, /^[0-9a-f]{32}$/);
    await post('/content/revocations', { location_id: hq, adam_id: APPS.fieldGuide, serial_numbers: ['IPHONE00001'] }).expect(409);
  });

  it('migrates a user licence to a device licence without using another licence', async () => {
    const svc = t.deps.services.content.install;
    const admin = { accountId: 'a', orgId: t.orgId, email: 'admin@demo.orchard.test', roles: ['Administrator' as const], via: 'api-token' as const };
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1)).status, 201);
    const [u] = await svc.assignToUsers(admin, { locationId: hq, adamId: APPS.meetingTimer, users: [{ clientUserId: 'acct-2' }] });
    assert.equal(u!.status, 'associated');
    const moved = await svc.migrateUserToDevice(admin, { locationId: hq, adamId: APPS.meetingTimer, clientUserId: 'acct-2', device: DEVICES[4]! });
    assert.equal(moved.status, 'associated');
    assert.deepEqual(moved.command, { RequestType: 'InstallApplication', iTunesStoreID: Number(APPS.meetingTimer), ManagementFlags: 1, Options: { PurchaseMethod: 1 } });
    const pool = await t.deps.store.content.purchasing.pool(hq, APPS.meetingTimer, 'STDQ');
    assert.deepEqual([pool!.totalCount, pool!.assignedCount], [1, 1]);
  });

  it('with the wiring of src/services.ts, a serial that is not enrolled in Orchard\'s MDM is refused, no licence used', async () => {
    const t2 = await buildTestOrchard();
    const loc = await locationId(t2, 'Headquarters');
    assert.equal((await buy(t2, loc, APPS.meetingTimer, 1)).status, 201);
    const res = await request(t2.app).post('/api/v1/content/assignments').set('Authorization', `Bearer ${t2.adminToken}`)
      .send({ location_id: loc, adam_id: APPS.meetingTimer, serial_numbers: ['X'] }).expect(200);
    assert.deepEqual(res.body.results, [{
      serial_number: 'X', adam_id: APPS.meetingTimer, status: 'refused', newly_associated: false, reason: 'device_not_found',
      command: null, command_uuid: null, not_before: null, invite_code: null,
    }]);
    const pool = await t2.deps.store.content.purchasing.pool(loc, APPS.meetingTimer, 'STDQ');
    assert.equal(pool!.assignedCount, 0);
  });
});
