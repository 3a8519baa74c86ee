import assert from 'node:assert/strict';
import { checkPlatform, compareVersions } from '../../../src/business/content/platforms.js';
import { fromMinor, toMinor } from '../../../src/business/content/money.js';

describe('content: platform rules', () => {
  const universal = { platforms: ['iOS', 'macOS'], iosDevices: ['iPhone', 'iPad'], minOs: { iOS: '15.0' } };
  const ipadOnly = { platforms: ['iOS'], iosDevices: ['iPad'], minOs: {} };
  const iphoneOnly = { platforms: ['iOS'], iosDevices: ['iPhone'], minOs: {} };

  it('compares dotted versions numerically', () => {
    assert.equal(compareVersions('10.11', '10.9'), 1);
    assert.equal(compareVersions('17', '17.0.0'), 0);
    assert.equal(compareVersions('9.3', '10.2'), -1);
  });
  it('accepts supported platforms and refuses the others', () => {
    assert.equal(checkPlatform(universal, { family: 'iPhone', osVersion: '17.0' }), undefined);
    assert.equal(checkPlatform(universal, { family: 'Mac', osVersion: '14.0' }), undefined);
    assert.equal(checkPlatform(universal, { family: 'AppleTV', osVersion: '17.0' }), 'platform_not_supported');
  });
  it('refuses an iPad-only app on an iPhone; an iPhone app runs on an iPad', () => {
    assert.equal(checkPlatform(ipadOnly, { family: 'iPhone', osVersion: '17.0' }), 'device_family_not_supported');
    assert.equal(checkPlatform(iphoneOnly, { family: 'iPad', osVersion: '17.0' }), undefined);
  });
  it('applies the app minimum and the device-licence minimum (iOS 9, macOS 10.11, tvOS 10.2)', () => {
    assert.equal(checkPlatform(universal, { family: 'iPad', osVersion: '14.8' }), 'os_too_old');
    const any = { platforms: ['iOS', 'macOS', 'tvOS'], iosDevices: [], minOs: {} };
    assert.equal(checkPlatform(any, { family: 'iPhone', osVersion: '8.4' }), 'os_too_old');
    assert.equal(checkPlatform(any, { family: 'Mac', osVersion: '10.10' }), 'os_too_old');
    assert.equal(checkPlatform(any, { family: 'Mac', osVersion: '10.11' }), undefined);
    assert.equal(checkPlatform(any, { family: 'AppleTV', osVersion: '10.1' }), 'os_too_old');
  });
});

describe('content: money in minor units', () => {
  it('converts with the currency\'s digits', () => {
    assert.equal(toMinor('9.99', 'USD'), 999);
    assert.equal(toMinor('10', 'EUR'), 1000);
    assert.equal(toMinor('160', 'JPY'), 160);
    assert.equal(fromMinor(2997, 'USD'), '29.97');
    assert.equal(fromMinor(5, 'GBP'), '0.05');
    assert.equal(fromMinor(1600, 'JPY'), '1600');
  });
  it('refuses malformed amounts and extra decimals', () => {
    assert.throws(() => toMinor('1.999', 'USD'), /not an amount/);
    assert.throws(() => toMinor('1.5', 'JPY'), /not an amount/);
    assert.throws(() => toMinor('-1', 'USD'), /not an amount/);
  });
});
