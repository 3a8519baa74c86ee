// One request line per answer, written by one function (src/http/request-log.ts) whether the
// MDM fast path answered before Express or an Express face did: same fields, same form.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../src/log.js';
import { buildTestOrchard } from '../../support/harness.js';

describe('request log', () => {
  it('logs the fast path and an Express face alike: face, method, path without query, status, ms, request id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const t = await buildTestOrchard({}, { logger: createLogger('info', (l) => lines.push(JSON.parse(l))) });
    const server = http.createServer(t.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Answered by the fast path (wrong content type), then by Express (/healthz).
      const fast = await fetch(`${base}/mdm/connect?secret=x`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
      await fast.arrayBuffer();
      const slow = await fetch(`${base}/healthz?secret=y`);
      await slow.arrayBuffer();
      await new Promise((r) => setImmediate(r));
      const requests = lines.filter((l) => l.msg === 'request');
      assert.equal(requests.length, 2);
      for (const l of requests) {
        assert.deepEqual(Object.keys(l).sort(), ['face', 'level', 'method', 'ms', 'msg', 'path', 'request_id', 'status', 'time']);
        assert.equal(typeof l.ms, 'number');
      }
      // The line names the request id its answer carried (X-Request-Id, src/http/request-id.ts).
      assert.deepEqual(requests.map((l) => l.request_id), [fast.headers.get('x-request-id'), slow.headers.get('x-request-id')]);
      assert.deepEqual(requests.map((l) => [l.face, l.method, l.path, l.status]), [
        ['main', 'PUT', '/mdm/connect', 415],
        ['main', 'GET', '/healthz', 200],
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('writes no request line when info is off', async () => {
    const lines: string[] = [];
    const t = await buildTestOrchard({}, { logger: createLogger('warn', (l) => lines.push(l)) });
    const server = http.createServer(t.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/mdm/connect`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
      await res.arrayBuffer();
      assert.deepEqual(lines.filter((l) => JSON.parse(l).msg === 'request'), []);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
