// The APNs simulator's multiplexed device channel: one server-sent-events stream for many
// tokens (POST /devices/streams), each event naming its token, with the per-token semantics of
// the single-device channel (stored push on connect, coalescing, unregistered tokens).
import assert from 'node:assert/strict';
import http from 'node:http';
import { apnsTestPki, type ApnsTestPki } from '../../support/apns-certs.js';
import { H2Client } from '../../support/apns-h2.js';
import { startApnsSimulator, type ApnsSimulator } from '../../../src/apns/simulator.js';
import { connectDeviceStreams } from '../../../src/apns/device-streams.js';

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);
const C = 'c3'.repeat(32);
const DEAD = 'd4'.repeat(32);

/** Opens a multiplexed stream and collects its raw text; `wait(re)` resolves once the text matches. */
function openStreams(base: string, body: unknown) {
  let text = '';
  let status = 0;
  let type: string | undefined;
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  const check = () => {
    for (let i = 0; i < waiters.length; i++) if (waiters[i]!.re.test(text)) waiters.splice(i--, 1)[0]!.resolve();
  };
  let req!: http.ClientRequest;
  const opened = new Promise<void>((resolve, reject) => {
    const json = JSON.stringify(body);
    req = http.request(new URL('/devices/streams', base), { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      status = res.statusCode!;
      type = res.headers['content-type'];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        check();
      });
      resolve();
    });
    req.on('error', reject);
    req.end(json);
  });
  return {
    opened,
    get status() { return status; },
    get type() { return type; },
    get text() { return text; },
    wait: (re: RegExp) => new Promise<void>((resolve) => { waiters.push({ re, resolve }); check(); }),
    close: () => req.destroy(),
  };
}

