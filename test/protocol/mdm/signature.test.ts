import assert from 'node:assert/strict';
import request from 'supertest';
import { cmsSign } from '../../../src/crypto/cms.js';
import { buildPlist } from '../../../src/plist/index.js';
import { IPHONE, issueDeviceIdentity, makeCa } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('MDM Mdm-Signature verification', () => {
  it('refuses a check-in without Mdm-Signature with 401 and records nothing', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.device(facts);
    const res = await client.checkin({ MessageType: 'Authenticate', UDID: facts.udid, Topic: 'x' }, null);
    assert.equal(res.status, 401);
    assert.equal(res.body.toString(), 'Mdm-Signature header required\n');
    assert.equal(await t.deps.store.enrollments.get(facts.udid), undefined);
    assert.equal((await t.deps.store.events.list(t.orgId)).length, 0);
  });

  it('refuses a signature by an identity from another CA (forged) with 401', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const forger = await issueDeviceIdentity(await makeCa('Evil CA'), facts.udid);
    const res = await client.connect('Idle', {}, forger);
    assert.equal(res.status, 401);
    assert.equal(res.body.toString(), 'Mdm-Signature refused: untrusted-chain\n');
  });

  it('refuses a signature over other bytes than the body with 401', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { identity } = await t.enrolled(facts);
    const body = Buffer.from(buildPlist({ Status: 'Idle', UDID: facts.udid }));
    const sig = cmsSign(Buffer.from(buildPlist({ Status: 'Idle', UDID: 'someone-else' })), identity, { detached: true }).toString('base64');
    const res = await request(t.app).put('/mdm/connect').set('Content-Type', 'application/x-apple-aspen-mdm').set('Mdm-Signature', sig).send(body);
    assert.equal(res.status, 401);
    assert.match(res.text, /^Mdm-Signature refused: /);
  });

  it('refuses with 403 a valid Orchard identity used for another enrolled device, and records nothing', async () => {
    const t = await mdmTest();
    const victim = IPHONE();
    await t.enrolled(victim);
    const other = await t.enrolled(IPHONE());
    const res = await other.client.send('http://orchard.test/mdm/checkin', 'application/x-apple-aspen-mdm-checkin', {
      MessageType: 'TokenUpdate', UDID: victim.udid, Topic: 'x', Token: Buffer.alloc(32, 1), PushMagic: 'EVIL',
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.toString(), 'the signing identity does not belong to this device\n');
    assert.notEqual((await t.deps.store.enrollments.get(victim.udid))?.pushMagic, 'EVIL');
  });
});
