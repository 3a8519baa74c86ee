import assert from 'node:assert/strict';
import request from 'supertest';
import { cmsSign } from '../../../src/crypto/cms.js';
import { IPHONE } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('MDM bad input: clear errors, no corrupted queue', () => {
  it('a body that is not a plist: 400 in plain text', async () => {
    const t = await mdmTest();
    const { identity } = await t.enrolled(IPHONE());
    const body = Buffer.from('{"Status":"Idle"}');
    const res = await request(t.app).put('/mdm/connect').set('Content-Type', 'application/x-apple-aspen-mdm')
      .set('Mdm-Signature', cmsSign(body, identity, { detached: true }).toString('base64')).send(body);
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'], /^text\/plain/);
    assert.match(res.text, /^the body is not an acceptable plist: /);
  });

  it('the wrong Content-Type: 415', async () => {
    const t = await mdmTest();
    const res = await request(t.app).put('/mdm/connect').set('Content-Type', 'application/json').send('{}');
    assert.equal(res.status, 415);
    assert.equal(res.text, 'Content-Type must be application/x-apple-aspen-mdm\n');
    const res2 = await request(t.app).put('/mdm/checkin').set('Content-Type', 'application/x-apple-aspen-mdm').send('x');
    assert.equal(res2.status, 415);
  });

  it('a status for an unknown CommandUUID: 400, and the queue is untouched', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const q = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [facts.udid], command: { RequestType: 'SecurityInfo' } });
    const res = await client.connect('Acknowledged', { CommandUUID: '0F6E1A7C-2B3D-4E5F-8A9B-0C1D2E3F4A5B' });
    assert.equal(res.status, 400);
    assert.equal(res.body.toString(), `unknown CommandUUID 0F6E1A7C-2B3D-4E5F-8A9B-0C1D2E3F4A5B for ${facts.udid}\n`);
    const c = await request(t.app).get(`/api/v1/commands/${q.body.command_uuid}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(c.body.targets[0].state, 'queued');
  });

  it('a result for a command that was queued but never sent: 409, nothing recorded', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const q = await request(t.app).post('/api/v1/commands').set('Authorization', `Bearer ${t.adminToken}`)
      .send({ udids: [facts.udid], command: { RequestType: 'SecurityInfo' } });
    const res = await client.connect('Acknowledged', { CommandUUID: q.body.command_uuid });
    assert.equal(res.status, 409);
    const c = await request(t.app).get(`/api/v1/commands/${q.body.command_uuid}`).set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(c.body.targets[0].state, 'queued');
    assert.equal(c.body.targets[0].response, null);
  });

  it('a UDID that is not enrolled: 403', async () => {
    const t = await mdmTest();
    const { client } = await t.device(IPHONE());
    await client.authenticate();
    const res = await client.connect('Idle');
    assert.equal(res.status, 403);
    assert.match(res.body.toString(), /is not enrolled/);
  });

  it('an unknown Status: 400; a report without CommandUUID: 400', async () => {
    const t = await mdmTest();
    const { client } = await t.enrolled(IPHONE());
    assert.equal((await client.connect('Sleeping')).status, 400);
    const res = await client.connect('Acknowledged');
    assert.equal(res.status, 400);
    assert.equal(res.body.toString(), 'Status Acknowledged needs CommandUUID\n');
  });
});
