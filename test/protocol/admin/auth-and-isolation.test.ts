import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

describe('admin API: authentication, bad input and isolation', () => {
  let t: TestOrchard;
  before(async () => {
    t = await buildTestOrchard();
  });

  it('bootstrap writes the Administrator token to <data dir>/admin-token with mode 0600', async () => {
    const file = path.join(t.dataDir, 'admin-token');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const res = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.roles, ['Administrator']);
  });

  it('stores API tokens hashed, never in plain text', async () => {
    const db = (t.deps.store as any);
    assert.ok(db);
    const rows = await t.deps.store.accounts.listApiTokens((await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${t.adminToken}`)).body.id);
    assert.ok(rows.length >= 1);
    assert.ok(!JSON.stringify(rows).includes(t.adminToken));
  });

  it('a missing, malformed or revoked token gets 401 in the admin API form', async () => {
    const none = await request(t.app).get('/api/v1/organisation');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthenticated');
    const bad = await request(t.app).get('/api/v1/organisation').set('Authorization', 'Bearer orch_nope');
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 'invalid_token');
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${t.adminToken}`);
    const made = await request(t.app).post(`/api/v1/accounts/${me.body.id}/api-tokens`).set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'ci' });
    assert.equal(made.status, 201);
    assert.equal((await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${made.body.token}`)).status, 200);
    await request(t.app).delete(`/api/v1/accounts/${me.body.id}/api-tokens/${made.body.id}`).set('Authorization', `Bearer ${t.adminToken}`).expect(204);
    assert.equal((await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${made.body.token}`)).status, 401);
  });

  it('keeps a token\'s last use to the minute: the first use is written, a use within the minute is not', async () => {
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${t.adminToken}`);
    const made = await request(t.app).post(`/api/v1/accounts/${me.body.id}/api-tokens`).set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'use' });
    const lastUse = async () => (await t.deps.store.accounts.listApiTokens(me.body.id)).find((x) => x.id === made.body.id)!.lastUsedAt?.getTime();
    const use = async () => assert.equal((await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${made.body.token}`)).status, 200);
    assert.equal(await lastUse(), undefined);
    const first = t.clock.now().getTime();
    await use();
    const written = await lastUse();
    assert.ok(written !== undefined && written >= first && written <= t.clock.now().getTime());
    t.clock.advance(30_000);
    try {
      await use();
      assert.equal(await lastUse(), written);
      t.clock.advance(31_000);
      await use();
      assert.ok((await lastUse())! >= written + 61_000);
    } finally {
      t.clock.advance(-61_000);
    }
  });

  it('an expired API token is refused (injected clock)', async () => {
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${t.adminToken}`);
    const made = await request(t.app).post(`/api/v1/accounts/${me.body.id}/api-tokens`).set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'short', expires_in_days: 1 });
    t.clock.advance(2 * 24 * 3600 * 1000);
    assert.equal((await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${made.body.token}`)).status, 401);
    t.clock.advance(-2 * 24 * 3600 * 1000);
  });

  it('malformed JSON, a wrong content type, an oversized body and an unknown route each get a clear JSON error and change nothing', async () => {
    const before = (await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`)).body;
    const bad = await request(t.app).patch('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').send('{"phone": ');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'malformed_json');
    const wrongType = await request(t.app).patch('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/xml').send('<phone/>');
    assert.equal(wrongType.status, 415);
    const big = await request(t.app).patch('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').send(JSON.stringify({ phone: 'x'.repeat(3 * 1024 * 1024) }));
    assert.equal(big.status, 413);
    const unknown = await request(t.app).get('/api/v1/no-such-thing').set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'route_not_found');
    const after = (await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`)).body;
    assert.deepEqual(after, before);
  });

  it('one organisation never reads or changes another organisation\'s data', async () => {
    const other = await t.otherOrg();
    const theirs = await request(t.app).get('/api/v1/accounts').set('Authorization', `Bearer ${other.token}`);
    assert.equal(theirs.status, 200);
    assert.ok(theirs.body.items.every((a: any) => a.email.endsWith('@apfelbaum.test')));
    const ours = await request(t.app).get('/api/v1/accounts').set('Authorization', `Bearer ${t.adminToken}`);
    const victim = ours.body.items.find((a: any) => a.email === 'staff@demo.orchard.test');
    assert.equal((await request(t.app).get(`/api/v1/accounts/${victim.id}`).set('Authorization', `Bearer ${other.token}`)).status, 404);
    assert.equal((await request(t.app).patch(`/api/v1/accounts/${victim.id}`).set('Authorization', `Bearer ${other.token}`).send({ given_name: 'Mallory' })).status, 404);
    assert.equal((await request(t.app).delete(`/api/v1/accounts/${victim.id}`).set('Authorization', `Bearer ${other.token}`)).status, 404);
    const loc = (await request(t.app).get('/api/v1/locations').set('Authorization', `Bearer ${t.adminToken}`)).body.items[0];
    assert.equal((await request(t.app).get(`/api/v1/locations/${loc.id}`).set('Authorization', `Bearer ${other.token}`)).status, 404);
    const still = await request(t.app).get(`/api/v1/accounts/${victim.id}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(still.body.given_name, 'Sam');
    const org = await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${other.token}`);
    assert.equal(org.body.name, 'Apfelbaum GmbH');
  });

  it('signs up an organisation only against the D-U-N-S directory, all or nothing', async () => {
    const wrong = await request(t.app).post('/api/v1/signup').send({ name: 'Pear Logistics', duns: '300011223', email: 'it@pear.test', administrator: { email: 'a@pear.test', password: 'long enough pw' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'duns_not_verified');
    const dupEmail = await request(t.app).post('/api/v1/signup').send({ name: 'Pear Logistics Ltd', duns: '300011223', email: 'it@pear.test', administrator: { email: 'admin@demo.orchard.test', password: 'long enough pw' } });
    assert.equal(dupEmail.status, 409);
    const ok = await request(t.app).post('/api/v1/signup').send({ name: 'Pear Logistics Ltd', duns: '300011223', email: 'it@pear.test', administrator: { email: 'a@pear.test', password: 'long enough pw' } });
    assert.equal(ok.status, 201);
    assert.match(ok.body.organisation.org_id, /^\d{7}$/);
    assert.ok(ok.body.api_token.startsWith('orch_'));
    const again = await request(t.app).post('/api/v1/signup').send({ name: 'Pear Logistics Ltd', duns: '300011223', email: 'x@pear.test', administrator: { email: 'b@pear.test', password: 'long enough pw' } });
    assert.equal(again.status, 409);
  });

  it('portal sessions: sign in sets an HttpOnly cookie; cookie writes need the same origin', async () => {
    await request(t.app).patch('/api/v1/accounts/' + (await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${t.adminToken}`)).body.id)
      .set('Authorization', `Bearer ${t.adminToken}`).send({ password: 'a new password' }).expect(200);
    const login = await request(t.app).post('/api/v1/session').send({ email: 'admin@demo.orchard.test', password: 'a new password' });
    assert.equal(login.status, 200);
    const cookie = login.headers['set-cookie']![0]!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const sid = cookie.split(';')[0]!;
    assert.equal((await request(t.app).get('/api/v1/organisation').set('Cookie', sid)).status, 200);
    const csrf = await request(t.app).patch('/api/v1/organisation').set('Cookie', sid).set('Origin', 'https://evil.example').send({ phone: '1' });
    assert.equal(csrf.status, 403);
    const same = await request(t.app).patch('/api/v1/organisation').set('Cookie', sid).set('Origin', t.deps.config.baseUrl).send({ phone: '+1 408 555 0123' });
    assert.equal(same.status, 200);
    assert.equal((await request(t.app).post('/api/v1/session').send({ email: 'admin@demo.orchard.test', password: 'wrong' })).status, 401);
  });

  it('GET /healthz answers 200 with the version and the store status', async () => {
    const res = await request(t.app).get('/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
    assert.equal(res.body.store.ok, true);
    assert.match(res.body.version, /^\d+\.\d+\.\d+$/);
  });
});