describe('APNs simulator: multiplexed device channel (POST /devices/streams)', () => {
  let pki: ApnsTestPki;
  let sim: ApnsSimulator;
  let h2: H2Client;
  let topic: string;
  const push = (token: string, body: string, id: string) =>
    h2.request({ path: `/3/device/${token}`, headers: { 'apns-push-type': 'mdm', 'apns-id': id }, body });
  const id = (n: number) => `6e1f2b3c-0000-4000-8000-${String(n).padStart(12, '0')}`;

  before(async () => {
    pki = apnsTestPki();
    sim = await startApnsSimulator({ tls: pki.serverTls, pushCaPem: pki.pushCa.certPem });
    h2 = new H2Client(sim.url, pki.serverCa.certPem, pki.pushCert);
    topic = pki.pushCert.topic;
  });
  after(async () => {
    await h2.close();
    await sim.close();
  });

  it('delivers the stored (latest) push of each token on connect, then live pushes for several tokens, each naming its token', async () => {
    // Offline: A gets two pushes (APNs keeps only the latest), B one.
    assert.equal((await push(A, '{"mdm":"a-old"}', id(1))).status, 200);
    assert.equal((await push(A, '{"mdm":"a-new"}', id(2))).status, 200);
    assert.equal((await push(B, '{"mdm":"b"}', id(3))).status, 200);
    const s = openStreams(sim.deviceUrl, { devices: [{ token: A, topic }, { token: B.toUpperCase(), topic }, { token: C, topic }] });
    await s.opened;
    await s.wait(/"b"\}\}\n\n/);
    assert.equal(s.status, 200);
    assert.equal(s.type, 'text/event-stream');
    assert.equal(s.text,
      ': connected 3\n\n' +
      `event: push\nid: ${id(2)}\ndata: {"token":"${A}","payload":{"mdm":"a-new"}}\n\n` +
      `event: push\nid: ${id(3)}\ndata: {"token":"${B}","payload":{"mdm":"b"}}\n\n`);
    assert.ok(sim.devices.isOnline(A) && sim.devices.isOnline(B) && sim.devices.isOnline(C));
    assert.equal(sim.devices.topicOf(C), topic);

    const before = s.text.length;
    assert.equal((await push(C, '{"mdm":"c"}', id(4))).status, 200);
    assert.equal((await push(A, '{"mdm":"a2"}', id(5))).status, 200);
    await s.wait(/"a2"\}\}\n\n/);
    assert.equal(s.text.slice(before),
      `event: push\nid: ${id(4)}\ndata: {"token":"${C}","payload":{"mdm":"c"}}\n\n` +
      `event: push\nid: ${id(5)}\ndata: {"token":"${A}","payload":{"mdm":"a2"}}\n\n`);
    s.close();
    while (sim.devices.isOnline(A)) await new Promise((r) => setImmediate(r));
    // Offline again: the next push is stored, as for a single device's channel.
    assert.equal((await push(A, '{"mdm":"later"}', id(6))).status, 200);
    assert.deepEqual(sim.devices.storedFor(A), { apnsId: id(6), topic, payload: '{"mdm":"later"}' });
  });

  it('names an unregistered token in an event, at open and while connected, and keeps the others', async () => {
    sim.markUnregistered(DEAD, new Date(1700000000000));
    const other = 'e5'.repeat(32);
    const s = openStreams(sim.deviceUrl, { devices: [{ token: DEAD, topic }, { token: other, topic }] });
    await s.opened;
    await s.wait(/\n\n[^]*\n\n/);
    assert.equal(s.text, `: connected 1\n\nevent: unregistered\ndata: {"token":"${DEAD}","timestamp":1700000000000}\n\n`);
    assert.equal((await push(DEAD, '{"mdm":"x"}', id(7))).status, 410);

    sim.markUnregistered(other, new Date(1700000000001));
    await s.wait(/1700000000001\}\n\n/);
    assert.ok(s.text.endsWith(`event: unregistered\ndata: {"token":"${other}","timestamp":1700000000001}\n\n`));
    assert.equal(sim.devices.isOnline(other), false);
    s.close();
  });

  it('refuses a body without devices, a bad token or a token named twice', async () => {
    for (const body of [{}, { devices: [] }, { devices: [{ token: 'zz', topic }] }, { devices: [{ token: A }] }, { devices: [{ token: A, topic }, { token: A, topic }] }]) {
      const s = openStreams(sim.deviceUrl, body);
      await s.opened;
      assert.equal(s.status, 400, JSON.stringify(body));
      s.close();
    }
  });

  it('the client gets each push with its token and reconnects every device after a drop', async () => {
    const tokens = ['f1', 'f2', 'f3'].map((x) => x.repeat(32));
    const got: Array<[string, unknown]> = [];
    let wake!: () => void;
    let want = 0;
    const enough = () => new Promise<void>((r) => { wake = r; if (got.length >= want) r(); });
    const streams = connectDeviceStreams({
      url: sim.deviceUrl, devices: tokens.map((token) => ({ token, topic })), reconnectMs: 5,
      onPush: (token, payload) => {
        got.push([token, payload]);
        if (got.length >= want) wake?.();
      },
    });
    await streams.ready;
    want = 2;
    const two = enough();
    await push(tokens[0]!, '{"mdm":"one"}', id(8));
    await push(tokens[2]!, '{"mdm":"three"}', id(9));
    await two;
    // Dropping one device drops the shared stream; all come back, and the push held meanwhile arrives.
    const r = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL('/control/disconnect', sim.deviceUrl), { method: 'POST' }, (res) => { res.resume(); resolve(res.statusCode!); });
      req.on('error', reject);
      req.end(JSON.stringify({ token: tokens[1] }));
    });
    assert.equal(r, 204);
    want = 3;
    const three = enough();
    await push(tokens[1]!, '{"mdm":"two"}', id(10));
    await three;
    streams.close();
    assert.deepEqual(got, [[tokens[0], { mdm: 'one' }], [tokens[2], { mdm: 'three' }], [tokens[1], { mdm: 'two' }]]);
  });
});
