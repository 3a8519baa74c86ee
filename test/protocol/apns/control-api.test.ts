// The APNs simulator's plain-HTTP side: the device channel's wire form and the control API.
import assert from 'node:assert/strict';
import http from 'node:http';
import { apnsTestPki, type ApnsTestPki } from '../../support/apns-certs.js';
import { H2Client } from '../../support/apns-h2.js';
import { startApnsSimulator, type ApnsSimulator } from '../../../src/apns/simulator.js';
import { connectDeviceChannel } from '../../../src/apns/device-channel.js';

const TOKEN = 'c0ffee00'.repeat(8);

function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Reads a device stream's raw text until `until` matches, then hangs up. */
function readStream(base: string, path: string, until: RegExp): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), (res) => {
      let text = '';
      res.setEncoding('utf8');
      const done = () => {
        req.destroy();
        resolve({ status: res.statusCode!, type: res.headers['content-type'], text });
      };
      res.on('data', (c: string) => {
        text += c;
        if (until.test(text)) done();
      });
      res.on('end', done);
    });
    req.on('error', reject);
  });
}

describe('APNs simulator: device channel and control API', () => {
  let pki: ApnsTestPki;
  let sim: ApnsSimulator;
  let h2: H2Client;
  const push = (body: string, headers: Record<string, string> = {}) =>
    h2.request({ path: `/3/device/${TOKEN}`, headers: { 'apns-push-type': 'mdm', ...headers }, body });

  before(async () => {
    pki = apnsTestPki();
    sim = await startApnsSimulator({ tls: pki.serverTls, pushCaPem: pki.pushCa.certPem });
    h2 = new H2Client(sim.url, pki.serverCa.certPem, pki.pushCert);
  });
  after(async () => {
    await h2.close();
    await sim.close();
  });

  it('delivers a stored push as one server-sent event on connect', async () => {
    const id = '6e1f2b3c-0000-4000-8000-00000000abcd';
    assert.equal((await push('{"mdm":"stored"}', { 'apns-id': id })).status, 200);
    const topic = encodeURIComponent(pki.pushCert.topic);
    const s = await readStream(sim.deviceUrl, `/devices/${TOKEN}/stream?topic=${topic}`, /\n\n[^]*\n\n/);
    assert.equal(s.status, 200);
    assert.equal(s.type, 'text/event-stream');
    assert.equal(s.text, `: connected\n\nevent: push\nid: ${id}\ndata: {"mdm":"stored"}\n\n`);
  });

  it('a push with apns-expiration 0 is not stored for an offline device', async () => {
    const other = 'ab'.repeat(32);
    await h2.request({ path: `/3/device/${other}`, headers: { 'apns-expiration': '0' }, body: '{"mdm":"x"}' });
    assert.equal(sim.devices.storedFor(other), undefined);
  });

  it('refuses a stream for a dead token with 410 and its timestamp', async () => {
    assert.equal((await call(sim.deviceUrl, 'POST', '/control/unregister', { token: 'dd'.repeat(32), timestamp: 1700000000000 })).status, 204);
    const r = await call(sim.deviceUrl, 'GET', `/devices/${'dd'.repeat(32)}/stream?topic=t`);
    assert.equal(r.status, 410);
    assert.deepEqual(JSON.parse(r.text), { reason: 'Unregistered', timestamp: 1700000000000 });
  });

  it('stops a device channel whose token is marked unregistered while connected', async () => {
    const tok = 'ee'.repeat(32);
    let stoppedAt: number | undefined;
    const stopped = new Promise<void>((resolve) => {
      const ch = connectDeviceChannel({
        url: sim.deviceUrl, token: tok, topic: pki.pushCert.topic, onPush: () => undefined,
        onUnregistered: (ts) => {
          stoppedAt = ts;
          resolve();
        },
      });
      void ch.ready.then(() => sim.markUnregistered(tok, new Date(1234)));
    });
    await stopped;
    assert.equal(stoppedAt, 1234);
  });

  it('reconnects a device channel after the simulator drops it', async () => {
    const tok = 'ef'.repeat(32);
    const got: string[] = [];
    let resolveGot!: () => void;
    const gotOne = new Promise<void>((r) => (resolveGot = r));
    const ch = connectDeviceChannel({
      url: sim.deviceUrl, token: tok, topic: pki.pushCert.topic, reconnectMs: 5,
      onPush: (_p, meta) => {
        got.push(meta.raw);
        resolveGot();
      },
    });
    await ch.ready;
    // Knock the device offline the way a network change would; it comes back on its own and
    // then receives the push that was held meanwhile.
    assert.equal((await call(sim.deviceUrl, 'POST', '/control/disconnect', { token: tok })).status, 204);
    assert.equal(sim.devices.isOnline(tok), false);
    await h2.request({ path: `/3/device/${tok}`, body: '{"mdm":"after"}' });
    await gotOne;
    ch.close();
    assert.deepEqual(got, ['{"mdm":"after"}']);
  });

  it('sets fault rates, forces answers and reports counters over HTTP', async () => {
    assert.equal((await call(sim.deviceUrl, 'PUT', '/control/faults', { tooManyRequests: 0.25, serviceUnavailable: 0.5 })).status, 204);
    assert.deepEqual(JSON.parse((await call(sim.deviceUrl, 'GET', '/control/faults')).text), {
      tooManyRequests: 0.25, internalServerError: 0, serviceUnavailable: 0.5,
    });
    assert.equal((await call(sim.deviceUrl, 'PUT', '/control/faults', { tooManyRequests: 2 })).status, 400);
    assert.equal((await call(sim.deviceUrl, 'POST', '/control/reset')).status, 204);

    assert.equal((await call(sim.deviceUrl, 'POST', '/control/force', { count: 1, status: 500, reason: 'InternalServerError' })).status, 204);
    const forced = await push('{"mdm":"f"}');
    assert.equal(forced.status, 500);
    assert.deepEqual(JSON.parse(forced.body), { reason: 'InternalServerError' });

    const counters = await call(sim.deviceUrl, 'GET', '/control/counters');
    assert.equal(counters.type, 'application/json');
    const c = JSON.parse(counters.text) as { accepted: number; rejected: Record<string, number>; delivered: number };
    assert.equal(c.rejected.InternalServerError, 1);
    assert.ok(c.accepted >= 2);
    assert.ok(c.delivered >= 1);
  });

  it('describes a device', async () => {
    const r = await call(sim.deviceUrl, 'GET', `/control/devices/${'dd'.repeat(32)}`);
    assert.deepEqual(JSON.parse(r.text), { topic: null, online: false, unregisteredAt: 1700000000000, stored: null });
  });
});
