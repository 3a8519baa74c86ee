// Issue 17, finding 7: limits that bound memory, proved at the wire on a real loopback server.
// Bytes the server actually read are counted per socket (countingServer), never time: a body
// refused before it is read leaves the server having read its headers and at most a few
// socket buffers, not the megabytes the client meant to send.
import assert from 'node:assert/strict';
import request from 'supertest';
import { loadConfig, type Limits } from '../../src/config.js';
import type { BodyBudget } from '../../src/http/body-budget.js';
import { serverOptions } from '../../src/http/server-options.js';
import { buildTestOrchard, type TestOrchard } from '../support/harness.js';
import { bodyOf, countingServer, headerOf, rawRequest, statusOf, type CountingServer } from './wire-client.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** At most this much of a refused body may be read: the kernel's socket buffers, not the body. */
const READ_BOUND = 512 * KiB;

const DEFAULTS: Limits = loadConfig({}).limits;

async function serve(limits: Partial<Limits>): Promise<{ t: TestOrchard; server: CountingServer; budget: BodyBudget }> {
  const t = await buildTestOrchard({ limits: { ...DEFAULTS, ...limits } });
  const server = await countingServer(t.handler, serverOptions(t.deps.config.limits));
  return { t, server, budget: t.budget };
}

const put = (path: string, headers: Record<string, string | number>) =>
  [`PUT ${path} HTTP/1.1`, 'Host: localhost', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');

describe('limits that bound memory (issue 17, finding 7)', () => {
  let s: Awaited<ReturnType<typeof serve>> | undefined;
  afterEach(async () => {
    await s?.server.close();
    s = undefined;
  });

  it('refuses an unsigned 3.9 MB MDM body with 401 before reading it, and closes the connection', async () => {
    s = await serve({});
    const declared = 3_900_000;
    const before = s.server.bytesRead();
    const r = await rawRequest(s.server.port, put('/mdm/connect', { 'Content-Type': 'application/x-apple-aspen-mdm', 'Content-Length': declared }), { bodyBytes: declared });
    assert.equal(statusOf(r), 401);
    assert.equal(bodyOf(r), 'Mdm-Signature header required\n');
    assert.equal(headerOf(r, 'Connection'), 'close');
    assert.equal(r.closed, true);
    const read = s.server.bytesRead() - before;
    assert.ok(read < READ_BOUND, `the server read ${read} bytes of a refused ${declared}-byte body`);
    assert.equal(s.budget.stats().inflight, 0);
  });

  it('refuses a malformed Mdm-Signature (not a DER SignedData) before the body, on the fast path and through Express alike', async () => {
    s = await serve({});
    const r = await rawRequest(s.server.port, put('/mdm/checkin', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': 'QUFBQQ==', 'Content-Length': 200_000 }), { bodyBytes: 200_000 });
    assert.equal(statusOf(r), 401);
    assert.equal(bodyOf(r), 'Mdm-Signature is not a CMS SignedData\n');
    const viaExpress = await request(s.t.app).put('/mdm/checkin').set('Content-Type', 'application/x-apple-aspen-mdm-checkin').set('Mdm-Signature', 'QUFBQQ==').send(Buffer.alloc(1000, 0x20));
    assert.deepEqual([viaExpress.status, viaExpress.text], [401, 'Mdm-Signature is not a CMS SignedData\n']);
  });

  it('refuses a check-in whose declared size is over the check-in limit with 413, from its Content-Length alone', async () => {
    s = await serve({ body: { ...DEFAULTS.body, mdmCheckin: 64 * KiB } });
    const before = s.server.bytesRead();
    const r = await rawRequest(s.server.port, put('/mdm/checkin', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': 'MIIB', 'Content-Length': 3 * MiB }), { bodyBytes: 3 * MiB });
    assert.equal(statusOf(r), 413);
    assert.equal(bodyOf(r), 'body too large\n');
    assert.ok(s.server.bytesRead() - before < READ_BOUND);
  });

  it('answers an oversized admin body in the admin API shape (413 body_too_large) without reading it', async () => {
    s = await serve({});
    const declared = 8 * MiB;
    const head = [`PATCH /api/v1/organisation HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${s.t.adminToken}`, 'Content-Type: application/json', `Content-Length: ${declared}`].join('\r\n');
    const r = await rawRequest(s.server.port, head, { bodyBytes: declared });
    assert.equal(statusOf(r), 413);
    assert.deepEqual(JSON.parse(bodyOf(r)), { error: { code: 'body_too_large', message: 'the request body is too large' } });
    assert.ok(s.server.bytesRead() < READ_BOUND);
  });

  it('cuts a body that stops arriving with 408 in the face shape and closes the connection', async () => {
    s = await serve({ bodyIdleTimeoutMs: 200 });
    const head = [`PATCH /api/v1/organisation HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${s.t.adminToken}`, 'Content-Type: application/json', 'Content-Length: 1000'].join('\r\n');
    const r = await rawRequest(s.server.port, head, { bodyBytes: 1000, stopAfter: 10, waitMs: 20_000 });
    assert.equal(statusOf(r), 408);
    assert.deepEqual(JSON.parse(bodyOf(r)), { error: { code: 'body_timeout', message: 'the request body arrived too slowly' } });
    assert.equal(r.closed, true);
    assert.equal(s.server.openSockets(), 0);
    assert.equal(s.budget.stats().inflight, 0);
  });

  it('cuts a trickling body (a byte now and then) at the request timeout, and trickled headers at the header timeout', async () => {
    s = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600, bodyIdleTimeoutMs: 10_000 });
    const head = put('/mdm/connect', { 'Content-Type': 'application/x-apple-aspen-mdm', 'Mdm-Signature': 'MIIB', 'Content-Length': 100_000 });
    const [trickle, headers] = await Promise.all([
      rawRequest(s.server.port, head, { bodyBytes: 100_000, chunk: 1, pauseMs: 50, waitMs: 20_000 }),
      new Promise<{ response: string; closed: boolean }>((resolve) => {
        // Headers that never end: Node answers 408 and closes once headersTimeout passes.
        import('node:net').then(({ default: net }) => {
          const sock = net.connect(s!.server.port, '127.0.0.1');
          let response = '';
          sock.on('data', (d) => (response += d));
          sock.on('close', () => resolve({ response, closed: true }));
          sock.on('error', () => undefined);
          sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
        });
      }),
    ]);
    assert.equal(trickle.closed, true);
    assert.ok(trickle.written < 100_000, 'the trickle was cut before it finished');
    assert.match(trickle.response, /^HTTP\/1\.1 408/);
    assert.equal(headers.closed, true);
    assert.match(headers.response, /^HTTP\/1\.1 408/);
  });

  it('caps body bytes in flight: unauthenticated bodies are refused first with 503 and Retry-After, signed-in ones still fit, and the budget returns to zero', async () => {
    s = await serve({ inflightBytes: 1 * MiB, unauthenticatedInflightBytes: 512 * KiB, bodyIdleTimeoutMs: 30_000 });
    const declared = 200 * KiB;
    const signUp = (extra: string[] = []) => [`POST /api/v1/signup HTTP/1.1`, 'Host: localhost', 'Content-Type: application/json', `Content-Length: ${declared}`, ...extra].join('\r\n');
    // Two unauthenticated bodies are admitted and held open (1 KB sent of each 200 KB).
    const held = [1, 2].map(() => rawRequest(s!.server.port, signUp(), { bodyBytes: declared, stopAfter: 1024, waitMs: 60_000 }));
    await until(() => s!.budget.stats().unauthenticated === 2 * declared);
    const third = await rawRequest(s.server.port, signUp(), { bodyBytes: declared });
    assert.equal(statusOf(third), 503);
    assert.equal(headerOf(third, 'Retry-After'), '1');
    assert.deepEqual(JSON.parse(bodyOf(third)), { error: { code: 'server_busy', message: 'the server is receiving too many request bodies; retry shortly' } });
    // A request that carries a credential draws on the rest of the budget.
    const patch = [`PATCH /api/v1/organisation HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${s.t.adminToken}`, 'Content-Type: application/json', `Content-Length: ${declared}`].join('\r\n');
    const authed = rawRequest(s.server.port, patch, { bodyBytes: declared, stopAfter: 1024, waitMs: 60_000 });
    await until(() => s!.budget.stats().inflight === 3 * declared);
    const stats = s.budget.stats();
    assert.ok(stats.peak <= 1 * MiB, `peak ${stats.peak} over the cap`);
    assert.equal(stats.refused, 1);
    await s.server.close();
    await Promise.all([...held, authed]);
    await until(() => s!.budget.stats().inflight === 0);
    assert.equal(s.budget.stats().unauthenticated, 0);
  });
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(cond(), 'condition not reached');
}
