// Property: the device-facing enrolment face under generated bodies, content types, codings,
// charsets, forms and x-apple-aspen-deviceinfo headers: never a 5xx, {code, message} JSON, no
// internals, a request id, and nothing changes in the store.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

describe('property: the enrolment face under generated input', () => {
  let t: TestOrchard;
  before(async () => { t = await buildTestOrchard(); });

  it('POST /enroll/cloud-config, /enroll/dep and /enroll/web: a clean refusal, changing nothing', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('/enroll/cloud-config', '/enroll/dep', '/enroll/web'),
      probes('application/pkcs7-signature', 'application/x-www-form-urlencoded'), async (path, p) => {
        const before = storeSnapshot(t.db);
        shapes.enroll(await send(request(t.app).post(path), p));
        assert.equal(storeSnapshot(t.db), before);
      }), { numRuns: propertyRuns(60) });
  });

  it('GET /enroll/web with any x-apple-aspen-deviceinfo: a clean refusal', async () => {
    await fc.assert(fc.asyncProperty(fc.option(fc.oneof(fc.base64String({ maxLength: 300 }), fc.stringMatching(/^[\x20-\x7e]{0,80}$/)), { nil: undefined }), async (info) => {
      let r = request(t.app).get('/enroll/web');
      if (info !== undefined) r = r.set('x-apple-aspen-deviceinfo', info);
      shapes.enroll(await r);
    }), { numRuns: propertyRuns(40) });
  });
});
