// Property: whatever a client sends to the admin JSON API (bodies of any JSON type where strings
// are expected, any content type, content coding or charset, broken ids and cookies), the answer
// is never a 5xx, always the admin error shape {"error":{"code","message","details"?}} when
// refused, shows no internals, carries a request id, and a refusal changes nothing in the store.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { ADMIN_WRITES } from '../support/admin-routes.js';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { cookies, ids, jsonBodies, probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

const assertAdminError = shapes.admin;

describe('property: the admin API under generated input', () => {
  let t: TestOrchard;
  before(async () => { t = await buildTestOrchard(); });
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const route = fc.constantFrom(...ADMIN_WRITES);
  const withId = (path: string, id: string) => path.replace(/\b[XY]\b/g, id);

  it('any body, content type, coding and charset on any write: a clean refusal that changes nothing', async () => {
    await fc.assert(fc.asyncProperty(route, ids, probes(), async ([method, path], id, p) => {
      const before = storeSnapshot(t.db);
      const res = await send(request(t.app)[method](`/api/v1${withId(path, id)}`).set(auth()), p);
      assertAdminError(res);
      if (res.status >= 400) assert.equal(storeSnapshot(t.db), before, `${method} ${path} ${res.status} changed the store`);
    }), { numRuns: propertyRuns(60) });
  });

  it('JSON bodies with values of any type where strings are expected: never a 5xx; a refusal changes nothing', async () => {
    await fc.assert(fc.asyncProperty(route, jsonBodies, async ([method, path], body) => {
      const before = storeSnapshot(t.db);
      const res = await request(t.app)[method](`/api/v1${withId(path, 'X')}`).set(auth()).set('Content-Type', 'application/json').send(JSON.stringify(body));
      assertAdminError(res);
      if (res.status >= 400) assert.equal(storeSnapshot(t.db), before, `${method} ${path} ${res.status} changed the store`);
    }), { numRuns: propertyRuns(100) });
  });

  it('reads with broken ids and cookies: a clean 4xx, never a 5xx', async () => {
    const reads = fc.constantFrom('/devices/X', '/accounts/X', '/locations/X', '/mdm-servers/X', '/commands/X', '/organisation', '/webhooks');
    await fc.assert(fc.asyncProperty(reads, ids, cookies, fc.boolean(), async (path, id, cookie, bearer) => {
      let r = request(t.app).get(`/api/v1${withId(path, id)}`);
      if (bearer) r = r.set(auth());
      if (cookie !== undefined) r = r.set('Cookie', cookie);
      assertAdminError(await r);
    }), { numRuns: propertyRuns(60) });
  });
});
