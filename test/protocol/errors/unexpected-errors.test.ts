// Issue 13's "one error pipeline", face by face: a service throws an error no face knows
// (`new Error('boom at /secret/path.ts')`). Each face answers in its own error shape with its own
// status, shows no stack, path or library name, and names a request id equal to the answer's
// X-Request-Id, and the log line of the fault carries the same id.
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import express from 'express';
import request from 'supertest';
import { ensureBuiltinMdm } from '../../../src/business/enrollment/builtin-mdm.js';
import { lastErrorHandler } from '../../../src/http/last-handler.js';
import { requestLog } from '../../../src/http/request-log.js';
import { createLogger } from '../../../src/log.js';
import { randomIds } from '../../../src/clock.js';
import { depAuthorization } from '../../support/dep-oauth.js';
import { addDevices, createDepServer, depUrl, HOST, UA } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { listenOnLoopback } from '../../support/listen.js';
import { certifiedDevice, signedMachineInfo } from '../../support/sim-device.js';
import { assertNoInternals, capturingLogger, requestIdOf } from '../../support/wire-errors.js';

const BOOM = () => { throw new Error('boom at /secret/path.ts'); };

/** Replaces obj[key] for the duration of `run`. */
async function withStub<T extends object, R>(obj: T, key: keyof T, value: unknown, run: () => Promise<R>): Promise<R> {
  const own = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, typeof value === 'function' ? { value, configurable: true, writable: true } : (value as PropertyDescriptor));
  try {
    return await run();
  } finally {
    if (own) Object.defineProperty(obj, key, own);
    else delete (obj as Record<PropertyKey, unknown>)[key as PropertyKey];
  }
}

