// Issue 16: accounts with a middle name and a location; locations renamed, re-addressed, and
// deleted only when nothing belongs to them.
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

describe('admin API: locations and the accounts that belong to them', () => {
  let t: TestOrchard;
  const as = (token: string) => ({
    get: (p: string) => request(t.app).get(p).set('Authorization', `Bearer ${token}`),
    post: (p: string, b?: object) => request(t.app).post(p).set('Authorization', `Bearer ${token}`).send(b),
    patch: (p: string, b?: object) => request(t.app).patch(p).set('Authorization', `Bearer ${token}`).send(b),
    del: (p: string) => request(t.app).delete(p).set('Authorization', `Bearer ${token}`),
  });
  before(async () => {
    t = await buildTestOrchard();
  });

  it('creates an account with first, middle and last name and a location, and edits them', async () => {
    const admin = as(t.adminToken);
    const loc = await admin.post('/api/v1/locations', { name: 'Lyon', country: 'FR', currency: 'EUR' });
    const made = await admin.post('/api/v1/accounts', { email: 'marie.curie@demo.orchard.test', given_name: 'Marie', middle_name: 'Salomea', family_name: 'Curie', location_id: loc.body.id, roles: ['Staff'] });
    assert.equal(made.status, 201);
    assert.deepEqual([made.body.given_name, made.body.middle_name, made.body.family_name, made.body.location_id], ['Marie', 'Salomea', 'Curie', loc.body.id]);
    const edited = await admin.patch(`/api/v1/accounts/${made.body.id}`, { middle_name: 'S.', location_id: null });
    assert.deepEqual([edited.status, edited.body.middle_name, edited.body.location_id, edited.body.given_name], [200, 'S.', null, 'Marie']);
    // Deactivate, reactivate.
    assert.equal((await admin.patch(`/api/v1/accounts/${made.body.id}`, { active: false })).body.active, false);
    assert.equal((await admin.patch(`/api/v1/accounts/${made.body.id}`, { active: true })).body.active, true);
  });

  it('refuses a location that is not one of the organisation\'s, changing nothing', async () => {
    const admin = as(t.adminToken);
    const other = await t.otherOrg();
    const theirs = await as(other.token).post('/api/v1/locations', { name: 'Elsewhere' });
    assert.equal(theirs.status, 201);
    for (const location_id of [theirs.body.id, 'no-such-location']) {
      const res = await admin.post('/api/v1/accounts', { email: 'wrong.place@demo.orchard.test', location_id, roles: ['Staff'] });
      assert.deepEqual([res.status, res.body.error.code, res.body.error.details], [400, 'location_invalid', { field: 'location_id', errors: [{ pointer: '/body/location_id', problem: 'invalid_value' }] }]);
    }
    const staff = (await admin.get('/api/v1/accounts')).body.items.find((a: { email: string }) => a.email === 'staff@demo.orchard.test');
    const res = await admin.patch(`/api/v1/accounts/${staff.id}`, { given_name: 'Changed', location_id: theirs.body.id });
    assert.equal(res.status, 400);
    assert.equal((await admin.get(`/api/v1/accounts/${staff.id}`)).body.given_name, 'Sam');
    const wrongType = await admin.patch(`/api/v1/accounts/${staff.id}`, { middle_name: 7 });
    assert.equal(wrongType.status, 400);
  });

  it('renames a location and changes its address; a name taken in the organisation is refused', async () => {
    const admin = as(t.adminToken);
    const loc = await admin.post('/api/v1/locations', { name: 'Paris' });
    const renamed = await admin.patch(`/api/v1/locations/${loc.body.id}`, { name: 'Paris Office', address: '1 rue de Rivoli, 75001 Paris' });
    assert.equal(renamed.status, 200);
    assert.deepEqual([renamed.body.name, renamed.body.address, renamed.body.country], ['Paris Office', '1 rue de Rivoli, 75001 Paris', 'US']);
    const taken = await admin.patch(`/api/v1/locations/${loc.body.id}`, { name: 'headquarters' });
    assert.deepEqual([taken.status, taken.body.error.code], [409, 'location_exists']);
    const empty = await admin.patch(`/api/v1/locations/${loc.body.id}`, { name: '  ' });
    assert.deepEqual([empty.status, empty.body.error.code], [400, 'name_invalid']);
    assert.equal((await admin.get(`/api/v1/locations/${loc.body.id}`)).body.name, 'Paris Office');
    // Same name, other case: a rename of itself.
    assert.equal((await admin.patch(`/api/v1/locations/${loc.body.id}`, { name: 'PARIS OFFICE' })).status, 200);
    // Only locations.manage; another organisation's location is not found.
    const dm = as(await t.tokenFor(['DeviceManager']));
    assert.equal((await dm.patch(`/api/v1/locations/${loc.body.id}`, { name: 'x' })).status, 403);
    const other = await t.otherOrg();
    assert.equal((await as(other.token).patch(`/api/v1/locations/${loc.body.id}`, { name: 'x' })).status, 404);
    assert.equal((await as(other.token).del(`/api/v1/locations/${loc.body.id}`)).status, 404);
  });

  it('refuses to delete a location while an account belongs to it, with the reason and the counts', async () => {
    const admin = as(t.adminToken);
    const loc = await admin.post('/api/v1/locations', { name: 'Nice' });
    const acct = await admin.post('/api/v1/accounts', { email: 'nina@demo.orchard.test', location_id: loc.body.id, roles: ['Staff'] });
    const refused = await admin.del(`/api/v1/locations/${loc.body.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'location_in_use');
    assert.match(refused.body.error.message, /1 accounts/);
    assert.deepEqual(refused.body.error.details.usage, { accounts: 1, purchases: 0, licence_pools: 0, licence_assignments: 0, content_tokens: 0, users: 0 });
    assert.equal((await admin.get(`/api/v1/locations/${loc.body.id}`)).status, 200);
    await admin.patch(`/api/v1/accounts/${acct.body.id}`, { location_id: null });
    assert.equal((await admin.del(`/api/v1/locations/${loc.body.id}`)).status, 204);
    assert.equal((await admin.get(`/api/v1/locations/${loc.body.id}`)).status, 404);
  });

  it('refuses to delete a location that holds content (a content token)', async () => {
    const admin = as(t.adminToken);
    const locations = (await admin.get('/api/v1/locations')).body.items as Array<{ id: string; name: string }>;
    const hq = locations.find((l) => l.name === 'Headquarters')!;
    const token = await admin.get(`/api/v1/locations/${hq.id}/content-token`);
    assert.ok(token.status < 300, `content token: ${token.status} ${JSON.stringify(token.body)}`);
    const refused = await admin.del(`/api/v1/locations/${hq.id}`);
    assert.equal(refused.status, 409);
    assert.ok(refused.body.error.details.usage.content_tokens >= 1);
  });
});
