// Issue 17, findings 2 and 3 at the wire: one password policy on every path that sets a
// password, sessions ending on a password change, lock-out with back-off (audited with the
// identifier tried), and a PATCH of an account that is checked whole before anything is written.
import assert from 'node:assert/strict';
import request from 'supertest';
import { asOperator, PEAR, tokenMailed } from '../../support/signup.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

const ADMIN = 'admin@demo.orchard.test';

describe('admin API: accounts and sign-in (issue 17, findings 2 and 3)', () => {
  let t: TestOrchard;
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${t.adminToken}`);
  const signIn = (email: string, password: string) => request(t.app).post('/api/v1/session').send({ email, password });
  const newAccount = async (password = 'a long passphrase 1') => {
    const res = await auth(request(t.app).post('/api/v1/accounts')).send({ email: `p-${Math.random().toString(36).slice(2)}@demo.orchard.test`, given_name: 'Pat', roles: ['Staff'], password });
    assert.equal(res.status, 201);
    return res.body as { id: string; email: string; given_name: string; roles: string[] };
  };
  const accountOf = async (id: string) => (await auth(request(t.app).get(`/api/v1/accounts/${id}`))).body;

  beforeEach(async () => {
    t = await buildTestOrchard();
  });

  describe('one password policy', () => {
    it('PATCH /accounts/:id {"password":"x"} is 400 password_invalid, and x does not sign in', async () => {
      const a = await newAccount();
      const res = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ password: 'x' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: { code: 'password_invalid', message: 'password must be at least 8 characters', details: { field: 'password', rule: 'min_length', errors: [{ pointer: '/body/password', problem: 'invalid_value' }] } } });
      assert.equal((await signIn(a.email, 'x')).status, 401);
      assert.equal((await signIn(a.email, 'a long passphrase 1')).status, 200);
    });

    it('refuses a common password on creation, PATCH and sign-up, and a non-string, changing nothing', async () => {
      const a = await newAccount();
      for (const password of ['password1', 'Qwertyuiop', 'iloveyou1']) {
        const patch = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ password });
        assert.equal(patch.status, 400);
        assert.equal(patch.body.error.details.rule, 'common');
      }
      const notString = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ password: { long: 'enough password' } });
      // Not a string at all: refused by the contract's validator (src/portal/api/openapi/) before the handler.
      assert.deepEqual([notString.status, notString.body.error.details], [400, { errors: [{ pointer: '/body/password', problem: 'wrong_type', expected: 'string' }] }]);
      const create = await auth(request(t.app).post('/api/v1/accounts')).send({ email: 'common@demo.orchard.test', roles: ['Staff'], password: 'baseball1' });
      assert.deepEqual([create.status, create.body.error.details], [400, { field: 'password', rule: 'common', errors: [{ pointer: '/body/password', problem: 'invalid_value' }] }]);
      assert.equal((await auth(request(t.app).get('/api/v1/accounts'))).body.items.some((x: any) => x.email === 'common@demo.orchard.test'), false);
      const own = await auth(request(t.app).post('/api/v1/accounts')).send({ email: 'samuel.lee@demo.orchard.test', roles: ['Staff'], password: 'SAMUEL.LEE' });
      assert.deepEqual([own.status, own.body.error.details], [400, { field: 'password', rule: 'context', errors: [{ pointer: '/body/password', problem: 'invalid_value' }] }]);

      // The first Administrator of a new organisation sets a password under the same policy (sign-up activation).
      const applied = await request(t.app).post('/api/v1/signup').send(PEAR).expect(201);
      await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/approve`)).expect(200);
      await request(t.app).post('/api/v1/signup/validation').send({ token: await tokenMailed(t, PEAR.validation_contact.email, 'signup_validation', /validate/), decision: 'confirm' }).expect(200);
      const activation = await tokenMailed(t, PEAR.email, 'signup_activation', /activate/);
      const signUp = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'password123', accept_terms: true });
      assert.deepEqual([signUp.status, signUp.body.error.code, signUp.body.error.details.rule], [400, 'password_invalid', 'common']);
      // Nothing was enrolled: the same activation with a good password still goes through.
      const ok = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'pear tree in bloom', accept_terms: true });
      assert.equal(ok.status, 201);
      assert.equal((await signIn(a.email, 'a long passphrase 1')).status, 200);
    });
  });

  describe('sessions end on a password change', () => {
    it('a portal session made before the change answers 401 after it; API tokens stay valid', async () => {
      const a = await newAccount();
      const session = await signIn(a.email, 'a long passphrase 1');
      const cookie = session.headers['set-cookie']![0]!.split(';')[0]!;
      assert.equal((await request(t.app).get('/api/v1/me').set('Cookie', cookie)).status, 200);
      const changed = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ password: 'a brand new passphrase' });
      assert.equal(changed.status, 200);
      const after = await request(t.app).get('/api/v1/me').set('Cookie', cookie);
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, 'unauthenticated');
      assert.equal((await signIn(a.email, 'a long passphrase 1')).status, 401);
      assert.equal((await signIn(a.email, 'a brand new passphrase')).status, 200);
      // A name change is not a password change: the new session survives it.
      const again = (await signIn(a.email, 'a brand new passphrase')).headers['set-cookie']![0]!.split(';')[0]!;
      await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ given_name: 'Patricia' }).expect(200);
      assert.equal((await request(t.app).get('/api/v1/me').set('Cookie', again)).status, 200);
      assert.equal((await auth(request(t.app).get('/api/v1/me'))).status, 200);
    });
  });

  describe('lock-out with back-off', () => {
    it('after 5 failures the identifier is locked (429, Retry-After) even for the right password, doubling; time moves, it opens', async () => {
      const a = await newAccount();
      for (let i = 0; i < 5; i++) assert.equal((await signIn(a.email, `wrong guess ${i}`)).status, 401);
      const locked = await signIn(a.email, 'a long passphrase 1');
      assert.equal(locked.status, 429);
      assert.equal(locked.headers['retry-after'], '1');
      assert.deepEqual(locked.body, { error: { code: 'sign_in_locked', message: 'too many failed sign-ins: try again in 1 s', details: { retry_after_seconds: 1 } } });
      assert.equal(locked.headers['set-cookie'], undefined);
      t.clock.advance(1_000);
      assert.equal((await signIn(a.email, 'wrong again')).status, 401);
      const longer = await signIn(a.email, 'a long passphrase 1');
      assert.deepEqual([longer.status, longer.headers['retry-after']], [429, '2']);
      // Other identifiers are not locked by this one.
      assert.equal((await signIn(ADMIN, 'nope nope nope')).status, 401);
      t.clock.advance(2_000);
      assert.equal((await signIn(a.email, 'a long passphrase 1')).status, 200);
      // Success starts the identifier again from zero.
      assert.equal((await signIn(a.email, 'wrong once more')).status, 401);
      assert.equal((await signIn(a.email, 'a long passphrase 1')).status, 200);
    });

    it('counts attempts sent at once: 30 parallel wrong passwords give at most 5 real tries', async () => {
      const a = await newAccount();
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(a.email, `parallel ${i}`)));
      const statuses = answers.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 401).length, 5);
      assert.equal(statuses.filter((s) => s === 429).length, 25);
    });

    it('locks a source address that sprays many identifiers, without the identifiers being locked', async () => {
      for (let i = 0; i < 50; i++) assert.equal((await signIn(`nobody${i}@demo.orchard.test`, 'spray password')).status, 401);
      const fromSource = await signIn('fresh@demo.orchard.test', 'spray password');
      assert.equal(fromSource.status, 429);
      t.clock.advance(1_000);
      assert.equal((await signIn(ADMIN, 'still wrong!')).status, 401);
    });

    it('audits every failure and lock with the identifier tried and the source, never the password', async () => {
      const a = await newAccount();
      for (let i = 0; i < 6; i++) await signIn(a.email, `secret-guess-${i}`);
      await signIn('no-such-person@elsewhere.test', 'secret-guess-x');
      const audit = await auth(request(t.app).get('/api/v1/audit?limit=50'));
      assert.equal(audit.status, 200);
      const signIns = audit.body.items.filter((e: any) => e.action === 'sign_in');
      assert.equal(signIns.length, 6);
      assert.deepEqual(signIns.map((e: any) => [e.outcome, e.detail.reason, e.detail.identifier]), [
        ['denied', 'locked', a.email],
        ...[5, 4, 3, 2, 1].map(() => ['failed', 'wrong_credentials', a.email]),
      ]);
      assert.match(signIns[0].detail.source, /127\.0\.0\.1/);
      assert.ok(!JSON.stringify(audit.body).includes('secret-guess'));
      // An identifier that names no account is audited outside any organisation's log.
      assert.ok(!signIns.some((e: any) => e.detail.identifier === 'no-such-person@elsewhere.test'));
    });
  });

  describe('PATCH /accounts/:id is checked whole, then written at once (finding 3)', () => {
    it('{"roles":["ContentManager"],"given_name":{"a":1}} is 400 naming given_name, and the roles did not change', async () => {
      const a = await newAccount();
      const res = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ roles: ['ContentManager'], given_name: { a: 1 } });
      assert.equal(res.status, 400);
      // Not a string at all: refused by the contract's validator (src/portal/api/openapi/) before the handler.
      assert.deepEqual(res.body, { error: { code: 'invalid_request', message: 'the request does not match the API: /body/given_name must be string', details: { errors: [{ pointer: '/body/given_name', problem: 'wrong_type', expected: 'string' }] } } });
      const now = await accountOf(a.id);
      assert.deepEqual(now.roles, ['Staff']);
      assert.equal(now.given_name, 'Pat');
    });

    it('a bad password, active or family name beside good roles and names changes nothing', async () => {
      const a = await newAccount();
      const before = await accountOf(a.id);
      for (const body of [
        { roles: ['ContentManager'], given_name: 'Robin', password: 'x' },
        { roles: ['ContentManager'], given_name: 'Robin', active: 'no' },
        { roles: ['ContentManager'], given_name: 'Robin', family_name: 'Lee\u0000' },
        { roles: ['ContentManager'], given_name: 'Robin\uffff' },
        { roles: ['Nobody'], given_name: 'Robin' },
      ]) {
        const res = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.deepEqual(await accountOf(a.id), before);
      }
      assert.equal((await signIn(a.email, 'a long passphrase 1')).status, 200);
      const ok = await auth(request(t.app).patch(`/api/v1/accounts/${a.id}`)).send({ roles: ['ContentManager'], given_name: 'Robin', family_name: 'Lee' });
      assert.equal(ok.status, 200);
      assert.deepEqual([ok.body.roles, ok.body.given_name, ok.body.family_name], [['ContentManager'], 'Robin', 'Lee']);
    });

    it('demoting the last Administrator is 409 and changes neither the roles nor the names', async () => {
      const me = (await auth(request(t.app).get('/api/v1/me'))).body;
      const res = await auth(request(t.app).patch(`/api/v1/accounts/${me.id}`)).send({ roles: ['Staff'], given_name: 'Renamed' });
      assert.deepEqual([res.status, res.body.error.code], [409, 'last_administrator']);
      const now = await accountOf(me.id);
      assert.deepEqual(now.roles, ['Administrator']);
      assert.notEqual(now.given_name, 'Renamed');
    });
  });
});
