// Property: the developer face under generated bodies, headers, ids and keys, with a real
// developer key too: never a 5xx, the admin JSON error shape, no internals, a request id, and a
// refusal changes nothing in the store.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { ids, jsonBodies, probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

describe('property: the developer face under generated input', () => {
  let t: TestOrchard;
  let key: string;
  before(async () => {
    t = await buildTestOrchard();
    key = (await t.deps.services.content.customApps.registerDeveloper('Probe Developer')).apiKey;
  });
  const routes = fc.constantFrom('/custom-apps', '/custom-apps/X/versions', '/custom-apps/X/versions/Y/review');

  it('any body, content type, coding and charset: a clean answer; a refusal changes nothing', async () => {
    await fc.assert(fc.asyncProperty(routes, ids, probes(), fc.boolean(), async (route, id, p, authed) => {
      const before = storeSnapshot(t.db);
      let r = request(t.app).post(`/developer/v1${route.replace(/\b[XY]\b/g, id)}`);
      r = r.set('Authorization', `Bearer ${authed ? key : id}`);
      const res = await send(r, p);
      shapes.admin(res);
      if (res.status >= 400) assert.equal(storeSnapshot(t.db), before);
    }), { numRuns: propertyRuns(60) });
  });

  it('JSON bodies with values of any type where strings are expected: never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(routes, jsonBodies, async (route, body) => {
      const before = storeSnapshot(t.db);
      const res = await request(t.app).post(`/developer/v1${route.replace(/\b[XY]\b/g, 'X')}`).set('Authorization', `Bearer ${key}`)
        .set('Content-Type', 'application/json').send(JSON.stringify(body));
      shapes.admin(res);
      if (res.status >= 400) assert.equal(storeSnapshot(t.db), before);
    }), { numRuns: propertyRuns(60) });
  });
});
