// Rate limiting (429 + Retry-After) and the test-control face's clock and fault injection.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DAY_MS } from '../../../src/clock.js';
import { addDevices, createDepServer, depCall, depUrl, HOST, openSession, signedFor, T0, UA } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

const json = (res: { text: string }) => JSON.parse(res.text);

describe('DEP rate limiting', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After once a server exceeds its burst, per server', async () => {
    const t = await buildTestOrchard();
    t.clock.freeze(T0);
    const srv = await createDepServer(t, 'Busy MDM');
    const other = await createDepServer(t, 'Quiet MDM');
    const call = depCall(t, await openSession(t, srv.secrets));
    let res;
    let n = 0;
    do {
      res = await call('get', '/account');
      n++;
    } while (res.status === 200 && n < 2000);
    assert.deepEqual([res.status, res.text, res.headers['retry-after']], [429, 'TOO_MANY_REQUESTS', '1']);
    assert.equal(n, 600); // the /session request took one from the same bucket
    assert.equal((await depCall(t, await openSession(t, other.secrets))('get', '/account')).status, 200);
    t.clock.advance(1000);
    assert.equal((await call('get', '/account')).status, 200);
  });
});

describe('DEP test controls', () => {
  let t: TestOrchard;
  const as = (token: () => string) => (method: 'get' | 'post' | 'delete', p: string, body?: unknown) => {
    const r = request(t.app)[method](`/api/v1/test-controls${p}`).set('Authorization', `Bearer ${token()}`);
    return body === undefined ? r : r.send(body as object);
  };
  const admin = as(() => t.operatorToken);

  it('are absent unless ORCHARD_TEST_CONTROLS=1', async () => {
    t = await buildTestOrchard();
    const res = await admin('get', '/clock');
    assert.equal(res.status, 404);
  });

  describe('with ORCHARD_TEST_CONTROLS=1', () => {
    beforeEach(async () => {
      t = await buildTestOrchard({ testControls: true });
    });

    it('moves the clock forward so that sync cursors and server tokens expire on demand', async () => {
      const srv = await createDepServer(t, 'Clock MDM');
      const call = depCall(t, await openSession(t, srv.secrets));
      const { cursor } = json(await call('post', '/server/devices', {}));
      const before = t.clock.now().getTime();
      const res = await admin('post', '/clock', { advance_seconds: 8 * 86400 });
      assert.equal(res.status, 200);
      assert.equal(res.body.offset_seconds, 8 * 86400);
      assert.ok(new Date(res.body.now).getTime() >= before + 8 * DAY_MS - 1000);
      const fresh = depCall(t, await openSession(t, srv.secrets));
      assert.equal((await fresh('post', '/devices/sync', { cursor })).text, 'EXPIRED_CURSOR');
      await admin('post', '/clock', { advance_seconds: 360 * 86400 });
      const s = await request(t.app).get('/dep/session').set('Host', HOST).set('User-Agent', UA)
        .set('Authorization', signedFor(t, srv.secrets, depUrl('/session')));
      assert.deepEqual([s.status, s.text], [401, 'oauth_problem=token_expired']);
    });

    it('injects 429 with Retry-After, a 5xx, cursor faults and T_C_NOT_SIGNED for one server only', async () => {
      const srv = await createDepServer(t, 'Faulty MDM');
      const other = await createDepServer(t, 'Healthy MDM');
      const call = depCall(t, await openSession(t, srv.secrets));
      const otherCall = depCall(t, await openSession(t, other.secrets));
      const add = (f: object) => admin('post', `/dep/servers/${srv.id}/faults`, f);

      assert.equal((await add({ kind: 'rate_limited', retry_after_seconds: 42, count: 1 })).status, 201);
      let res = await call('get', '/account');
      assert.deepEqual([res.status, res.text, res.headers['retry-after']], [429, 'TOO_MANY_REQUESTS', '42']);
      assert.equal((await call('get', '/account')).status, 200);

      await add({ kind: 'server_error', status: 503, count: 1 });
      assert.equal((await otherCall('get', '/account')).status, 200);
      res = await call('get', '/account');
      assert.deepEqual([res.status, res.text], [503, 'SERVICE_UNAVAILABLE']);

      for (const [kind, code] of [['expired_cursor', 'EXPIRED_CURSOR'], ['exhausted_cursor', 'EXHAUSTED_CURSOR'], ['invalid_cursor', 'INVALID_CURSOR']]) {
        await add({ kind, count: 1 });
        res = await call('post', '/server/devices', {});
        assert.deepEqual([res.status, res.text], [400, code]);
      }
      assert.equal((await call('post', '/server/devices', {})).status, 200);

      await add({ kind: 'terms_not_accepted', count: 1 });
      res = await call('get', '/account');
      assert.deepEqual([res.status, res.text], [403, 'T_C_NOT_SIGNED']);

      const list = await admin('get', `/dep/servers/${srv.id}/faults`);
      assert.deepEqual(list.body, { items: [], next_cursor: null });
    });

    it('throttles profile assignment per device with retry_after_seconds (protocol 10)', async () => {
      const srv = await createDepServer(t, 'Throttled MDM');
      const [a, b] = await addDevices(t, t.orgId, srv.id, 2);
      const call = depCall(t, await openSession(t, srv.secrets), 10);
      const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'P', url: 'https://mdm.example.com/enroll' }));
      await admin('post', `/dep/servers/${srv.id}/faults`, { kind: 'throttled', serial_numbers: [b], retry_after_seconds: 30, count: 1 });
      const res = await call('put', '/profile/devices', { profile_uuid, devices: [a, b] });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), { profile_uuid, devices: { [a!]: 'SUCCESS', [b!]: 'THROTTLED' }, retry_after_seconds: 30 });
      const d = json(await call('post', '/devices', { devices: [b] })).devices[b!];
      assert.equal(d.profile_status, 'empty');
    });

    // Issue 17, finding 9: a second organisation's Device Manager moved every organisation's
    // clock, and a huge step put every signed-in call into 500 until restart.
    it("are the server operator's: no organisation's role opens them, whichever organisation", async () => {
      const srv = await createDepServer(t, 'Guarded MDM');
      const foreign = await t.otherOrg();
      const dm = await t.tokenFor(['DeviceManager']);
      for (const token of [t.adminToken, dm, foreign.token]) {
        const caller = as(() => token);
        for (const [method, p, body] of [
          ['get', '/clock'], ['post', '/clock', { advance_seconds: 60 }],
          ['get', `/dep/servers/${srv.id}/faults`], ['post', `/dep/servers/${srv.id}/faults`, { kind: 'rate_limited' }], ['delete', `/dep/servers/${srv.id}/faults`],
        ] as const) {
          const res = await caller(method, p, body);
          assert.equal(res.status, 403, `${method} ${p}`);
          assert.equal(res.body.error.code, 'operator_only');
        }
      }
      assert.equal((await admin('get', '/clock')).body.offset_seconds, 0);
      assert.deepEqual((await admin('get', `/dep/servers/${srv.id}/faults`)).body, { items: [], next_cursor: null });
      // The operator's token acts on no organisation.
      const orgRoute = await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.operatorToken}`);
      assert.equal(orgRoute.status, 403);
    });

    it('bounds a clock step to ten years and refuses anything else, changing nothing', async () => {
      for (const advance_seconds of [18446744073709551616, 10 * 366 * 86400 + 1, -1]) {
        const res = await admin('post', '/clock', { advance_seconds });
        assert.equal(res.status, 400, String(advance_seconds));
        assert.equal(res.body.error.code, 'advance_invalid');
      }
      // Not an integer at all: refused by the contract's validator (src/portal/api/openapi/), before the handler.
      for (const [advance_seconds, expected] of [[1.5, 'integer'], ['60', 'integer'], [null, 'integer']] as const) {
        const res = await admin('post', '/clock', { advance_seconds });
        assert.equal(res.status, 400, String(advance_seconds));
        assert.deepEqual(res.body.error.details, { errors: [{ pointer: '/body/advance_seconds', problem: 'wrong_type', expected }] });
      }
      assert.equal((await admin('get', '/clock')).body.offset_seconds, 0);
      assert.equal((await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`)).status, 200);
      assert.equal((await admin('post', '/clock', { advance_seconds: 10 * 366 * 86400 })).status, 200);
      assert.equal((await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`)).status, 200); // ten years on, still a clean answer
    });

    it('faults for an unknown server are 404', async () => {
      const res = await admin('post', '/dep/servers/00000000-0000-0000-0000-000000000000/faults', { kind: 'rate_limited' });
      assert.equal(res.status, 404);
    });
  });
});
