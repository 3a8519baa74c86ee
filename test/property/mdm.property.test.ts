// Property: check-in and connect, on the fast path in front of Express and through the router,
// under generated bodies, content types, codings and Mdm-Signature headers: never a 5xx, plain
// text, no internals, a request id, both paths answer alike, and nothing changes in the store.
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { listenOnLoopback } from '../support/listen.js';
import { probes, send } from '../support/probes.js';
import { propertyRuns, storeSnapshot } from '../support/wire-errors.js';
import { shapes } from './faces.js';

describe('property: the MDM check-in and connect face under generated input', () => {
  let t: TestOrchard;
  let served: Awaited<ReturnType<typeof listenOnLoopback>>;
  before(async () => {
    t = await buildTestOrchard();
    served = await listenOnLoopback(t.handler as RequestListener);
  });
  after(() => served.close());

  it('router and fast path answer alike, cleanly, changing nothing', async () => {
    const signature = fc.option(fc.oneof(fc.base64String({ maxLength: 200 }), fc.stringMatching(/^[\x20-\x7e]{0,60}$/)), { nil: undefined });
    await fc.assert(fc.asyncProperty(fc.constantFrom('/mdm/checkin', '/mdm/connect', '/mdm'),
      probes('application/x-apple-aspen-mdm-checkin', 'application/x-apple-aspen-mdm', 'application/x-apple-aspen-mdm; charset=utf-8'), signature,
      async (path, p, sig) => {
        const before = storeSnapshot(t.db);
        const answers = [];
        for (const target of [t.app, served.url]) {
          let r = request(target as string).put(path);
          if (sig !== undefined) r = r.set('Mdm-Signature', sig);
          const res = await send(r, p);
          shapes.mdm(res);
          answers.push([res.status, res.text]);
        }
        assert.deepEqual(answers[0], answers[1], 'the router and the fast path answer differently');
        assert.equal(storeSnapshot(t.db), before);
      }), { numRuns: propertyRuns(60) });
  });
});
