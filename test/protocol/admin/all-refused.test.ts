import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey } from '../../support/mdm-server-cert.js';
import { APPS, buy, locationId } from '../../support/content.js';

// A request naming several targets whose every target is refused answers 422 all_targets_refused
// with each outcome in details.results, and changes nothing; partial success answers 200.
describe('admin API: every target refused answers 422 all_targets_refused', () => {
  let t: TestOrchard;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  beforeEach(async () => { t = await buildTestOrchard(); });

  it('content assignment: all refused 422 (no licence used); one served among refused 200 with every outcome', async () => {
    const hq = await locationId(t, 'Headquarters');
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1)).status, 201);
    const all = await request(t.app).post('/api/v1/content/assignments').set(auth()).send({ location_id: hq, adam_id: APPS.meetingTimer, serial_numbers: ['NOPE1', 'NOPE2'] });
    assert.equal(all.status, 422);
    assert.equal(all.body.error.code, 'all_targets_refused');
    assert.deepEqual(all.body.error.details.results.map((r: any) => [r.serial_number, r.status, r.reason]), [['NOPE1', 'refused', 'device_not_found'], ['NOPE2', 'refused', 'device_not_found']]);
    assert.equal((await t.deps.store.content.purchasing.pool(hq, APPS.meetingTimer, 'STDQ'))!.assignedCount, 0);
    const some = await request(t.app).post('/api/v1/content/assignments').set(auth())
      .send({ location_id: hq, adam_id: APPS.meetingTimer, users: [{ client_user_id: 'u-1' }], serial_numbers: ['NOPE1'] });
    assert.equal(some.status, 200, JSON.stringify(some.body));
    assert.deepEqual(some.body.results.map((r: any) => r.status).sort(), ['associated', 'refused']);
  });

  it('revocation of licences no device holds: 422 with each outcome', async () => {
    const hq = await locationId(t, 'Headquarters');
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1)).status, 201);
    const res = await request(t.app).post('/api/v1/content/revocations').set(auth()).send({ location_id: hq, adam_id: APPS.meetingTimer, serial_numbers: ['DMOPH0000001'] });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'all_targets_refused');
    assert.equal(res.body.error.details.results.length, 1);
    assert.equal(res.body.error.details.results[0].serial_number, 'DMOPH0000001');
  });

  it('unassigning devices none of which is on the server: 422 with each outcome; one of them on it: 200', async () => {
    const key = makeServerKey();
    const a = (await request(t.app).post('/api/v1/mdm-servers').set(auth()).send({ name: 'A', public_key: key.certPem })).body;
    const none = await request(t.app).delete(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPH0000001', 'DMOPH0000002'] });
    assert.equal(none.status, 422);
    assert.deepEqual(none.body.error.details.results.map((r: any) => [r.serial_number, r.status]), [['DMOPH0000001', 'not_assigned'], ['DMOPH0000002', 'not_assigned']]);
    assert.equal((await request(t.app).post(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPH0000001'] })).status, 200);
    const some = await request(t.app).delete(`/api/v1/mdm-servers/${a.id}/devices`).set(auth()).send({ serial_numbers: ['DMOPH0000001', 'DMOPH0000002'] });
    assert.equal(some.status, 200);
    assert.deepEqual({ unassigned: some.body.unassigned, not_assigned: some.body.not_assigned, id: some.body.mdm_server_id }, { unassigned: 1, not_assigned: ['DMOPH0000002'], id: a.id });
  });
});
