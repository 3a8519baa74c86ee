// The push sender (through @parse/node-apn) against the APNs simulator, with simulated devices
// on the device channel: what reaches the device, what the provider reports, how it retries.
import assert from 'node:assert/strict';
import { apnsTestPki, type ApnsTestPki, type PushCertificate } from '../../support/apns-certs.js';
import { startApnsSimulator, type ApnsSimulator } from '../../../src/apns/simulator.js';
import { createPushSender, type PushSender, type PushSenderOptions } from '../../../src/apns/sender.js';
import { connectDeviceChannel, type DeviceChannel } from '../../../src/apns/device-channel.js';

const token = (n: number): string => n.toString(16).padStart(64, '0');

describe('push sender → APNs simulator → device channel', () => {
  let pki: ApnsTestPki;
  let sim: ApnsSimulator;
  const senders: PushSender[] = [];
  const channels: DeviceChannel[] = [];

  before(async () => {
    pki = apnsTestPki();
    sim = await startApnsSimulator({ tls: pki.serverTls, pushCaPem: pki.pushCa.certPem });
  });
  afterEach(async () => {
    sim.faults.reset();
    for (const c of channels.splice(0)) c.close();
    await Promise.all(senders.splice(0).map((s) => s.shutdown()));
  });
  after(() => sim.close());

  function sender(cert: PushCertificate = pki.pushCert, extra: Partial<PushSenderOptions> = {}): PushSender {
    const s = createPushSender({
      certPem: cert.certPem,
      keyPem: cert.keyPem,
      topic: cert.topic,
      production: true,
      address: '127.0.0.1',
      port: sim.port,
      caPem: pki.serverCa.certPem,
      random: () => 0.5,
      retry: { attempts: 4, baseMs: 2, maxMs: 10 },
      ...extra,
    });
    senders.push(s);
    return s;
  }

  /** A device on the channel; resolves each received push's exact payload text. */
  async function device(tok: string, topic = pki.pushCert.topic) {
    const received: string[] = [];
    const waiters: Array<() => void> = [];
    const ch = connectDeviceChannel({
      url: sim.deviceUrl,
      token: tok,
      topic,
      onPush: (_payload, meta) => {
        received.push(meta.raw);
        waiters.shift()?.();
      },
    });
    channels.push(ch);
    await ch.ready;
    const next = async (): Promise<string> => {
      if (received.length === 0) await new Promise<void>((r) => waiters.push(r));
      return received.shift()!;
    };
    return { ch, next, received };
  }

  it('delivers exactly {"mdm":"<PushMagic>"} to the connected device', async () => {
    const d = await device(token(1));
    const [out] = await sender().send([{ token: token(1), pushMagic: 'PM-1' }]);
    assert.equal(out!.status, 'delivered');
    assert.equal(out!.httpStatus, 200);
    assert.equal(out!.attempts, 1);
    assert.match(out!.apnsId!, /^[0-9a-f-]{36}$/);
    assert.equal(await d.next(), '{"mdm":"PM-1"}');
  });

  it('spreads pushes round robin over `connections` HTTP/2 connections', async () => {
    const before = sim.counters().connections;
    const targets = Array.from({ length: 9 }, (_, i) => ({ token: token(100 + i), pushMagic: `PM-${i}` }));
    const outs = await sender(pki.pushCert, { connections: 3 }).send(targets);
    assert.deepEqual(outs.map((o) => o.status), targets.map(() => 'delivered'));
    assert.equal(sim.counters().connections - before, 3);
    assert.equal(sim.devices.storedFor(token(104))?.payload, '{"mdm":"PM-4"}');
  });

  it('sends apns-push-type mdm, the topic, priority 10 and an expiration', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    await sender(pki.pushCert, { clock: { now: () => now }, expiresInSeconds: 3600 }).send([{ token: token(2), pushMagic: 'PM-2' }]);
    const seen = sim.recentRequests().at(-1)!;
    assert.equal(seen.path, `/3/device/${token(2)}`);
    assert.equal(seen.headers['apns-push-type'], 'mdm');
    assert.equal(seen.headers['apns-topic'], pki.pushCert.topic);
    assert.equal(seen.headers['apns-priority'], '10');
    assert.equal(seen.headers['apns-expiration'], String(Date.parse('2030-01-01T01:00:00Z') / 1000));
  });

  it('keeps only the latest push for an offline device and delivers it on connect', async () => {
    const s = sender();
    await s.send([{ token: token(3), pushMagic: 'first' }]);
    await s.send([{ token: token(3), pushMagic: 'second' }]);
    const d = await device(token(3));
    assert.equal(await d.next(), '{"mdm":"second"}');
    assert.deepEqual(d.received, []);
    assert.equal(sim.devices.storedFor(token(3)), undefined);
  });

  it('reports 410 Unregistered with its timestamp as unregistered, without retrying', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    sim.markUnregistered(token(4), at);
    const [out] = await sender().send([{ token: token(4), pushMagic: 'PM' }]);
    assert.deepEqual({ ...out, apnsId: undefined }, {
      token: token(4), status: 'unregistered', httpStatus: 410, reason: 'Unregistered', attempts: 1,
      unregisteredAt: at, apnsId: undefined,
    });
  });

  it('retries injected 429 and 503 answers, then delivers', async () => {
    sim.faults.forceNext(1, { status: 429, reason: 'TooManyRequests' });
    sim.faults.forceNext(1, { status: 503, reason: 'ServiceUnavailable' });
    const d = await device(token(5));
    const [out] = await sender().send([{ token: token(5), pushMagic: 'PM-5' }]);
    assert.equal(out!.status, 'delivered');
    assert.equal(out!.attempts, 3);
    assert.equal(await d.next(), '{"mdm":"PM-5"}');
  });

  it('retries after the connection is dropped, on a new connection', async () => {
    sim.faults.dropNext(1);
    const [out] = await sender().send([{ token: token(6), pushMagic: 'PM-6' }]);
    assert.equal(out!.status, 'delivered');
    assert.ok(out!.attempts > 1);
  });

  it('gives up as failed when the retries run out', async () => {
    sim.faults.forceNext(4, { status: 500, reason: 'InternalServerError' });
    const [out] = await sender().send([{ token: token(7), pushMagic: 'PM' }]);
    assert.deepEqual({ ...out, apnsId: undefined }, {
      token: token(7), status: 'failed', httpStatus: 500, reason: 'InternalServerError', attempts: 4, apnsId: undefined,
    });
  });

  it('reports a wrong topic (400 BadTopic) as fatal, without retrying', async () => {
    const wrong = { ...pki.pushCert, topic: 'com.apple.mgmt.External.not-mine' };
    const [out] = await sender(wrong).send([{ token: token(8), pushMagic: 'PM' }]);
    assert.equal(out!.status, 'fatal');
    assert.equal(out!.httpStatus, 400);
    assert.equal(out!.reason, 'BadTopic');
    assert.equal(out!.attempts, 1);
  });

  it('reports a token registered under another topic (400 DeviceTokenNotForTopic) as bad-token', async () => {
    await device(token(9), 'com.apple.mgmt.External.another-server');
    const [out] = await sender().send([{ token: token(9), pushMagic: 'PM' }]);
    assert.equal(out!.status, 'bad-token');
    assert.equal(out!.reason, 'DeviceTokenNotForTopic');
  });

  it('stops a batch at 403 BadCertificate: the rest are not sent', async () => {
    const s = sender(pki.foreignPushCert, { concurrency: 1 });
    const outs = await s.send([10, 11, 12].map((n) => ({ token: token(n), pushMagic: 'PM' })));
    assert.deepEqual(outs.map((o) => [o.status, o.httpStatus, o.reason, o.attempts]), [
      ['fatal', 403, 'BadCertificate', 1],
      ['fatal', 403, 'BadCertificate', 0],
      ['fatal', 403, 'BadCertificate', 0],
    ]);
  });

  it('returns outcomes in the order of the targets for a concurrent batch', async () => {
    sim.markUnregistered(token(21), new Date(0));
    const targets = [20, 21, 22].map((n) => ({ token: token(n), pushMagic: `PM-${n}` }));
    const outs = await sender().send(targets);
    assert.deepEqual(outs.map((o) => [o.token, o.status]), [
      [token(20), 'delivered'], [token(21), 'unregistered'], [token(22), 'delivered'],
    ]);
  });
});
