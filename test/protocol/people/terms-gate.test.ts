import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { asOperator, signUpThroughReview } from '../../support/signup.js';
import { storeSnapshot } from '../../support/store-snapshot.js';
import { depAuthorization } from '../../support/dep-oauth.js';
import { createDepServer, depUrl, HOST, UA } from '../../support/dep-client.js';

describe('the terms gate (issue 16)', function () {
  this.timeout(120_000);
  let t: TestOrchard;
  beforeEach(async () => {
    t = await buildTestOrchard();
  });
  const admin = (r: request.Test, token = t.adminToken) => r.set('Authorization', `Bearer ${token}`);

  it('a new terms version closes admin writes with 403 terms_not_accepted until an Administrator accepts it; reads stay open', async () => {
    const other = await t.otherOrg();
    const published = await asOperator(t, request(t.app).post('/api/v1/operator/terms')).send({ summary: 'New licence agreement' });
    assert.deepEqual([published.status, published.headers.location, published.body.version], [201, '/api/v1/operator/terms', 2]);
    assert.equal((await asOperator(t, request(t.app).get('/api/v1/operator/terms'))).body.version, 2);

    const org = await admin(request(t.app).get('/api/v1/organisation')).expect(200);
    assert.deepEqual([org.body.terms.required_version, org.body.terms.accepted], [2, false]);
    const before = storeSnapshot(t.db);
    const write = await admin(request(t.app).post('/api/v1/locations')).send({ name: 'Blocked' });
    assert.deepEqual([write.status, write.body.error.code, write.body.error.details], [403, 'terms_not_accepted', { required_version: 2, accepted_version: 1 }]);
    const patch = await admin(request(t.app).patch('/api/v1/organisation')).send({ phone: '+1 000' });
    assert.equal(patch.body.error.code, 'terms_not_accepted');
    assert.deepEqual(storeSnapshot(t.db), before, 'nothing changed');
    await admin(request(t.app).get('/api/v1/locations')).expect(200);
    // Only an Administrator accepts (terms.accept); then writes work again.
    const staff = await t.tokenFor(['Staff']);
    assert.equal((await admin(request(t.app).post('/api/v1/organisation/terms'), staff)).status, 403);
    const accepted = await admin(request(t.app).post('/api/v1/organisation/terms')).expect(200);
    assert.deepEqual([accepted.body.terms.accepted_version, accepted.body.terms.accepted], [2, true]);
    await admin(request(t.app).post('/api/v1/locations')).send({ name: 'Open again' }).expect(201);
    // The other organisation is still behind the gate: acceptance is per organisation.
    assert.equal((await admin(request(t.app).post('/api/v1/locations'), other.token).send({ name: 'x' })).body.error.code, 'terms_not_accepted');
  });

  it('the DEP API answers 403 T_C_NOT_SIGNED once the operator publishes new terms, and 200 once they are accepted', async () => {
    const srv = await createDepServer(t, 'Terms MDM');
    const session = () => request(t.app).get('/dep/session').set('Host', HOST).set('User-Agent', UA).set('Authorization', depAuthorization(srv.secrets, depUrl('/session')));
    assert.equal((await session()).status, 200);
    await asOperator(t, request(t.app).post('/api/v1/operator/terms')).send({ summary: 'v2' }).expect(201);
    const refused = await session();
    assert.deepEqual([refused.status, refused.text], [403, 'T_C_NOT_SIGNED']);
    await admin(request(t.app).post('/api/v1/organisation/terms')).expect(200);
    assert.equal((await session()).status, 200);
  });

  it('the Apps and Books API answers 9601 for an organisation that has not accepted the terms', async () => {
    const loc = (await admin(request(t.app).get('/api/v1/locations'))).body.items[0];
    const download = () => admin(request(t.app).get(`/api/v1/locations/${loc.id}/content-token`)).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => { data += c.toString('utf8'); });
      res.on('end', () => cb(null, data));
    });
    const file = await download();
    assert.equal(file.status, 200);
    const sToken = String(file.body).trim();
    const assets = () => request(t.app).get('/vpp/mdm/v2/assets').set('Authorization', `Bearer ${sToken}`);
    assert.equal((await assets()).status, 200);
    await asOperator(t, request(t.app).post('/api/v1/operator/terms')).send({ summary: 'v2' }).expect(201);
    const refused = await assets();
    assert.deepEqual([refused.status, refused.body], [401, { errorNumber: 9601, errorMessage: 'Login required.' }]);
    // Nor can a new content token be downloaded meanwhile.
    assert.equal((await admin(request(t.app).get(`/api/v1/locations/${loc.id}/content-token`))).status, 403);
    // service/config needs no token and stays open.
    assert.equal((await request(t.app).get('/vpp/mdm/v2/service/config')).status, 200);
    await admin(request(t.app).post('/api/v1/organisation/terms')).expect(200);
    assert.equal((await assets()).status, 200);
  });

  it('a new sign-up has accepted the terms; the Apps and Books terms and billing come before its first purchase', async () => {
    const pear = await signUpThroughReview(t);
    const as = (r: request.Test) => admin(r, pear.token);
    const loc = await as(request(t.app).post('/api/v1/locations')).send({ name: 'London', country: 'GB', currency: 'GBP' }).expect(201);
    const buy = () => as(request(t.app).post('/api/v1/purchases')).send({ location_id: loc.body.id, adam_id: '361309726', quantity: 1 });
    const first = await buy();
    assert.deepEqual([first.status, first.body.error.code], [403, 'content_terms_not_accepted']);
    const terms = await as(request(t.app).post('/api/v1/organisation/content-terms')).expect(200);
    assert.equal(terms.body.apps_and_books.terms_accepted, true);
    const second = await buy();
    assert.deepEqual([second.status, second.body.error.code], [403, 'billing_information_missing']);
    const badBilling = await as(request(t.app).put('/api/v1/organisation/billing')).send({ name: 'Pear', email: 'not mail', address: 'x' });
    assert.equal(badBilling.status, 400);
    const billing = await as(request(t.app).put('/api/v1/organisation/billing')).send({ name: 'Pear Logistics Ltd', email: 'accounts@pear-logistics.test', address: '5 Orchard Lane' }).expect(200);
    assert.deepEqual(billing.body.apps_and_books.billing, { name: 'Pear Logistics Ltd', email: 'accounts@pear-logistics.test', address: '5 Orchard Lane', tax_id: null });
    const third = await buy();
    assert.ok(!['content_terms_not_accepted', 'billing_information_missing'].includes(third.body?.error?.code), JSON.stringify(third.body));
  });
});
