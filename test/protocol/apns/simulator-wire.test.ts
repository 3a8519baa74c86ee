// The APNs simulator as a provider sees it, with raw HTTP/2 requests: exact statuses, headers
// and `{"reason":…}` bodies from "Handling notification responses from APNs".
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { apnsTestPki, type ApnsTestPki } from '../../support/apns-certs.js';
import { H2Client } from '../../support/apns-h2.js';
import { startApnsSimulator, type ApnsSimulator } from '../../../src/apns/simulator.js';

const TOKEN = '0123456789abcdef'.repeat(4);
const ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('APNs simulator: POST /3/device/{token}', () => {
  let pki: ApnsTestPki;
  let sim: ApnsSimulator;
  let client: H2Client;
  let fixedNow: Date;

  before(async () => {
    pki = apnsTestPki();
    // Inside the test certificates' validity window, which starts when they were made.
    fixedNow = new Date(Date.parse(new X509Certificate(pki.pushCert.certPem).validFrom) + 3600_000);
    sim = await startApnsSimulator({
      tls: pki.serverTls,
      pushCaPem: pki.pushCa.certPem,
      clock: { now: () => fixedNow },
      newId: () => '00000000-0000-4000-8000-000000000001',
    });
    client = new H2Client(sim.url, pki.serverCa.certPem, pki.pushCert);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });
  afterEach(() => sim.faults.reset());

  const mdmHeaders = (): Record<string, string> => ({
    'apns-push-type': 'mdm',
    'apns-topic': pki.pushCert.topic,
    'apns-priority': '10',
    'apns-expiration': '0',
  });
  const post = (extra: Partial<{ path: string; method: string; headers: Record<string, string>; body: string | Buffer }> = {}) =>
    client.request({ path: `/3/device/${TOKEN}`, headers: mdmHeaders(), body: '{"mdm":"pm"}', ...extra });

  function assertReason(a: { status: number; headers: Record<string, unknown>; body: string }, status: number, reason: string): void {
    assert.equal(a.status, status);
    assert.equal(a.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(a.body), { reason });
  }

  it('answers 200 with an empty body and echoes apns-id', async () => {
    const a = await post({ headers: { ...mdmHeaders(), 'apns-id': ID } });
    assert.equal(a.status, 200);
    assert.equal(a.headers['apns-id'], ID);
    assert.equal(a.body, '');
  });

  it('generates apns-id when the request has none', async () => {
    const a = await post();
    assert.equal(a.status, 200);
    assert.equal(a.headers['apns-id'], '00000000-0000-4000-8000-000000000001');
  });

  it('accepts a request without apns-topic: the certificate has a single topic', async () => {
    const { 'apns-topic': _omit, ...headers } = mdmHeaders();
    assert.equal((await post({ headers })).status, 200);
  });

  it('records the headers it saw', async () => {
    await post({ headers: { ...mdmHeaders(), 'apns-id': ID } });
    const last = sim.recentRequests().at(-1)!;
    assert.equal(last.method, 'POST');
    assert.equal(last.path, `/3/device/${TOKEN}`);
    assert.equal(last.headers['apns-push-type'], 'mdm');
    assert.equal(last.headers['apns-topic'], pki.pushCert.topic);
    assert.equal(last.status, 200);
  });

  it('404 BadPath for a path outside /3/device/', async () => {
    assertReason(await post({ path: '/2/device/' + TOKEN }), 404, 'BadPath');
  });

  it('405 MethodNotAllowed for GET', async () => {
    assertReason(await post({ method: 'GET', body: '' }), 405, 'MethodNotAllowed');
  });

  it('400 BadDeviceToken for a token that is not hex', async () => {
    assertReason(await post({ path: '/3/device/' + 'zz'.repeat(32) }), 400, 'BadDeviceToken');
  });

  it('400 MissingDeviceToken for an empty token', async () => {
    assertReason(await post({ path: '/3/device/' }), 400, 'MissingDeviceToken');
  });

  it('413 PayloadTooLarge above 4096 bytes, 200 at exactly 4096', async () => {
    const fill = (n: number) => `{"mdm":"${'x'.repeat(n - 10)}"}`;
    assert.equal(Buffer.byteLength(fill(4096)), 4096);
    assert.equal((await post({ body: fill(4096) })).status, 200);
    assertReason(await post({ body: fill(4097) }), 413, 'PayloadTooLarge');
  });

  it('400 PayloadEmpty for an empty body', async () => {
    assertReason(await post({ body: '' }), 400, 'PayloadEmpty');
  });

  it('400 InvalidPushType for an unknown apns-push-type', async () => {
    assertReason(await post({ headers: { ...mdmHeaders(), 'apns-push-type': 'mdmx' } }), 400, 'InvalidPushType');
  });

  it('400 BadTopic for a topic the certificate does not hold', async () => {
    assertReason(await post({ headers: { ...mdmHeaders(), 'apns-topic': 'com.apple.mgmt.External.other' } }), 400, 'BadTopic');
  });

  it('400 BadPriority, BadExpirationDate, BadMessageId, BadCollapseId for malformed headers', async () => {
    assertReason(await post({ headers: { ...mdmHeaders(), 'apns-priority': '7' } }), 400, 'BadPriority');
    assertReason(await post({ headers: { ...mdmHeaders(), 'apns-expiration': 'tomorrow' } }), 400, 'BadExpirationDate');
    assertReason(await post({ headers: { ...mdmHeaders(), 'apns-id': 'not-a-uuid' } }), 400, 'BadMessageId');
    assertReason(await post({ headers: { ...mdmHeaders(), 'apns-collapse-id': 'c'.repeat(65) } }), 400, 'BadCollapseId');
  });

  it('400 DuplicateHeaders when an apns-* header is repeated', async () => {
    const headers = { ...mdmHeaders(), 'apns-priority': ['10', '5'] as unknown as string };
    assertReason(await post({ headers }), 400, 'DuplicateHeaders');
  });

  it('410 Unregistered with the timestamp in ms for a token marked unregistered', async () => {
    const dead = 'dead'.repeat(16);
    const at = new Date(fixedNow.getTime() - 86_400_000);
    sim.markUnregistered(dead, at);
    const a = await post({ path: `/3/device/${dead}` });
    assert.equal(a.status, 410);
    assert.deepEqual(JSON.parse(a.body), { reason: 'Unregistered', timestamp: at.getTime() });
  });

  it('400 DeviceTokenNotForTopic for a token a device registered under another topic', async () => {
    const other = 'beef'.repeat(16);
    sim.devices.connect(other, 'com.apple.mgmt.External.someone-else', { send: () => undefined, unregister: () => undefined, hangUp: () => undefined });
    assertReason(await post({ path: `/3/device/${other}` }), 400, 'DeviceTokenNotForTopic');
  });

  it('answers forced faults with their status and reason', async () => {
    sim.faults.forceNext(1, { status: 429, reason: 'TooManyRequests' });
    assertReason(await post(), 429, 'TooManyRequests');
    assert.equal((await post()).status, 200);
  });

  it('counts accepted and rejected requests by reason', () => {
    const c = sim.counters();
    assert.ok(c.accepted > 0);
    assert.equal(c.rejected.BadPath, 1);
    assert.equal(c.rejected.TooManyRequests, 1);
  });
});

