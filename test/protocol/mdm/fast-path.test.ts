// On a running server, PUT /mdm, /mdm/checkin and /mdm/connect are answered before Express
// (src/mdm/fast-path.ts). The same requests get the same answers as through the Express route:
// enrolment, commands, refusals (signature, content type, size), and everything else still
// reaches the app.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { cmsSign } from '../../../src/crypto/cms.js';
import { simulatedDevice, IPHONE, MAC } from '../../support/mdm.js';
import { mdmTest, plistDoc, type MdmTest } from './setup.js';

describe('MDM fast path before Express', () => {
  let t: MdmTest;
  let server: http.Server;
  let base: string;
  beforeEach(async () => {
    t = await mdmTest();
    server = http.createServer(t.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const put = async (path: string, headers: Record<string, string>, body: Buffer | string) => {
    const res = await fetch(base + path, { method: 'PUT', headers, body });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('enrols a device, hands it a queued command and records its answer over real HTTP', async () => {
    const facts = IPHONE();
    const udid = facts.udid;
    const d = await simulatedDevice({ ca: t.ca, store: t.deps.store, orgId: t.orgId, facts, baseUrl: base });
    assert.equal((await d.client.authenticate()).status, 200);
    assert.equal((await d.client.tokenUpdate()).status, 200);
    const empty = await d.client.connectLoop();
    assert.deepEqual(empty.steps, []);
    const queued = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [udid], command: { RequestType: 'DeviceInformation', Queries: ['DeviceName'] } });
    assert.equal(queued.status, 201);
    const summary = await d.client.connectLoop();
    assert.deepEqual(summary.steps.map((s) => [s.commandUuid, s.requestType, s.status]), [[queued.body.command_uuid, 'DeviceInformation', 'Acknowledged']]);
  });

  it('answers refusals exactly as the Express route does', async () => {
    const d = await simulatedDevice({ ca: t.ca, store: t.deps.store, orgId: t.orgId, facts: MAC(), baseUrl: base });
    const body = Buffer.from(plistDoc('<key>MessageType</key><string>Authenticate</string><key>UDID</key><string>X</string><key>Topic</key><string>t</string>'));
    const sig = cmsSign(body, d.identity, { detached: true, digest: 'sha256' }).toString('base64');
    const cases: Array<[string, Record<string, string>, Buffer | string]> = [
      ['/mdm/checkin', { 'Content-Type': 'text/plain' }, body],
      ['/mdm/checkin', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin' }, body],
      ['/mdm/checkin', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': 'not base64!' }, body],
      ['/mdm/checkin', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': sig }, Buffer.concat([body, Buffer.from(' ')])],
      ['/mdm/checkin?x=1', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': sig }, body],
      ['/mdm', { 'Content-Type': 'application/x-apple-aspen-mdm', 'Mdm-Signature': sig }, body],
      ['/mdm/connect', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': sig }, body],
      ['/mdm/checkin', { 'Content-Type': 'application/x-apple-aspen-mdm-checkin', 'Mdm-Signature': sig }, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)],
    ];
    for (const [path, headers, b] of cases) {
      const fast = await put(path, headers, b);
      let req = request(t.app).put(path);
      for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
      const viaExpress = await req.send(b);
      assert.deepEqual(fast, { status: viaExpress.status, type: viaExpress.headers['content-type'] ?? null, text: viaExpress.text }, `${path} ${JSON.stringify(headers).slice(0, 80)}`);
      assert.ok(fast.status >= 400, `${path} was accepted`);
    }
  });

  it('leaves every other request to Express', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    const get = await fetch(`${base}/mdm/connect`);
    assert.equal(get.status, 404);
  });
});
