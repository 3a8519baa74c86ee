// Property: the SCEP face under generated operations, messages, bodies, content types and
// codings: never a 5xx, plain-text refusals, no internals, a request id, nothing changes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

describe('property: the SCEP face under generated input', () => {
  let t: TestOrchard;
  before(async () => { t = await buildTestOrchard(); });
  const operation = fc.option(fc.oneof(fc.constantFrom('GetCACaps', 'GetCACert', 'PKIOperation', 'GetNextCACert'), fc.string({ maxLength: 20 })), { nil: undefined });

  it('GET and POST, any operation, message and body: a clean answer, changing nothing', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('/scep', '/scep/pkiclient.exe'), operation, fc.option(fc.oneof(fc.base64String({ maxLength: 400 }), fc.string({ maxLength: 60 })), { nil: undefined }),
      probes('application/x-pki-message', 'application/pkcs7-mime'), fc.boolean(), async (path, op, message, p, post) => {
        const before = storeSnapshot(t.db);
        const query: Record<string, string> = {};
        if (op !== undefined) query.operation = op;
        if (message !== undefined) query.message = message;
        const res = post ? await send(request(t.app).post(path).query(query), p) : await request(t.app).get(path).query(query);
        shapes.scep(res);
        assert.equal(storeSnapshot(t.db), before);
      }), { numRuns: propertyRuns(60) });
  });
});
