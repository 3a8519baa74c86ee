// Property: the Apps and Books API under generated input: never a 5xx, always
// {errorNumber, errorMessage}, no internals, a request id, and nothing changes in the store.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { ids, probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

const PATHS = ['/assets/associate', '/assets/disassociate', '/assets/revoke', '/users/create', '/users/update', '/users/retire', '/client/config',
  '/assets', '/assignments', '/users', '/status', '/service/config', '/nope'];

describe('property: the Apps and Books face under generated input', () => {
  let t: TestOrchard;
  before(async () => { t = await buildTestOrchard(); });

  it('any body, content type, coding and charset, any sToken: a clean errorNumber, changing nothing', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('get', 'post', 'put') as fc.Arbitrary<'get' | 'post' | 'put'>, fc.constantFrom(...PATHS), probes(), fc.option(ids, { nil: undefined }),
      async (method, path, p, token) => {
        const before = storeSnapshot(t.db);
        let r = request(t.app)[method](`/vpp/mdm/v2${path}`);
        if (token !== undefined) r = r.set('Authorization', `Bearer ${token}`);
        const res = method === 'get' ? await r.query({ pageIndex: token ?? '0', serialNumber: token ?? '' }) : await send(r, p);
        shapes.vpp(res);
        if (res.status >= 400) assert.equal(storeSnapshot(t.db), before);
      }), { numRuns: propertyRuns(60) });
  });
});
