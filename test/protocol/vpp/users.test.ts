// Apps and Books users: create (invited), update, retire, accept an invitation; user licences for books.
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { APPS, buy, contentToken, credit, locationId, vpp } from '../../support/content.js';

describe('Apps and Books API: users and user licences', () => {
  let t: TestOrchard;
  let api: ReturnType<typeof vpp>;
  const book = { adamId: APPS.fieldGuide, pricingParam: 'STDQ' };

  before(async () => {
    t = await buildTestOrchard();
    const hq = await locationId(t, 'Headquarters');
    await credit(t, hq, 'VPPUSD-DEMO-0100-A1B2');
    assert.equal((await buy(t, hq, APPS.fieldGuide, 2)).status, 201);
    api = vpp(t, await contentToken(t, hq));
  });

  it('creates users as Registered with an invite code', async () => {
    const res = await api.post('/users/create', { users: [{ clientUserId: 'emp-1', email: 'emp1@demo.orchard.test' }, { clientUserId: 'emp-2' }] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventType, 'CREATE');
    assert.equal(status.body.eventStatus, 'COMPLETE');
    const list = await api.get('/users').expect(200);
    assert.equal(list.body.users.length, 2);
    const [u1] = list.body.users;
    assert.deepEqual(Object.keys(u1).sort(), ['clientUserId', 'email', 'inviteCode', 'status']);
    assert.equal(u1.status, 'Registered');
    assert.match(u1.inviteCode, /^[0-9a-f]{32}$/);
  });

  it('creating an existing clientUserId fails asynchronously with 9716', async () => {
    const res = await api.post('/users/create', { users: [{ clientUserId: 'emp-1' }] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventStatus, 'FAILED');
    assert.deepEqual(status.body.failures, [{ errorNumber: 9716, errorMessage: 'A registered user already exists with the specified clientUserId.', errorInfo: { clientUserIds: ['emp-1'] } }]);
  });

  it('a user accepts the invitation: Associated with an idHash, the Apple Account never shown', async () => {
    const before = (await api.get('/users?clientUserId=emp-1').expect(200)).body;
    const code = before.users[0].inviteCode;
    await request(t.app).post('/vpp/store/invitations/accept').send({ inviteCode: code, appleId: 'private.person@icloud.example' }).expect(200);
    const after = await api.get(`/users?sinceVersionId=${before.versionId}`).expect(200);
    assert.equal(after.body.users.length, 1);
    const u = after.body.users[0];
    assert.equal(u.status, 'Associated');
    assert.match(u.idHash, /^[0-9a-f]{64}$/);
    assert.equal(u.inviteCode, undefined);
    assert.ok(!JSON.stringify(after.body).includes('private.person'));
  });

  it('assigns a book to users; 9609 for an unknown user; the third user runs out (9709)', async () => {
    const ok = await api.post('/assets/associate', { assets: [book], clientUserIds: ['emp-1', 'emp-2'] }).expect(200);
    assert.equal((await api.status(ok.body.eventId)).body.eventStatus, 'COMPLETE');
    await api.post('/users/create', { users: [{ clientUserId: 'emp-3' }] }).expect(200);
    const res = await api.post('/assets/associate', { assets: [book], clientUserIds: ['emp-3', 'ghost'] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventStatus, 'FAILED');
    assert.deepEqual(status.body.failures.map((f: { errorNumber: number }) => f.errorNumber), [9609, 9709]);
    assert.deepEqual(status.body.failures[0].errorInfo, { clientUserIds: ['ghost'] });
  });

  it('updates a user and retires another; a retired user keeps their book (not revocable)', async () => {
    const up = await api.post('/users/update', { users: [{ clientUserId: 'emp-2', email: 'emp2@demo.orchard.test' }] }).expect(200);
    assert.equal((await api.status(up.body.eventId)).body.eventStatus, 'COMPLETE');
    const ret = await api.post('/users/retire', { users: [{ clientUserId: 'emp-2' }] }).expect(200);
    assert.equal((await api.status(ret.body.eventId)).body.eventType, 'RETIRE');
    const u = (await api.get('/users?clientUserId=emp-2').expect(200)).body.users[0];
    assert.deepEqual(u, { clientUserId: 'emp-2', email: 'emp2@demo.orchard.test', status: 'Retired' });
    assert.equal((await api.get('/users?activeOnly=true').expect(200)).body.users.length, 2);
    assert.equal((await api.get('/users?retiredOnly=true').expect(200)).body.users.length, 1);
    const books = (await api.get(`/assignments?adamId=${APPS.fieldGuide}`).expect(200)).body.assignments;
    assert.deepEqual(books.map((a: { clientUserId: string }) => a.clientUserId), ['emp-1', 'emp-2']);
  });

  it('updating an unknown user fails with 9609', async () => {
    const res = await api.post('/users/update', { users: [{ clientUserId: 'nobody', email: 'n@x.example' }] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.deepEqual(status.body.failures, [{ errorNumber: 9609, errorMessage: 'Unable to find the registered user.', errorInfo: { clientUserIds: ['nobody'] } }]);
  });
});
