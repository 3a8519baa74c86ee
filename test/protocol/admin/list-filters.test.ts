import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

// The filters of the lists: accounts by role and words, the audit log by actor, action and time,
// devices by model and profile status; bad filter values answer 400 at their pointer.
describe('admin API: list filters', () => {
  let t: TestOrchard;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const get = (path: string) => request(t.app).get(`/api/v1${path}`).set(auth());
  before(async () => { t = await buildTestOrchard(); });

  it('accounts: role and q (words of the email or names)', async () => {
    const made = await request(t.app).post('/api/v1/accounts').set(auth()).send({ email: 'grace.filter@demo.orchard.test', given_name: 'Grace', family_name: 'Filterton', roles: ['ContentManager'] });
    assert.equal(made.status, 201);
    assert.equal(made.headers.location, `/api/v1/accounts/${made.body.id}`);
    const all = (await get('/accounts?limit=1000')).body.items as any[];
    const cms = (await get('/accounts?role=ContentManager&limit=1000')).body.items as any[];
    assert.deepEqual(cms.map((a) => a.id), all.filter((a) => a.roles.includes('ContentManager')).map((a) => a.id));
    assert.ok(cms.some((a) => a.id === made.body.id));
    assert.deepEqual((await get('/accounts?q=grace%20FILTERTON')).body.items.map((a: any) => a.id), [made.body.id]);
    assert.deepEqual((await get('/accounts?q=nobody-has-this')).body, { items: [], next_cursor: null });
    const bad = await get('/accounts?role=Wizard');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.errors[0].pointer, '/query/role');
  });

  it('audit: by action, by actor, since/until, newest first', async () => {
    const before = new Date(t.clock.now().getTime() - 1000).toISOString();
    for (const phone of ['+44 1', '+44 2', '+44 3']) {
      assert.equal((await request(t.app).patch('/api/v1/organisation').set(auth()).send({ phone })).status, 200);
    }
    const patches = (await get(`/audit?action=${encodeURIComponent('PATCH /api/v1/organisation')}&limit=2`)).body;
    assert.equal(patches.items.length, 2);
    assert.ok(patches.items.every((e: any) => e.action === 'PATCH /api/v1/organisation'));
    assert.ok(patches.items[0].id > patches.items[1].id, 'newest first');
    const rest = (await get(`/audit?action=${encodeURIComponent('PATCH /api/v1/organisation')}&limit=2&cursor=${encodeURIComponent(patches.next_cursor)}`)).body;
    assert.equal(rest.items.length, 1);
    assert.equal(rest.next_cursor, null);
    const mine = (await get('/audit?limit=1000')).body.items.filter((e: any) => e.actor === patches.items[0].actor);
    assert.deepEqual((await get(`/audit?actor=${patches.items[0].actor}&limit=1000`)).body.items.map((e: any) => e.id), mine.map((e: any) => e.id));
    const since = (await get(`/audit?since=${before}&limit=1000`)).body.items;
    assert.ok(since.length >= 3 && since.every((e: any) => e.created_at >= before));
    assert.deepEqual((await get(`/audit?until=${before}&action=${encodeURIComponent('PATCH /api/v1/organisation')}`)).body.items, []);
    const bad = await get('/audit?since=yesterday');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.errors.map((e: any) => e.pointer), ['/query/since']);
  });

  it('devices: model, profile_status, mdm_server_id=none, q; a bad profile_status is 400 at its pointer', async () => {
    const all = (await get('/devices?limit=1000')).body.items as any[];
    const model = all[0].model as string;
    assert.deepEqual((await get(`/devices?limit=1000&model=${encodeURIComponent(model)}`)).body.items.map((d: any) => d.serial_number), all.filter((d) => d.model === model).map((d) => d.serial_number));
    assert.equal((await get('/devices?limit=1000&profile_status=empty')).body.items.length, all.filter((d) => d.profile_status === 'empty').length);
    assert.equal((await get('/devices?limit=1000&mdm_server_id=none')).body.items.length, all.filter((d) => d.mdm_server_id === null).length);
    assert.ok((await get('/devices?q=dmoph')).body.items.every((d: any) => d.serial_number.startsWith('DMOPH')));
    const bad = await get('/devices?profile_status=lost');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.errors[0].pointer, '/query/profile_status');
  });
});
