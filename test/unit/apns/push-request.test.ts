import assert from 'node:assert/strict';
import { validatePushRequest, type RawPushRequest } from '../../../src/apns/push-request.js';

const TOPIC = 'com.apple.mgmt.External.1';
const TOKEN = 'AbCd'.repeat(16);
const req = (over: Partial<RawPushRequest> = {}): RawPushRequest => ({
  method: 'POST',
  path: `/3/device/${TOKEN}`,
  rawHeaders: ['apns-push-type', 'mdm', 'apns-topic', TOPIC, 'apns-expiration', '1700000000'],
  body: Buffer.from('{"mdm":"m"}'),
  bodyTooLarge: false,
  ...over,
});

describe('validatePushRequest', () => {
  it('accepts an MDM push and normalises the token to lower case', () => {
    assert.deepEqual(validatePushRequest(req(), TOPIC), {
      ok: true,
      push: {
        token: TOKEN.toLowerCase(), topic: TOPIC, pushType: 'mdm', apnsId: undefined, priority: 10,
        expiration: 1700000000, collapseId: undefined, payload: '{"mdm":"m"}',
      },
    });
  });

  it('checks the path before the method', () => {
    assert.deepEqual(validatePushRequest(req({ method: 'GET', path: '/4/x' }), TOPIC), { ok: false, reason: 'BadPath' });
    assert.deepEqual(validatePushRequest(req({ path: `/3/device/${TOKEN}/x` }), TOPIC), { ok: false, reason: 'BadPath' });
    assert.deepEqual(validatePushRequest(req({ method: 'PUT' }), TOPIC), { ok: false, reason: 'MethodNotAllowed' });
  });

  it('treats header names case-insensitively when looking for duplicates', () => {
    const r = req({ rawHeaders: ['apns-topic', TOPIC, 'APNS-TOPIC', TOPIC] });
    assert.deepEqual(validatePushRequest(r, TOPIC), { ok: false, reason: 'DuplicateHeaders' });
  });

  it('refuses a body that is not a JSON dictionary with the simulator-only reason', () => {
    assert.deepEqual(validatePushRequest(req({ body: Buffer.from('[1]') }), TOPIC), { ok: false, reason: 'BadPayload' });
    assert.deepEqual(validatePushRequest(req({ body: Buffer.from('{') }), TOPIC), { ok: false, reason: 'BadPayload' });
  });

  it('reports an oversized body even if the headers are fine', () => {
    assert.deepEqual(validatePushRequest(req({ bodyTooLarge: true }), TOPIC), { ok: false, reason: 'PayloadTooLarge' });
  });

  it('accepts priorities 1, 5 and 10 only', () => {
    for (const [p, ok] of [['1', true], ['5', true], ['10', true], ['0', false], ['10.0', false]] as const) {
      const v = validatePushRequest(req({ rawHeaders: ['apns-priority', p] }), TOPIC);
      assert.equal(v.ok, ok, p);
    }
  });
});
