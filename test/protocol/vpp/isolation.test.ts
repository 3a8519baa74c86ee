// A custom app published to organisation A is invisible to organisation B everywhere: catalogue,
// purchases, custom-app listing, and the Apps and Books API; another organisation's token sees nothing of A.
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { buy, contentToken, locationId, vpp } from '../../support/content.js';

describe('Custom apps and content isolation between organisations', () => {
  let t: TestOrchard;
  let other: { orgId: string; token: string };
  let devKey: string;
  let adamId: string;
  let orgNumber: string;
  const dev = (method: 'get' | 'post', path: string, body?: object) =>
    (method === 'get' ? request(t.app).get(`/developer/v1${path}`) : request(t.app).post(`/developer/v1${path}`).send(body ?? {})).set('Authorization', `Bearer ${devKey}`);

  before(async () => {
    t = await buildTestOrchard();
    other = await t.otherOrg();
    await t.deps.services.organisations.createLocation(other.orgId, { name: 'Munich', country: 'DE', currency: 'EUR' });
    devKey = (await t.deps.services.content.customApps.registerDeveloper('Acme Apps')).apiKey;
    orgNumber = (await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`).expect(200)).body.org_id;
  });

  it('refuses the developer face without a developer key', async () => {
    await request(t.app).get('/developer/v1/custom-apps').expect(401);
  });

  it('publishes a custom app to organisation A by its organisation ID; waiting for review it cannot be bought', async () => {
    const res = await dev('post', '/custom-apps', { name: 'Demo Field Tool', bundle_id: 'com.acme.fieldtool', platforms: ['iOS'], version: '1.0', organisation_id: orgNumber }).expect(201);
    adamId = res.body.adam_id;
    assert.deepEqual(res.body.versions.map((v: { version: string; review_status: string }) => [v.version, v.review_status]), [['1.0', 'waiting_for_review']]);
    const list = await request(t.app).get('/api/v1/custom-apps').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    assert.deepEqual(list.body.items.map((a: { adam_id: string }) => a.adam_id), [adamId]);
    assert.equal((await buy(t, await locationId(t, 'Headquarters'), adamId, 1)).status, 404);
  });

  it('once approved, organisation A finds and buys it for free', async () => {
    await dev('post', `/custom-apps/${adamId}/versions/1.0/review`, { decision: 'approved' }).expect(200);
    await dev('post', `/custom-apps/${adamId}/versions`, { version: '1.1' }).expect(201);
    const found = await request(t.app).get('/api/v1/catalog?q=field%20tool').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    assert.deepEqual(found.body.items.map((i: { adam_id: string; custom: boolean }) => [i.adam_id, i.custom]), [[adamId, true]]);
    const res = await buy(t, await locationId(t, 'Headquarters'), adamId, 5);
    assert.equal(res.status, 201);
    assert.equal(res.body.payment_method, 'free');
  });

  it('organisation B sees it nowhere and cannot buy it', async () => {
    const auth = `Bearer ${other.token}`;
    const found = await request(t.app).get('/api/v1/catalog?q=field%20tool').set('Authorization', auth).expect(200);
    assert.deepEqual(found.body.items, []);
    await request(t.app).get(`/api/v1/catalog/${adamId}`).set('Authorization', auth).expect(404);
    assert.deepEqual((await request(t.app).get('/api/v1/custom-apps').set('Authorization', auth).expect(200)).body.items, []);
    const munich = await locationId(t, 'Munich', other.token);
    assert.equal((await buy(t, munich, adamId, 1, other.token)).status, 404);
    assert.deepEqual((await request(t.app).get('/api/v1/purchases').set('Authorization', auth).expect(200)).body.items, []);
    assert.deepEqual((await request(t.app).get('/vpp/store/lookup?id=' + adamId).expect(200)).body.results, {});
  });

  it('organisation B cannot reach A\'s locations or their tokens', async () => {
    const hq = await locationId(t, 'Headquarters');
    const auth = `Bearer ${other.token}`;
    await request(t.app).get(`/api/v1/locations/${hq}/content-token`).set('Authorization', auth).expect(404);
    await request(t.app).get(`/api/v1/locations/${hq}/licences`).set('Authorization', auth).expect(404);
    await request(t.app).post('/api/v1/purchases').set('Authorization', auth).send({ location_id: hq, adam_id: '1500000077', quantity: 1 }).expect(404);
  });

  it('through the Apps and Books API, B\'s token sees none of A\'s assets and cannot assign them', async () => {
    const munich = await locationId(t, 'Munich', other.token);
    const b = vpp(t, await contentToken(t, munich, other.token));
    assert.deepEqual((await b.get('/assets').expect(200)).body.assets, []);
    const res = await b.post('/assets/associate', { assets: [{ adamId }], serialNumbers: ['S1'] }).expect(400);
    assert.equal(res.body.errorNumber, 9602);
    const a = vpp(t, await contentToken(t, await locationId(t, 'Headquarters')));
    const mine = await a.get('/assets').expect(200);
    assert.deepEqual(mine.body.assets.map((x: { adamId: string }) => x.adamId), [adamId]);
    const ev = await a.post('/assets/associate', { assets: [{ adamId }], serialNumbers: ['S1'] }).expect(200);
    await b.get(`/status?eventId=${ev.body.eventId}`).expect(400);
  });

  it('publishing by an administrator\'s Managed Apple ID targets that organisation', async () => {
    const res = await dev('post', '/custom-apps', { name: 'Only For Apfel', bundle_id: 'com.acme.apfel', platforms: ['macOS'], version: '2.0', managed_apple_id: 'admin@demo.orchard.test' }).expect(201);
    const apps = t.deps.services.content.customApps;
    assert.equal((await apps.listForOrg(t.orgId)).some((x) => x.adamId === res.body.adam_id), true);
    assert.equal((await apps.listForOrg(other.orgId)).length, 0);
    await dev('post', '/custom-apps', { name: 'X', bundle_id: 'com.acme.x', platforms: ['iOS'], version: '1.0', organisation_id: '0000000' }).expect(404);
  });
});
