import assert from 'node:assert/strict';
import { pushTargetsOf } from '../../../src/business/push-eligibility.js';
import { IPHONE, MAC } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('MDM check-in: MessageType=TokenUpdate', () => {
  it('returns 200 with an empty body, enrols the device and stores token, PushMagic and UnlockToken', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.device(facts);
    await client.authenticate();
    const res = await client.tokenUpdate({ awaitingConfiguration: true });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    const e = await t.deps.store.enrollments.get(facts.udid);
    assert.equal(e?.state, 'enrolled');
    assert.equal(e?.pushToken, client.pushToken.toString('hex'));
    assert.equal(e?.pushMagic, client.pushMagic);
    assert.ok(e?.unlockToken && e.unlockToken.length === 64);
    assert.equal(e?.awaitingConfiguration, true);
    assert.deepEqual(pushTargetsOf(t.deps.store.enrollments.enqueueTargets([facts.udid])), [
      { enrollmentId: facts.udid, topic: 'com.apple.mgmt.External.7f3a5c2e-1b4d-4e8f-9a6b-2c1d3e4f5a6b', pushToken: client.pushToken.toString('hex'), pushMagic: client.pushMagic },
    ]);
  });

  it('opens a user channel keyed <UDID>:<UserID> with UserShortName on a Mac', async () => {
    const t = await mdmTest();
    const facts = MAC();
    const { client } = await t.enrolled(facts);
    const res = await client.tokenUpdate({ userId: 'A1B2C3D4-0000-4000-8000-00000000F00D', userShortName: 'sam', userLongName: 'Sam Taylor' });
    assert.equal(res.status, 200);
    const u = await t.deps.store.enrollments.get(`${facts.udid}:A1B2C3D4-0000-4000-8000-00000000F00D`);
    assert.equal(u?.channel, 'user');
    assert.equal(u?.parentId, facts.udid);
    assert.equal(u?.userShortName, 'sam');
    assert.equal(u?.userLongName, 'Sam Taylor');
    assert.equal(u?.state, 'enrolled');
    assert.equal(u?.platform, 'macOS');
  });

  it('refuses with 400 a TokenUpdate without Token and records nothing', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.device(facts);
    await client.authenticate();
    const res = await client.checkin({ MessageType: 'TokenUpdate', UDID: facts.udid, Topic: 'x', PushMagic: 'ABC' });
    assert.equal(res.status, 400);
    assert.match(res.body.toString(), /Token/);
    assert.equal((await t.deps.store.enrollments.get(facts.udid))?.state, 'authenticated');
  });

  it('refuses with 403 a TokenUpdate from a UDID that never authenticated', async () => {
    const t = await mdmTest();
    const { client } = await t.device(IPHONE());
    const res = await client.tokenUpdate();
    assert.equal(res.status, 403);
    assert.match(res.body.toString(), /not enrolled/);
  });
});
