import assert from 'node:assert/strict';
import { classifyApnsResponse, DEVICE_TOKEN_PATTERN, devicePath, isDeviceToken, mdmPayload, mdmPayloadJson, REASON_STATUS } from '../../../src/apns/wire.js';

describe('APNs wire vocabulary', () => {
  it('builds the device path', () => {
    assert.equal(devicePath('00ff'), '/3/device/00ff');
  });

  it('maps every documented reason to its status', () => {
    const byStatus: Record<number, string[]> = {};
    for (const [reason, status] of Object.entries(REASON_STATUS)) (byStatus[status] ??= []).push(reason);
    assert.deepEqual(byStatus, {
      400: ['BadCollapseId', 'BadDeviceToken', 'BadExpirationDate', 'BadMessageId', 'BadPriority', 'BadTopic',
        'DeviceTokenNotForTopic', 'DuplicateHeaders', 'IdleTimeout', 'InvalidPushType', 'MissingDeviceToken',
        'MissingTopic', 'PayloadEmpty', 'TopicDisallowed'],
      403: ['BadCertificate', 'BadCertificateEnvironment', 'ExpiredProviderToken', 'Forbidden', 'InvalidProviderToken',
        'MissingProviderToken'],
      404: ['BadPath'],
      405: ['MethodNotAllowed'],
      410: ['Unregistered', 'ExpiredToken'],
      413: ['PayloadTooLarge'],
      429: ['TooManyProviderTokenUpdates', 'TooManyRequests'],
      500: ['InternalServerError'],
      503: ['ServiceUnavailable', 'Shutdown'],
    });
  });

  describe('classifyApnsResponse', () => {
    const cases: Array<[number | undefined, string | undefined, string]> = [
      [200, undefined, 'delivered'],
      [410, 'Unregistered', 'unregistered'],
      [410, 'ExpiredToken', 'unregistered'],
      [400, 'BadDeviceToken', 'bad-token'],
      [400, 'DeviceTokenNotForTopic', 'bad-token'],
      [400, 'MissingDeviceToken', 'bad-token'],
      [400, 'BadTopic', 'fatal'],
      [400, 'TopicDisallowed', 'fatal'],
      [400, 'MissingTopic', 'fatal'],
      [400, 'InvalidPushType', 'fatal'],
      [400, 'IdleTimeout', 'retry'],
      [403, 'BadCertificate', 'fatal'],
      [403, 'BadCertificateEnvironment', 'fatal'],
      [404, 'BadPath', 'fatal'],
      [405, 'MethodNotAllowed', 'fatal'],
      [413, 'PayloadTooLarge', 'fatal'],
      [429, 'TooManyRequests', 'retry'],
      [500, 'InternalServerError', 'retry'],
      [503, 'ServiceUnavailable', 'retry'],
      [503, 'Shutdown', 'retry'],
      [undefined, 'socket hang up', 'retry'],
    ];
    for (const [status, reason, expected] of cases) {
      it(`${status ?? 'connection error'} ${reason ?? ''} → ${expected}`, () => {
        assert.equal(classifyApnsResponse(status, reason), expected);
      });
    }
  });
});

describe('isDeviceToken and mdmPayloadJson', () => {
  it('isDeviceToken answers what DEVICE_TOKEN_PATTERN answers', () => {
    const hex = '0123456789abcdefABCDEF';
    const cases = ['', 'ab', 'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(65), 'A'.repeat(66), 'f'.repeat(200), 'f'.repeat(201), 'f'.repeat(202),
      'g'.repeat(64), `${'a'.repeat(63)}-`, `${'a'.repeat(64)}\n`, ` ${'a'.repeat(64)}`];
    for (let n = 60; n <= 206; n++) cases.push(Array.from({ length: n }, (_, i) => hex[(i * 7) % hex.length]).join(''));
    for (const c of cases) assert.equal(isDeviceToken(c), DEVICE_TOKEN_PATTERN.test(c), JSON.stringify(c));
  });
  it('mdmPayloadJson is JSON.stringify(mdmPayload(m))', () => {
    for (const m of ['PM-1', '', 'q"uo\\te', 'ünï\u2028cöde', '\u0000\u001f', '{"mdm":1}']) {
      assert.equal(mdmPayloadJson(m), JSON.stringify(mdmPayload(m)));
    }
  });
});
