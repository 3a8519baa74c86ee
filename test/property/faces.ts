// Face-shape assertions shared by the property suites: each face's own refusal shape, with the
// common part (no 5xx, no internals, a request id) checked first.
import assert from 'node:assert/strict';
import { assertNoInternals, requestIdOf } from '../support/wire-errors.js';

export type Answer = { status: number; text: string; body: any; headers: Record<string, string> };

function common(res: Answer) {
  assert.ok(res.status < 500, `${res.status} ${res.text.slice(0, 300)}`);
  assertNoInternals(res.text);
  requestIdOf(res);
  assert.doesNotMatch(res.headers['content-type'] ?? '', /html/, 'an HTML error page');
}

export const shapes = {
  /** DEP: the bare code text, or an OAuth problem at /session. */
  dep(res: Answer) {
    common(res);
    if (res.status >= 400) assert.match(res.text, /^(?:[A-Z_]+|oauth_problem=[a-z_]+(?:&[a-z_]+=[a-z_&]*)*|)$/, res.text);
  },
  /** Apps and Books: {errorNumber, errorMessage, errorInfo?}. */
  vpp(res: Answer) {
    common(res);
    if (res.status >= 400) {
      assert.equal(typeof res.body?.errorNumber, 'number', res.text);
      assert.equal(typeof res.body.errorMessage, 'string');
    }
  },
  /** MDM: plain text with the status devices act on. */
  mdm(res: Answer) {
    common(res);
    if (res.status >= 400) assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  },
  /** Enrolment: {code, message}. */
  enroll(res: Answer) {
    common(res);
    if (res.status >= 400) {
      assert.deepEqual(Object.keys(res.body ?? {}), ['code', 'message'], res.text);
      assert.match(res.body.code, /^[A-Z_]+$/);
    }
  },
  /** SCEP: plain text before a CertRep can be addressed. */
  scep(res: Answer) {
    common(res);
    if (res.status >= 400) assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
  },
  /** Reseller: {errorCode, errorMessage}. */
  reseller(res: Answer) {
    common(res);
    if (res.status >= 400) {
      assert.deepEqual(Object.keys(res.body ?? {}), ['errorCode', 'errorMessage'], res.text);
      assert.match(res.body.errorCode, /^[A-Z_0-9]+$/);
    }
  },
  /** Admin JSON (also the developer face's). */
  admin(res: Answer) {
    common(res);
    if (res.status >= 400) {
      assert.equal(typeof res.body?.error?.code, 'string', res.text);
      assert.equal(typeof res.body.error.message, 'string');
      for (const k of Object.keys(res.body.error)) assert.ok(['code', 'message', 'details'].includes(k), res.text);
    }
  },
};
