// Property: the Device Assignment API, before and after authentication, on the DEP port, under
// generated bodies, content types, codings, charsets and session headers: never a 5xx, always a
// bare code, no internals, a request id, and a refusal changes nothing in the store.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { createDepServer, HOST, openSession, UA } from '../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { ids, jsonBodies, probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

const ENDPOINTS = fc.constantFrom<['get' | 'post' | 'put' | 'delete', string]>(
  ['post', '/server/devices'], ['post', '/devices/sync'], ['post', '/devices'], ['post', '/devices/disown'], ['post', '/profile'],
  ['get', '/profile'], ['put', '/profile/devices'], ['delete', '/profile/devices'], ['get', '/account'], ['get', '/session'],
);

describe('property: the DEP face under generated input', () => {
  let t: TestOrchard;
  let session: string;
  before(async () => {
    t = await buildTestOrchard();
    session = await openSession(t, (await createDepServer(t, 'Probed MDM')).secrets);
  });

  it('before authentication: any body and headers answer a bare code, never a 5xx, changing nothing', async () => {
    await fc.assert(fc.asyncProperty(ENDPOINTS, probes(), fc.option(ids, { nil: undefined }), async ([method, path], p, sessionHeader) => {
      const before = storeSnapshot(t.db);
      let r = request(t.depApp)[method](path).set('Host', HOST).set('User-Agent', UA);
      if (sessionHeader !== undefined) r = r.set('X-ADM-Auth-Session', sessionHeader);
      shapes.dep(await send(r, p));
      assert.equal(storeSnapshot(t.db), before);
    }), { numRuns: propertyRuns(60) });
  });

  it('with a session: generated JSON bodies answer 200 or a bare code, never a 5xx; a refusal changes nothing', async () => {
    await fc.assert(fc.asyncProperty(ENDPOINTS, jsonBodies, fc.integer({ min: 0, max: 12 }), async ([method, path], body, version) => {
      t.clock.advance(60_000); // refills the per-server rate limit, so runs reach the handlers
      const before = storeSnapshot(t.db);
      const res = await request(t.app)[method](`/dep${path}`).set('Host', HOST).set('User-Agent', UA).set('X-ADM-Auth-Session', session)
        .set('X-Server-Protocol-Version', String(version)).set('Content-Type', 'application/json;charset=UTF8').send(JSON.stringify(body));
      shapes.dep(res);
      if (res.status >= 400) assert.equal(storeSnapshot(t.db), before, `${method} ${path} ${res.status} changed the store`);
    }), { numRuns: propertyRuns(80) });
  });
});
