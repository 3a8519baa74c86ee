import assert from 'node:assert/strict';
import { DeviceRegistry, type DevicePush, type DeviceSink } from '../../../src/apns/device-registry.js';

const T = 'AB'.repeat(32);
const TOPIC = 'com.apple.mgmt.External.x';
const push = (n: number): DevicePush => ({ apnsId: `id-${n}`, topic: TOPIC, payload: `{"mdm":"${n}"}` });

function sink() {
  const got: DevicePush[] = [];
  const events: string[] = [];
  const s: DeviceSink = { send: (p) => got.push(p), unregister: (ts) => events.push(`unregistered ${ts}`), hangUp: () => events.push('hang-up') };
  return { s, got, events };
}

describe('DeviceRegistry', () => {
  let now: Date;
  let reg: DeviceRegistry;
  beforeEach(() => {
    now = new Date('2026-05-01T00:00:00Z');
    reg = new DeviceRegistry(() => now);
  });

  it('keeps only the latest push for an offline token and hands it over on connect', () => {
    assert.equal(reg.deliver(T, push(1), undefined), 'stored');
    assert.equal(reg.deliver(T, push(2), undefined), 'stored');
    const d = sink();
    reg.connect(T.toLowerCase(), TOPIC, d.s);
    assert.deepEqual(d.got, [push(2)]);
    assert.equal(reg.storedFor(T), undefined);
    assert.equal(reg.delivered, 1);
  });

  it('delivers at once to an online device', () => {
    const d = sink();
    reg.connect(T, TOPIC, d.s);
    assert.equal(reg.deliver(T, push(3), undefined), 'delivered');
    assert.deepEqual(d.got, [push(3)]);
  });

  it('does not store a push with expiration 0, and discards an expired one', () => {
    assert.equal(reg.deliver(T, push(1), 0), 'dropped');
    assert.equal(reg.deliver(T, push(2), now.getTime() / 1000 + 60), 'stored');
    now = new Date(now.getTime() + 61_000);
    const d = sink();
    reg.connect(T, TOPIC, d.s);
    assert.deepEqual(d.got, []);
  });

  it('does not hand a push for another topic to the device', () => {
    reg.deliver(T, push(1), undefined);
    const d = sink();
    reg.connect(T, 'com.apple.mgmt.External.other', d.s);
    assert.deepEqual(d.got, []);
    assert.equal(reg.topicOf(T), 'com.apple.mgmt.External.other');
  });

  it('marks a token unregistered: drops the stored push, tells the device, refuses it later', () => {
    const d = sink();
    reg.connect(T, TOPIC, d.s);
    reg.markUnregistered(T, new Date(5000));
    assert.deepEqual(d.events, ['unregistered 5000']);
    assert.equal(reg.unregisteredAt(T), 5000);
    assert.deepEqual(reg.connect(T, TOPIC, sink().s), { unregisteredAt: 5000 });
    reg.clearUnregistered(T);
    assert.equal(reg.connect(T, TOPIC, sink().s), undefined);
  });

  it('replaces an older channel for the same token and ignores its late disconnect', () => {
    const a = sink();
    const b = sink();
    reg.connect(T, TOPIC, a.s);
    reg.connect(T, TOPIC, b.s);
    reg.disconnect(T, a.s);
    assert.equal(reg.isOnline(T), true);
    reg.deliver(T, push(1), undefined);
    assert.deepEqual([a.got.length, b.got.length], [0, 1]);
  });

  it('drops a device off its channel on request', () => {
    const d = sink();
    reg.connect(T, TOPIC, d.s);
    assert.equal(reg.dropDevice(T), true);
    assert.deepEqual(d.events, ['hang-up']);
    assert.equal(reg.deliver(T, push(1), undefined), 'stored');
  });
});
