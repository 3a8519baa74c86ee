import assert from 'node:assert/strict';
import request from 'supertest';
import { parsePlistDict, dataOf } from '../../../src/plist/index.js';
import { APPLE_TV, IPHONE, MAC } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('Admin API: POST /api/v1/commands and the queue', () => {
  it('queues one command to many devices at once and answers its command_uuid', async () => {
    const t = await mdmTest();
    const a = IPHONE(), b = MAC(), c = APPLE_TV();
    for (const f of [a, b, c]) await t.enrolled(f);
    const res = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [a.udid, b.udid, c.udid], command: { RequestType: 'DeviceInformation', Queries: ['UDID', 'DeviceName'] } });
    assert.equal(res.status, 201);
    assert.match(res.body.command_uuid, /^[0-9A-F-]{36}$/);
    assert.deepEqual(res.body.enrollment_ids, [a.udid, b.udid, c.udid]);
    assert.equal(res.body.push_targets, 3);
    const got = await request(t.app).get(`/api/v1/commands/${res.body.command_uuid}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.request_type, 'DeviceInformation');
    assert.deepEqual(got.body.command, { RequestType: 'DeviceInformation', Queries: ['UDID', 'DeviceName'] });
    assert.deepEqual(got.body.targets.map((x: any) => [x.udid, x.state]), [[a.udid, 'queued'], [b.udid, 'queued'], [c.udid, 'queued']]);
  });

  it('refuses, when queued, a command the platform does not support, and queues nothing', async () => {
    const t = await mdmTest();
    const tv = APPLE_TV(), phone = IPHONE();
    await t.enrolled(tv);
    await t.enrolled(phone);
    const res = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [phone.udid, tv.udid], command: { RequestType: 'ShutDownDevice' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'command_not_supported');
    assert.deepEqual(res.body.error.details.targets, { [tv.udid]: 'not_supported_on_tvOS' });
    const q = await request(t.app).get(`/api/v1/mdm/devices/${phone.udid}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.deepEqual(q.body.queue, []);
    const ent = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [phone.udid], command: { RequestType: 'InstallEnterpriseApplication', ManifestURL: 'https://apps.example.com/m.plist' } });
    assert.equal(ent.status, 400);
    assert.deepEqual(ent.body.error.details.targets, { [phone.udid]: 'not_supported_on_iOS' });
  });

  it('validates keys as Apple names them: unknown key, wrong type, missing key, PurchaseMethod', async () => {
    const t = await mdmTest();
    const f = IPHONE();
    await t.enrolled(f);
    const post = (command: unknown) => request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`).send({ udids: [f.udid], command });
    assert.equal((await post({ RequestType: 'DeviceInformation' })).body.error.code, 'command_key_required');
    assert.equal((await post({ RequestType: 'DeviceInformation', Queries: 'UDID' })).body.error.code, 'command_key_invalid');
    assert.equal((await post({ RequestType: 'SecurityInfo', Colour: 'red' })).body.error.code, 'command_key_unknown');
    assert.equal((await post({ RequestType: 'InstallApplication', iTunesStoreID: 1, Options: { PurchaseMethod: 7 } })).body.error.code, 'command_invalid');
    assert.equal((await post({ RequestType: 'InstallApplication', iTunesStoreID: 1, ManifestURL: 'https://x/m.plist' })).body.error.code, 'command_key_required');
    assert.equal((await post({ RequestType: 'Teleport' })).body.error.code, 'request_type_unsupported');
    const notFound = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`).send({ udids: ['NOPE'], command: { RequestType: 'SecurityInfo' } });
    assert.equal(notFound.status, 404);
  });

  it('InstallProfile takes Payload as base64 and sends it as <data>; InstallApplication by ManifestURL', async () => {
    const t = await mdmTest();
    const f = IPHONE();
    const { client } = await t.enrolled(f);
    const profile = Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict><key>PayloadIdentifier</key><string>com.example.wifi</string></dict></plist>');
    const r = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [f.udid], command: { RequestType: 'InstallProfile', Payload: profile.toString('base64') } });
    assert.equal(r.status, 201);
    const m = parsePlistDict((await client.connect('Idle')).body);
    assert.deepEqual(dataOf((m.Command as any).Payload), profile);
    const app = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [f.udid], command: { RequestType: 'InstallApplication', ManifestURL: 'https://apps.example.com/inhouse/manifest.plist', ManagementFlags: 1 } });
    assert.equal(app.status, 201);
  });

  it('cancels a queued command; a device queue is seen and cleared through the API', async () => {
    const t = await mdmTest();
    const f = IPHONE();
    const { client } = await t.enrolled(f);
    const auth = { Authorization: `Bearer ${t.adminToken}` };
    const one = (await request(t.app).post('/api/v1/commands').set(auth).send({ udids: [f.udid], command: { RequestType: 'ProfileList' } })).body.command_uuid;
    const two = (await request(t.app).post('/api/v1/commands').set(auth).send({ udids: [f.udid], command: { RequestType: 'SecurityInfo' } })).body.command_uuid;
    const three = (await request(t.app).post('/api/v1/commands').set(auth).send({ udids: [f.udid], command: { RequestType: 'RestartDevice' } })).body.command_uuid;
    const c = await request(t.app).post(`/api/v1/commands/${one}/cancel`).set(auth).send({});
    assert.deepEqual(c.body.cancelled, [f.udid]);
    assert.equal(c.body.command.targets[0].state, 'cancelled');
    const dev = await request(t.app).get(`/api/v1/mdm/devices/${f.udid}`).set(auth);
    assert.deepEqual(dev.body.queue.map((x: any) => x.command_uuid), [two, three]);
    assert.equal(dev.body.platform, 'iOS');
    const cleared = await request(t.app).delete(`/api/v1/mdm/devices/${f.udid}/queue`).set(auth);
    assert.deepEqual(cleared.body.cancelled_commands, [two, three]);
    assert.equal((await client.connect('Idle')).body.length, 0);
    const hist = await request(t.app).get(`/api/v1/mdm/devices/${f.udid}`).set(auth);
    assert.deepEqual(hist.body.history.map((x: any) => x.state), ['cancelled', 'cancelled', 'cancelled']);
    const list = await request(t.app).get('/api/v1/mdm/devices').set(auth);
    assert.ok(list.body.items.some((d: any) => d.udid === f.udid && d.state === 'enrolled'));
  });

  it('permissions: ContentManager reads but cannot queue; Staff cannot read; other organisations see nothing', async () => {
    const t = await mdmTest();
    const f = IPHONE();
    await t.enrolled(f);
    const cm = await t.tokenFor(['ContentManager']);
    const staff = await t.tokenFor(['Staff']);
    const body = { udids: [f.udid], command: { RequestType: 'SecurityInfo' } };
    assert.equal((await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${cm}`).send(body)).status, 403);
    assert.equal((await request(t.app).get(`/api/v1/mdm/devices/${f.udid}`).set('Authorization', `Bearer ${cm}`)).status, 200);
    assert.equal((await request(t.app).get(`/api/v1/mdm/devices/${f.udid}`).set('Authorization', `Bearer ${staff}`)).status, 403);
    const dm = await t.tokenFor(['DeviceManager']);
    assert.equal((await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${dm}`).send(body)).status, 201);
    const other = await t.otherOrg();
    assert.equal((await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${other.token}`).send(body)).status, 404);
    assert.equal((await request(t.app).get(`/api/v1/mdm/devices/${f.udid}`).set('Authorization', `Bearer ${other.token}`)).status, 404);
  });
  it('queues under a caller-chosen command_uuid: the device receives it, and it names the command in the API', async () => {
    const t = await mdmTest();
    const f = IPHONE();
    const { client } = await t.enrolled(f);
    const res = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [f.udid], command_uuid: 'deploy-2026.11_wifi-01', command: { RequestType: 'SecurityInfo' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.command_uuid, 'deploy-2026.11_wifi-01');
    const m = parsePlistDict((await client.connect('Idle')).body);
    assert.equal(m.CommandUUID, 'deploy-2026.11_wifi-01');
    assert.equal((await client.connect('Acknowledged', { CommandUUID: 'deploy-2026.11_wifi-01' })).status, 200);
    const got = await request(t.app).get('/api/v1/commands/deploy-2026.11_wifi-01').set('Authorization', `Bearer ${t.adminToken}`);
    assert.deepEqual(got.body.targets.map((x: any) => [x.udid, x.state]), [[f.udid, 'acknowledged']]);
  });

  it('refuses a command_uuid of the wrong type, length or characters with 400, queueing nothing', async () => {
    const t = await mdmTest();
    const f = IPHONE();
    await t.enrolled(f);
    for (const bad of ['', 'x'.repeat(65), 'has space', 'slash/in', 'ünïcode', '<xml>', 42, true, ['A'], { a: 1 }]) {
      const res = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
        .send({ udids: [f.udid], command_uuid: bad, command: { RequestType: 'SecurityInfo' } });
      assert.equal(res.status, 400, JSON.stringify(bad));
      if (typeof bad === 'string') assert.equal(res.body.error.code, 'command_uuid_invalid');
      // Not a string at all: refused by the contract's validator (src/portal/api/openapi/), before the handler.
      else assert.deepEqual(res.body.error.details, { errors: [{ pointer: '/body/command_uuid', problem: 'wrong_type', expected: 'string or null' }] });
    }
    const ok = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [f.udid], command_uuid: 'A'.repeat(64), command: { RequestType: 'SecurityInfo' } });
    assert.equal(ok.status, 201);
    const q = await request(t.app).get(`/api/v1/mdm/devices/${f.udid}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.deepEqual(q.body.queue.map((x: any) => x.command_uuid), ['A'.repeat(64)]);
  });

  it('answers 409 to a command_uuid already used, in this organisation or another, and changes nothing', async () => {
    const t = await mdmTest();
    const a = IPHONE(), b = MAC();
    await t.enrolled(a);
    const { client } = await t.enrolled(b);
    const auth = { Authorization: `Bearer ${t.adminToken}` };
    const first = await request(t.app).post('/api/v1/commands').set(auth).send({ udids: [a.udid], command_uuid: 'ONCE-1', command: { RequestType: 'SecurityInfo' } });
    assert.equal(first.status, 201);
    const events = async () => (await request(t.app).get('/api/v1/events').set(auth)).body.items.length;
    const before = await events();
    // The same uuid again, to other targets and another command: refused whole.
    const again = await request(t.app).post('/api/v1/commands').set(auth).send({ udids: [a.udid, b.udid], command_uuid: 'ONCE-1', command: { RequestType: 'RestartDevice' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'command_uuid_exists');
    assert.equal(again.body.error.details.command_uuid, 'ONCE-1');
    const got = await request(t.app).get('/api/v1/commands/ONCE-1').set(auth);
    assert.equal(got.body.request_type, 'SecurityInfo');
    assert.deepEqual(got.body.targets.map((x: any) => x.udid), [a.udid]);
    assert.equal((await client.connect('Idle')).body.length, 0);
    assert.equal(await events(), before);
    // Another organisation cannot reuse it either (the uuid is the server's key for the command).
    const other = await t.otherOrg();
    const theirDevice = IPHONE();
    const d = await t.device(theirDevice, other.orgId);
    assert.equal((await d.client.authenticate()).status, 200);
    assert.equal((await d.client.tokenUpdate()).status, 200);
    const theirs = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${other.token}`)
      .send({ udids: [theirDevice.udid], command_uuid: 'ONCE-1', command: { RequestType: 'SecurityInfo' } });
    assert.equal(theirs.status, 409);
    assert.equal((await d.client.connect('Idle')).body.length, 0);
  });
});
