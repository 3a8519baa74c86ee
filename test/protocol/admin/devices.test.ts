import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey, type ServerKey } from '../../support/mdm-server-cert.js';

describe('admin API: devices, assignment, release and the op record', () => {
  let t: TestOrchard;
  let key: ServerKey;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const server = async (name: string) => (await request(t.app).post('/api/v1/mdm-servers').set(auth()).send({ name, public_key: key.certPem })).body as { id: string };
  const ops = async (serverId: string) => (await t.deps.store.devices.opsAfter(serverId, 0, 1000)).map((o) => `${o.opType} ${o.serialNumber}`);
  before(() => { key = makeServerKey(); });
  beforeEach(async () => { t = await buildTestOrchard(); });

  it('lists the demo organisation\'s devices from its sample orders, with filters', async () => {
    const all = await request(t.app).get('/api/v1/devices').set(auth());
    assert.equal(all.status, 200);
    assert.equal(all.body.items.length, 52);
    const d = all.body.items.find((x: any) => x.serial_number === 'DMOPH0000001');
    assert.deepEqual(
      { serial_number: d.serial_number, family: d.family, model: d.model, order_number: d.order_number, mdm_server_id: d.mdm_server_id, os: d.os },
      { serial_number: 'DMOPH0000001', family: 'iPhone', model: 'iPhone 15 Pro', order_number: 'DEMO-2011-0001', mdm_server_id: null, os: 'iOS' },
    );
    const macs = await request(t.app).get('/api/v1/devices?family=Mac').set(auth());
    assert.equal(macs.body.items.length, 14);
    assert.ok(macs.body.items.every((x: any) => x.family === 'Mac'));
    const order = await request(t.app).get('/api/v1/devices?order_number=DEMO-2019-0420').set(auth());
    assert.deepEqual(new Set(order.body.items.map((x: any) => x.family)), new Set(['iPad', 'AppleTV']));
    const page = await request(t.app).get('/api/v1/devices?limit=50').set(auth());
    assert.equal(page.body.items.length, 50);
    const rest = await request(t.app).get(`/api/v1/devices?limit=50&cursor=${encodeURIComponent(page.body.next_cursor)}`).set(auth());
    assert.equal(rest.body.items.length, 2);
    assert.equal((await request(t.app).get('/api/v1/devices?family=Watch').set(auth())).body.error.code, 'family_invalid');
  });

  it('assigns by serials, by order numbers and by CSV; a move records deleted for the old server and added for the new', async () => {
    const a = await server('A');
    const b = await server('B');
    const bySerial = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPH0000001', 'dmoph0000002'] });
    assert.equal(bySerial.status, 200);
    assert.deepEqual({ assigned: bySerial.body.assigned, moved: bySerial.body.moved }, { assigned: 2, moved: 0 });
    const byOrder = await request(t.app).post(`/api/v1/mdm-servers/${b.id}/devices`).set(auth()).send({ order_numbers: ['DEMO-2011-0001'] });
    assert.deepEqual({ assigned: byOrder.body.assigned, moved: byOrder.body.moved }, { assigned: 2, moved: 2 });
    assert.deepEqual(await ops(a.id), ['added DMOPH0000001', 'added DMOPH0000002', 'deleted DMOPH0000001', 'deleted DMOPH0000002']);
    assert.deepEqual((await ops(b.id)).sort(), ['added DMOPH0000001', 'added DMOPH0000002', 'added DMOPO0000001', 'added DMOPO0000002']);
    const csv = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).set('Content-Type', 'text/csv')
      .send('Serial Number\r\nDMOMC0000001\r\nDMOMC0000002\r\n');
    assert.equal(csv.body.assigned, 2);
    const onA = await request(t.app).get(`/api/v1/devices?mdm_server_id=${a.id}`).set(auth());
    assert.deepEqual(onA.body.items.map((x: any) => x.serial_number), ['DMOMC0000001', 'DMOMC0000002']);
    assert.equal(onA.body.items[0].mdm_server_name, 'A');
    // Unassign: 'deleted' for the server, and the device is on none.
    const un = await request(t.app).delete(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOMC0000001', 'DMOPH0000001'] });
    assert.deepEqual({ unassigned: un.body.unassigned, not_assigned: un.body.not_assigned }, { unassigned: 1, not_assigned: ['DMOPH0000001'] });
    assert.equal((await ops(a.id)).at(-1), 'deleted DMOMC0000001');
    assert.equal((await request(t.app).get('/api/v1/devices/DMOMC0000001').set(auth())).body.mdm_server_id, null);
    // The fetch order for the DEP API: by assign_seq on the server.
    const fetched = await t.deps.store.devices.listAssignedAfter(b.id, 0, 10);
    assert.deepEqual(fetched.map((d) => d.serialNumber), ['DMOPH0000001', 'DMOPH0000002', 'DMOPO0000001', 'DMOPO0000002'].filter((s) => fetched.some((f) => f.serialNumber === s)));
    assert.ok(fetched.every((d, i) => i === 0 || d.assignSeq! > fetched[i - 1]!.assignSeq!));
  });

  it('answers another organisation\'s serial as if it did not exist, and changes nothing', async () => {
    const other = await t.otherOrg();
    const theirs = await request(t.app).post('/api/v1/mdm-servers').set('Authorization', `Bearer ${other.token}`).send({ name: 'Theirs', public_key: key.certPem });
    const res = await request(t.app).post(`/api/v1/mdm-servers/${theirs.body.id}/devices`).set('Authorization', `Bearer ${other.token}`).send({ serial_numbers: ['DMOPH0000001'] });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'device_not_found');
    const missing = await request(t.app).post(`/api/v1/mdm-servers/${theirs.body.id}/devices`).set('Authorization', `Bearer ${other.token}`).send({ serial_numbers: ['NOSUCHSERIAL1'] });
    assert.deepEqual({ status: missing.status, code: missing.body.error.code }, { status: res.status, code: res.body.error.code });
    assert.equal((await request(t.app).get('/api/v1/devices/DMOPH0000001').set('Authorization', `Bearer ${other.token}`)).status, 404);
    // A mixed list (ours plus one unknown) changes nothing either.
    const a = await server('A');
    const mixed = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPH0000001', 'NOSUCHSERIAL1'] });
    assert.equal(mixed.status, 404);
    assert.deepEqual(mixed.body.error.details.serial_numbers, ['NOSUCHSERIAL1']);
    assert.deepEqual(await ops(a.id), []);
  });

  it('refuses a malformed CSV, an empty selection and an unknown order with clear errors', async () => {
    const a = await server('A');
    const bad = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).set('Content-Type', 'text/csv').send('serial\n"DMOPH0000001\n');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'csv_invalid');
    const junk = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).set('Content-Type', 'text/csv').send('serial\nnot a serial!\n');
    assert.equal(junk.body.error.code, 'csv_invalid');
    assert.equal((await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({})).body.error.code, 'selection_invalid');
    const order = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ order_numbers: ['NOPE'] });
    assert.equal(order.status, 404);
    assert.equal(order.body.error.code, 'order_not_found');
    assert.deepEqual(await ops(a.id), []);
  });

  it('downloads a CSV of chosen orders or of All Available', async () => {
    const a = await server('A, "the first"');
    await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPO0000001'] });
    const res = await request(t.app).get('/api/v1/devices.csv?order_numbers=DEMO-2011-0001').set(auth());
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/csv/);
    const lines = res.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'Serial Number,Device Family,Model,Order Number,MDM Server,Date Assigned');
    assert.equal(lines.length, 5);
    assert.match(lines.find((l) => l.startsWith('DMOPO0000001'))!, /^DMOPO0000001,iPod,iPod touch \(7th generation\),DEMO-2011-0001,"A, ""the first""",\d{4}-\d{2}-\d{2}T/);
    const all = await request(t.app).get('/api/v1/devices.csv').set(auth());
    assert.equal(all.text.trimEnd().split('\r\n').length, 53);
  });

  it('verifies assignments: per server the totals by family, per device date, order and server', async () => {
    const a = await server('A');
    await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ order_numbers: ['DEMO-2019-0420'] });
    const res = await request(t.app).get('/api/v1/assignments?order_number=DEMO-2019-0420').set(auth());
    assert.deepEqual(res.body.servers, [{ id: a.id, name: 'A', total: 8, by_family: { iPhone: 0, iPad: 6, iPod: 0, Mac: 0, AppleTV: 2 } }]);
    assert.equal(res.body.items.length, 8);
    assert.ok(res.body.items.every((d: any) => d.mdm_server_name === 'A' && d.order_number === 'DEMO-2019-0420' && d.assigned_at));
  });

  it('releases devices permanently: out of every list, deleted for the server, back only by manual addition', async () => {
    const a = await server('A');
    await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOTV0000001'] });
    const rel = await request(t.app).post('/api/v1/devices/release').set(auth()).send({ serial_numbers: ['DMOTV0000001'] });
    assert.deepEqual(rel.body, { released: 1 });
    assert.equal((await request(t.app).get('/api/v1/devices/DMOTV0000001').set(auth())).status, 404);
    assert.equal((await request(t.app).get('/api/v1/devices').set(auth())).body.items.length, 51);
    assert.deepEqual(await ops(a.id), ['added DMOTV0000001', 'deleted DMOTV0000001']);
    assert.equal((await request(t.app).post('/api/v1/devices/release').set(auth()).send({ serial_numbers: ['DMOTV0000001'] })).status, 404);
    const back = await request(t.app).post('/api/v1/devices').set(auth()).send({ serial_number: 'DMOTV0000001', product_code: 'MN893LL/A' });
    assert.equal(back.status, 201);
    assert.equal(back.body.source, 'manual');
  });

  it('adds a device manually as Apple Configurator does: supervised, 30 days provisional, on the family default server', async () => {
    const a = await server('Macs');
    await request(t.app).put('/api/v1/mdm-server-defaults').set(auth()).send({ Mac: a.id });
    t.clock.freeze(new Date(Math.floor(Date.now() / 1000) * 1000));
    const now = t.clock.now();
    const res = await request(t.app).post('/api/v1/devices').set(auth()).send({ serial_number: 'C02MANUAL001', family: 'Mac', model: 'MacBook Air (M1, 2020)', color: 'SILVER' });
    assert.equal(res.status, 201);
    assert.equal(res.body.supervised, true);
    assert.equal(res.body.provisional_until, new Date(now.getTime() + 30 * 86_400_000).toISOString());
    assert.equal(res.body.mdm_server_id, a.id);
    assert.equal(res.body.os, 'OSX');
    assert.deepEqual(await ops(a.id), ['added C02MANUAL001']);
    const dup = await request(t.app).post('/api/v1/devices').set(auth()).send({ serial_number: 'C02MANUAL001', family: 'Mac', model: 'x' });
    assert.equal(dup.status, 409);
    assert.equal((await request(t.app).post('/api/v1/devices').set(auth()).send({ serial_number: 'C02MANUAL002' })).body.error.code, 'device_details_required');
  });

  it('records a visible change (asset tag) as modified', async () => {
    const a = await server('A');
    await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPD0000001'] });
    const res = await request(t.app).patch('/api/v1/devices/DMOPD0000001').set(auth()).send({ asset_tag: 'NEW-TAG' });
    assert.equal(res.body.asset_tag, 'NEW-TAG');
    const last = (await t.deps.store.devices.opsAfter(a.id, 0, 10)).at(-1)!;
    assert.equal(`${last.opType} ${last.serialNumber}`, 'modified DMOPD0000001');
    assert.equal(last.device?.assetTag, 'NEW-TAG');
    assert.equal(await t.deps.store.devices.maxOpSeq(a.id), last.seq);
  });

  it('deleting a server unassigns its devices with deleted ops', async () => {
    const a = await server('A');
    await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPD0000002'] });
    assert.equal((await request(t.app).delete(`/api/v1/mdm-servers/${a.id}`).set(auth())).status, 204);
    assert.deepEqual(await ops(a.id), ['added DMOPD0000002', 'deleted DMOPD0000002']);
    assert.equal((await request(t.app).get('/api/v1/devices/DMOPD0000002').set(auth())).body.mdm_server_id, null);
  });

  it('assigns 20,000 devices in one call, in one transaction', async () => {
    const a = await server('Bulk');
    const serials = Array.from({ length: 20_000 }, (_, i) => `BULK${String(i).padStart(8, '0')}`);
    const now = t.clock.now();
    await t.deps.store.orders.apply([{ kind: 'create', order: { id: 'bulk', orgId: t.orgId, orderNumber: 'BULK-1', orderDate: now, orderType: 'OR', customerId: '', poNumber: '', source: 'fixture', receivedAt: now, availableAt: now },
      lines: serials.map((s) => ({ serialNumber: s, deliveryNumber: 'D1', assetTag: '', family: 'iPad' as const, model: 'iPad', description: '', color: '', os: 'iPadOS' })) }], now);
    const res = await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ order_numbers: ['BULK-1'] });
    assert.equal(res.body.assigned, 20_000);
    assert.equal(await t.deps.store.devices.count(t.orgId, { mdmServer: a.id }), 20_000);
    assert.equal((await t.deps.store.devices.listAssignedAfter(a.id, 0, 1000)).length, 1000);
  });
});
