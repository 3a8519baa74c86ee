import assert from 'node:assert/strict';
import { classifyApnsResponse, devicePath, REASON_STATUS } from '../../../src/apns/wire.js';

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