describe('APNs simulator: the provider certificate', () => {
  let pki: ApnsTestPki;
  let sim: ApnsSimulator;
  before(async () => {
    pki = apnsTestPki();
    sim = await startApnsSimulator({ tls: pki.serverTls, pushCaPem: pki.pushCa.certPem });
  });
  after(() => sim.close());

  async function pushWith(cert: ApnsTestPki['pushCert'] | undefined) {
    const client = new H2Client(sim.url, pki.serverCa.certPem, cert);
    try {
      return await client.request({ path: `/3/device/${TOKEN}`, headers: { 'apns-push-type': 'mdm' }, body: '{"mdm":"pm"}' });
    } finally {
      await client.close();
    }
  }

  it('403 BadCertificate for a certificate from another CA', async () => {
    const a = await pushWith(pki.foreignPushCert);
    assert.equal(a.status, 403);
    assert.deepEqual(JSON.parse(a.body), { reason: 'BadCertificate' });
  });

  it('403 BadCertificateEnvironment for a development-only certificate on production', async () => {
    const a = await pushWith(pki.sandboxPushCert);
    assert.equal(a.status, 403);
    assert.deepEqual(JSON.parse(a.body), { reason: 'BadCertificateEnvironment' });
  });

  it('403 MissingProviderToken without any certificate', async () => {
    const a = await pushWith(undefined);
    assert.equal(a.status, 403);
    assert.deepEqual(JSON.parse(a.body), { reason: 'MissingProviderToken' });
  });
});
