// Accounts that can sign in (issue 14): an account made as the README shows it (with a password)
// signs in by the portal session route, and cookie writes need `X-Orchard-CSRF: 1`; an
// administrator resets another account's password with POST /api/v1/accounts/{id}/password,
// permission-checked as account edits are and audited without the password.
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

const NEW_PASSWORD = 'Quince-blossom-4821';

describe('POST /api/v1/accounts/{id}/password (an administrator resets a password)', () => {
  let t: TestOrchard;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const signIn = (email: string, password: string) => request(t.app).post('/api/v1/session').send({ email, password });
  const makeAccount = async (email: string, roles: string[], password?: string) => {
    const res = await request(t.app).post('/api/v1/accounts').set(bearer(t.adminToken)).send({ email, roles, ...(password ? { password } : {}) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const auditOf = async (target: string) =>
    (await request(t.app).get('/api/v1/audit').set(bearer(t.adminToken))).body.items.filter((e: any) => e.target === target);

  before(async () => {
    t = await buildTestOrchard();
  });

  it('the README account example: an account created with a password signs in, and cookie writes need X-Orchard-CSRF: 1', async () => {
    const id = await makeAccount('readme.dm@demo.orchard.test', ['DeviceManager'], 'Pear-orchard-5530');
    const login = await signIn('readme.dm@demo.orchard.test', 'Pear-orchard-5530');
    assert.equal(login.status, 200);
    assert.equal(login.body.account_id, id);
    assert.equal(login.body.email, 'readme.dm@demo.orchard.test');
    assert.deepEqual(login.body.roles, ['DeviceManager']);
    const cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
    assert.match(cookie, /^orchard_session=/);
    // A write by cookie (here: the account makes itself an API token) without the header is refused...
    const refused = await request(t.app).post(`/api/v1/accounts/${id}/api-tokens`).set('Cookie', cookie).send({ name: 'cli' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'csrf_rejected');
    // ...and with it, done.
    const made = await request(t.app).post(`/api/v1/accounts/${id}/api-tokens`).set('Cookie', cookie).set('X-Orchard-CSRF', '1').send({ name: 'cli' });
    assert.equal(made.status, 201);
    assert.match(made.body.token, /^orch_/);
    const me = await request(t.app).get('/api/v1/me').set('Cookie', cookie);
    assert.equal(me.status, 200);
    assert.equal(me.body.email, 'readme.dm@demo.orchard.test');
  });

  it('an account created without a password cannot sign in until an Administrator sets one; the old password then fails', async () => {
    const id = await makeAccount('nopassword@demo.orchard.test', ['Staff']);
    assert.equal((await signIn('nopassword@demo.orchard.test', NEW_PASSWORD)).status, 401);
    const res = await request(t.app).post(`/api/v1/accounts/${id}/password`).set(bearer(t.adminToken)).send({ password: NEW_PASSWORD });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const login = await signIn('nopassword@demo.orchard.test', NEW_PASSWORD);
    assert.equal(login.status, 200);
    assert.equal(login.body.account_id, id);
    const session = login.headers['set-cookie']![0]!.split(';')[0]!;
    assert.equal((await request(t.app).get('/api/v1/me').set('Cookie', session)).status, 200);
    const again = await request(t.app).post(`/api/v1/accounts/${id}/password`).set(bearer(t.adminToken)).send({ password: 'Apple-cider-9917' });
    assert.equal(again.status, 204);
    // The reset signs out whoever held the old password.
    assert.equal((await request(t.app).get('/api/v1/me').set('Cookie', session)).status, 401);
    const old = await signIn('nopassword@demo.orchard.test', NEW_PASSWORD);
    assert.equal(old.status, 401);
    assert.equal(old.body.error.code, 'login_failed');
    assert.equal((await signIn('nopassword@demo.orchard.test', 'Apple-cider-9917')).status, 200);
  });

  it('is audited with the route, the target and the outcome, never the password', async () => {
    const id = await makeAccount('audited@demo.orchard.test', ['Staff']);
    await request(t.app).post(`/api/v1/accounts/${id}/password`).set(bearer(t.adminToken)).send({ password: NEW_PASSWORD }).expect(204);
    const entries = await auditOf(id);
    const reset = entries.find((e: any) => e.action === 'POST /api/v1/accounts/:id/password');
    assert.ok(reset, JSON.stringify(entries));
    assert.equal(reset.outcome, 'success');
    assert.equal(reset.actor_email, 'admin@demo.orchard.test');
    assert.deepEqual(reset.detail, { status: 204 });
    assert.ok(!JSON.stringify(entries).includes(NEW_PASSWORD));
  });

  it('a People Manager resets a Staff password but not an Administrator\'s (403 administrator_required, audited as denied)', async () => {
    const pm = await t.tokenFor(['PeopleManager']);
    const staff = await makeAccount('staff.reset@demo.orchard.test', ['Staff'], 'Original-pass-1234');
    assert.equal((await request(t.app).post(`/api/v1/accounts/${staff}/password`).set(bearer(pm)).send({ password: NEW_PASSWORD })).status, 204);
    assert.equal((await signIn('staff.reset@demo.orchard.test', NEW_PASSWORD)).status, 200);

    const admin = await makeAccount('second.admin@demo.orchard.test', ['Administrator'], 'Original-pass-1234');
    const res = await request(t.app).post(`/api/v1/accounts/${admin}/password`).set(bearer(pm)).send({ password: NEW_PASSWORD });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'administrator_required');
    assert.equal(res.body.error.message, 'only an Administrator can change an Administrator');
    assert.equal((await signIn('second.admin@demo.orchard.test', NEW_PASSWORD)).status, 401);
    assert.equal((await signIn('second.admin@demo.orchard.test', 'Original-pass-1234')).status, 200);
    const denied = (await auditOf(admin)).find((e: any) => e.action === "POST /api/v1/accounts/:id/password");
    assert.equal(denied.outcome, 'denied');
    assert.deepEqual(denied.detail, { status: 403 });
  });

  for (const role of ['DeviceManager', 'ContentManager', 'Staff']) {
    it(`a ${role} may not reset passwords (403 forbidden) and nothing changes`, async () => {
      const token = await t.tokenFor([role]);
      const email = `victim.${role.toLowerCase()}@demo.orchard.test`;
      const id = await makeAccount(email, ['Staff'], 'Original-pass-1234');
      const res = await request(t.app).post(`/api/v1/accounts/${id}/password`).set(bearer(token)).send({ password: NEW_PASSWORD });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
      assert.equal(res.body.error.message, 'your roles do not allow this (needs accounts.manage)');
      assert.equal((await signIn(email, 'Original-pass-1234')).status, 200);
      const denied = (await auditOf(id)).find((e: any) => e.action === 'POST /api/v1/accounts/:id/password');
      assert.equal(denied.outcome, 'denied');
    });
  }

  it('another organisation\'s account is 404 account not found, and nothing changes', async () => {
    const other = await t.otherOrg();
    const theirs = (await request(t.app).get('/api/v1/me').set(bearer(other.token))).body;
    const res = await request(t.app).post(`/api/v1/accounts/${theirs.id}/password`).set(bearer(t.adminToken)).send({ password: NEW_PASSWORD });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    assert.equal((await signIn(theirs.email, NEW_PASSWORD)).status, 401);
    assert.equal((await signIn(theirs.email, 'correct horse battery')).status, 200);
  });

  it('a missing, non-string or too short password is 400 and the old password still signs in', async () => {
    const id = await makeAccount('badinput@demo.orchard.test', ['Staff'], 'Original-pass-1234');
    const path = `/api/v1/accounts/${id}/password`;
    for (const body of [{}, { password: 12345678 }, { password: null }]) {
      const res = await request(t.app).post(path).set(bearer(t.adminToken)).send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      // The contract's validator answers first (src/portal/api/openapi), naming the field.
      assert.equal(res.body.error.code, 'invalid_request');
      assert.deepEqual(res.body.error.details.errors.map((e: { pointer: string }) => e.pointer), ['/body/password']);
    }
    const short = await request(t.app).post(path).set(bearer(t.adminToken)).send({ password: 'short' });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.code, 'password_invalid');
    assert.equal((await signIn('badinput@demo.orchard.test', 'Original-pass-1234')).status, 200);
    assert.equal((await request(t.app).post('/api/v1/accounts/no-such-id/password').set(bearer(t.adminToken)).send({ password: NEW_PASSWORD })).status, 404);
  });
});