describe('one error pipeline: an unexpected error, face by face', () => {
  let t: TestOrchard;
  let app: TestOrchard['app'];
  let log: ReturnType<typeof capturingLogger>;
  before(async () => {
    log = capturingLogger();
    t = await buildTestOrchard({}, { logger: createLogger('error', log.write) });
    app = t.app;
  });
  beforeEach(() => { log.lines.length = 0; });

  /** The common part of every face's answer: no internals, an id, the same id in the log. */
  function assertFault(res: { status: number; text: string; headers: Record<string, unknown> }, status: number): string {
    assert.equal(res.status, status, res.text);
    assertNoInternals(res.text);
    const id = requestIdOf(res);
    const line = log.lines.find((l) => l.request_id === id);
    assert.ok(line, `no log line with request id ${id}: ${JSON.stringify(log.lines)}`);
    assert.equal(line.level, 'error');
    assert.match(String(line.error), /boom at \/secret\/path\.ts/);
    return id;
  }

  it('admin API: 500 {"error":{"code":"internal_error","message":"internal error","details":{"request_id"}}}', async () => {
    const res = await withStub(t.deps.services.organisations, 'get', BOOM, () =>
      request(app).get('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`));
    const id = assertFault(res, 500);
    assert.match(res.headers['content-type']!, /^application\/json/);
    assert.deepEqual(res.body, { error: { code: 'internal_error', message: 'internal error', details: { request_id: id } } });
  });

  it('developer API: the admin JSON shape, 500 internal_error with the request id', async () => {
    const res = await withStub(t.deps.services.content.customApps, 'authenticateDeveloper', BOOM, () =>
      request(app).get('/developer/v1/custom-apps').set('Authorization', 'Bearer orchard-dev-x'));
    const id = assertFault(res, 500);
    assert.deepEqual(res.body, { error: { code: 'internal_error', message: 'internal error', details: { request_id: id } } });
  });

  it('reseller API: 500 {"errorCode":"INTERNAL_ERROR","errorMessage":"internal error (request id …)"}', async () => {
    const res = await withStub(t.deps.services.resellers, 'authenticate', BOOM, () =>
      request(app).post('/reseller/bulk-enroll-devices').set('Authorization', `Basic ${Buffer.from('R1:s').toString('base64')}`).send({}));
    const id = assertFault(res, 500);
    assert.deepEqual(res.body, { errorCode: 'INTERNAL_ERROR', errorMessage: `internal error (request id ${id})` });
  });

  it('Apps and Books: 500 {"errorNumber":9603,"errorMessage":"Internal error."} with Retry-After', async () => {
    const res = await withStub(t.deps.services.content.tokens, 'authenticate', BOOM, () =>
      request(app).get('/vpp/mdm/v2/assets').set('Authorization', 'Bearer x'));
    assertFault(res, 500);
    assert.deepEqual(res.body, { errorNumber: 9603, errorMessage: 'Internal error.' });
    assert.equal(res.headers['retry-after'], '60');
  });

  it('DEP, on /dep and on the DEP port: 500 with the bare code INTERNAL_SERVER_ERROR', async () => {
    const srv = await createDepServer(t, 'Boom MDM');
    for (const [target, path] of [[app, '/dep/session'], [t.depApp, '/session']] as const) {
      const res = await withStub(t.deps.services.organisations, 'termsAccepted', BOOM, () =>
        request(target).get(path).set('Host', HOST).set('User-Agent', UA)
          .set('Authorization', depAuthorization(srv.secrets, path === '/session' ? `http://${HOST}/session` : depUrl('/session'))));
      assertFault(res, 500);
      assert.match(res.headers['content-type']!, /^text\/plain; charset=utf-8$/i);
      assert.equal(res.text, 'INTERNAL_SERVER_ERROR');
    }
  });

  it('MDM, through the router and through the fast path: 500 "internal error" in plain text', async () => {
    // A signature shaped as one, so the request reaches the step that fails (the clock, in verification).
    const checkin = (r: request.Test) => r.set('Content-Type', 'application/x-apple-aspen-mdm-checkin').set('Mdm-Signature', Buffer.from('3080', 'hex').toString('base64')).send('<plist/>');
    const viaRouter = await withStub(t.deps.clock, 'now', BOOM, () => checkin(request(app).put('/mdm/checkin')));
    const served = await listenOnLoopback(t.handler as RequestListener);
    try {
      const viaFastPath = await withStub(t.deps.clock, 'now', BOOM, () => checkin(request(served.url).put('/mdm/checkin')));
      for (const res of [viaRouter, viaFastPath]) {
        assertFault(res, 500);
        assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
        assert.equal(res.text, 'internal error\n');
      }
    } finally {
      await served.close();
    }
  });

  it('enrolment: 500 {"code":"INTERNAL_ERROR","message":"internal error (request id …)"}', async () => {
    const builtin = await ensureBuiltinMdm(t.deps, t.orgId);
    const [serial] = await addDevices(t, t.orgId, builtin.serverId, 1);
    await t.deps.services.depProfiles.assign(builtin.serverId, builtin.profileUuid, [serial!]);
    const body = signedMachineInfo(await certifiedDevice(t, serial!));
    const res = await withStub(t.deps.services.organisations, 'get', BOOM, () =>
      request(app).post('/enroll/cloud-config').set('Content-Type', 'application/pkcs7-signature').send(body));
    const id = assertFault(res, 500);
    assert.deepEqual(res.body, { code: 'INTERNAL_ERROR', message: `internal error (request id ${id})` });
  });

  it('SCEP: 500 in plain text naming the request id', async () => {
    const res = await withStub(t.deps.pki, 'ca', { get: BOOM, configurable: true }, () =>
      request(app).get('/scep?operation=GetCACert'));
    const id = assertFault(res, 500);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.text, `internal error (request id ${id})\n`);
  });

  it('web portal: 500 as a small HTML page naming only the request id', async () => {
    const res = await withStub(t.deps.config, 'baseUrl', { get: BOOM, configurable: true }, () => request(app).get('/'));
    const id = assertFault(res, 500);
    assert.match(res.headers['content-type']!, /^text\/html/);
    assert.ok(res.text.includes(`Request id: ${id}`), res.text);
  });

  it('the last handler (main app and DEP port alike): what no face answered is plain text, never Express\'s HTML', async () => {
    const last = express();
    last.use(requestLog(t.deps.logger, 'main', randomIds));
    last.get('/throws', BOOM);
    last.get('/bad/:id', (_req, res) => { res.end(); });
    last.use(lastErrorHandler(t.deps.logger, 'main'));
    const res = await request(last).get('/throws');
    const id = assertFault(res, 500);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.text, `internal error (request id ${id})\n`);
    const bad = await request(last).get('/bad/%E0%A4%A');
    assert.equal(bad.status, 400);
    assert.equal(bad.text, `the path is not valid percent-encoding (request id ${requestIdOf(bad)})\n`);
  });

  it('every answer carries X-Request-Id, a fresh one each time', async () => {
    const a = await request(app).get('/healthz');
    const b = await request(app).get('/no/such/page');
    const c = await request(t.depApp).get('/account').set('User-Agent', UA);
    assert.notEqual(requestIdOf(a), requestIdOf(b));
    requestIdOf(c);
  });
});
