import assert from 'node:assert/strict';
import request from 'supertest';
import { parsePlistDict } from '../../../src/plist/index.js';
import { IPHONE } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

async function queue(t: Awaited<ReturnType<typeof mdmTest>>, udids: string[], command: Record<string, unknown>) {
  const res = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`).send({ udids, command });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.command_uuid as string;
}

describe('MDM command channel: PUT /mdm/connect', () => {
  it('Idle with nothing queued: 200 with an empty body', async () => {
    const t = await mdmTest();
    const { client } = await t.enrolled(IPHONE());
    const res = await client.connect('Idle');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
  });

  it('delivers queued commands in order, one per reply, with CommandUUID and Command.RequestType, and stores each result', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const first = await queue(t, [facts.udid], { RequestType: 'DeviceInformation', Queries: ['DeviceName', 'OSVersion'] });
    const second = await queue(t, [facts.udid], { RequestType: 'SecurityInfo' });
    const r1 = await client.connect('Idle');
    assert.equal(r1.status, 200);
    assert.match(r1.contentType ?? '', /^application\/xml/);
    const m1 = parsePlistDict(r1.body);
    assert.deepEqual(m1, { CommandUUID: first, Command: { RequestType: 'DeviceInformation', Queries: ['DeviceName', 'OSVersion'] } });
    const r2 = await client.connect('Acknowledged', { CommandUUID: first, QueryResponses: { DeviceName: "Alex's iPhone", OSVersion: '17.5.1' } });
    assert.deepEqual(parsePlistDict(r2.body), { CommandUUID: second, Command: { RequestType: 'SecurityInfo' } });
    const r3 = await client.connect('Error', {
      CommandUUID: second, ErrorChain: [{ ErrorCode: 12021, ErrorDomain: 'MCMDMErrorDomain', LocalizedDescription: 'x', USEnglishDescription: 'x' }],
    });
    assert.equal(r3.status, 200);
    assert.equal(r3.body.length, 0);
    const a = await request(t.app).get(`/api/v1/commands/${first}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(a.body.targets[0].state, 'acknowledged');
    assert.deepEqual(a.body.targets[0].response.QueryResponses, { DeviceName: "Alex's iPhone", OSVersion: '17.5.1' });
    const b = await request(t.app).get(`/api/v1/commands/${second}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(b.body.targets[0].state, 'error');
    assert.equal(b.body.targets[0].response.ErrorChain[0].ErrorCode, 12021);
  });

  it('NotNow keeps the command queued, skips it for the rest of the session, and resends it on the next Idle', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const install = await queue(t, [facts.udid], { RequestType: 'InstallApplication', iTunesStoreID: 361309726, Options: { PurchaseMethod: 1 } });
    const info = await queue(t, [facts.udid], { RequestType: 'SecurityInfo' });
    const r1 = await client.connect('Idle');
    assert.equal(parsePlistDict(r1.body).CommandUUID, install);
    const r2 = await client.connect('NotNow', { CommandUUID: install });
    assert.equal(parsePlistDict(r2.body).CommandUUID, info, 'the next command, not the NotNow one');
    const r3 = await client.connect('Acknowledged', { CommandUUID: info, SecurityInfo: { PasscodePresent: true } });
    assert.equal(r3.body.length, 0, 'the NotNow command is not re-sent in the same session');
    const mid = await request(t.app).get(`/api/v1/commands/${install}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(mid.body.targets[0].state, 'not_now');
    assert.equal(mid.body.targets[0].not_now_count, 1);
    const r4 = await client.connect('Idle');
    assert.equal(parsePlistDict(r4.body).CommandUUID, install, 'sent again after the device reports Idle');
    await client.connect('Acknowledged', { CommandUUID: install, Identifier: 'com.apple.Pages', State: 'Queued' });
    const end = await request(t.app).get(`/api/v1/commands/${install}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(end.body.targets[0].state, 'acknowledged');
    assert.equal(end.body.targets[0].sent_count, 2);
  });

  it('a command sent but never answered (crash, lost reply) is sent again on the next poll', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const uuid = await queue(t, [facts.udid], { RequestType: 'ProfileList' });
    assert.equal(parsePlistDict((await client.connect('Idle')).body).CommandUUID, uuid);
    assert.equal(parsePlistDict((await client.connect('Idle')).body).CommandUUID, uuid);
    const r = await request(t.app).get(`/api/v1/commands/${uuid}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(r.body.targets[0].state, 'sent');
    assert.equal(r.body.targets[0].sent_count, 2);
  });

  it('a repeated report of the same result is accepted once and not recorded twice', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const uuid = await queue(t, [facts.udid], { RequestType: 'ProfileList' });
    await client.connect('Idle');
    assert.equal((await client.connect('Acknowledged', { CommandUUID: uuid, ProfileList: [] })).status, 200);
    assert.equal((await client.connect('Acknowledged', { CommandUUID: uuid, ProfileList: [] })).status, 200);
    assert.equal((await t.deps.store.events.list(t.orgId, { type: 'mdm.Connect' })).length, 1);
  });
});
