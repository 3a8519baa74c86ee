// Property: the reseller face under generated bodies, content types, codings, charsets and
// credentials: never a 5xx, {errorCode, errorMessage} refusals, no internals, a request id, and
// a refusal changes nothing in the store.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

describe('property: the reseller face under generated input', () => {
  let t: TestOrchard;
  let basic: string;
  before(async () => {
    t = await buildTestOrchard();
    basic = `Basic ${Buffer.from(fs.readFileSync(path.join(t.dataDir, 'reseller-credential'), 'utf8').trim()).toString('base64')}`;
  });

  it('any body and headers, with or without the credential: a clean answer; a refusal changes nothing', async () => {
    const auth = fc.oneof(fc.constant('valid'), fc.constant(undefined), fc.stringMatching(/^[\x20-\x7e]{0,40}$/));
    await fc.assert(fc.asyncProperty(fc.constantFrom('/bulk-enroll-devices', '/check-transaction-status', '/show-order-details', '/nope'), probes(), auth,
      async (p0, p, a) => {
        const before = storeSnapshot(t.db);
        let r = request(t.app).post(`/reseller${p0}`);
        if (a !== undefined) r = r.set('Authorization', a === 'valid' ? basic : a);
        const res = await send(r, p);
        shapes.reseller(res);
        if (res.status >= 400) assert.equal(storeSnapshot(t.db), before);
      }), { numRuns: propertyRuns(60) });
  });
});
