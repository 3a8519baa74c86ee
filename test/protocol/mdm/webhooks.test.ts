import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { WebhookService, backoffMs } from '../../../src/business/mdm/webhooks.js';
import { IPHONE } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('Events: webhooks and the event log', () => {
  it('delivers each check-in and command result as MicroMDM-shaped JSON with an HMAC header; the log shows deliveries', async () => {
    const t = await mdmTest();
    const auth = { Authorization: `Bearer ${t.adminToken}` };
    const hook = await request(t.app).post('/api/v1/webhooks').set(auth).send({ url: 'https://hooks.example.com/orchard' });
    assert.equal(hook.status, 201);
    assert.match(hook.body.secret, /^[0-9a-f]{64}$/);
    const f = IPHONE();
    const { client } = await t.enrolled(f);
    const q = await request(t.app).post('/api/v1/commands').set(auth).send({ udids: [f.udid], command: { RequestType: 'SecurityInfo' } });
    await client.connectLoop();

    const got: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
    const svc = new WebhookService(t.deps.store, t.clock, t.deps.ids, async (url, init) => {
      got.push({ url, headers: init.headers, body: init.body });
      return { status: 204 };
    });
    assert.equal(await svc.runOnce(), 4);
    assert.deepEqual(got.map((g) => JSON.parse(g.body).topic), ['mdm.Authenticate', 'mdm.TokenUpdate', 'mdm.CommandQueued', 'mdm.Connect']);
    for (const g of got) {
      assert.equal(g.headers['X-Orchard-Signature'], `sha256=${createHmac('sha256', hook.body.secret).update(g.body).digest('hex')}`);
    }
    const ack = JSON.parse(got[3]!.body).acknowledge_event;
    assert.equal(ack.udid, f.udid);
    assert.equal(ack.status, 'Acknowledged');
    assert.equal(ack.command_uuid, q.body.command_uuid);
    assert.match(Buffer.from(ack.raw_payload, 'base64').toString(), /<key>SecurityInfo<\/key>/);
    assert.equal(await svc.runOnce(), 0, 'delivered events are not sent again');
    const log = await request(t.app).get('/api/v1/events').set(auth);
    assert.equal(log.status, 200);
    assert.deepEqual(log.body.items.map((e: any) => e.deliveries[0].status), ['delivered', 'delivered', 'delivered', 'delivered']);
  });

  it('retries a failing endpoint with back-off, and a restarted worker delivers what is pending', async () => {
    const t = await mdmTest();
    const auth = { Authorization: `Bearer ${t.adminToken}` };
    await request(t.app).post('/api/v1/webhooks').set(auth).send({ url: 'https://hooks.example.com/down' });
    const f = IPHONE();
    const { client } = await t.device(f);
    await client.authenticate();
    const failing = new WebhookService(t.deps.store, t.clock, t.deps.ids, async () => ({ status: 503 }));
    assert.equal(await failing.runOnce(), 1);
    assert.equal(await failing.runOnce(), 0, 'not due again before the back-off');
    const [ev] = await t.deps.store.events.list(t.orgId);
    assert.equal(ev!.deliveries[0]!.status, 'pending');
    assert.equal(ev!.deliveries[0]!.attempts, 1);
    assert.equal(ev!.deliveries[0]!.lastStatus, 503);
    t.clock.advance(backoffMs(1));
    // A new worker (as after a restart) on the same store picks up the pending delivery.
    const seen: string[] = [];
    const restarted = new WebhookService(t.deps.store, t.clock, t.deps.ids, async (_u, init) => (seen.push(init.body), { status: 200 }));
    assert.equal(await restarted.runOnce(), 1);
    assert.equal(JSON.parse(seen[0]!).topic, 'mdm.Authenticate');
    const [after] = await t.deps.store.events.list(t.orgId);
    assert.equal(after!.deliveries[0]!.status, 'delivered');
    assert.equal(after!.deliveries[0]!.attempts, 2);
  });
});
