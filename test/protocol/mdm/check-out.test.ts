import assert from 'node:assert/strict';
import { pushTargetsOf } from '../../../src/business/push-eligibility.js';
import { IPHONE } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('MDM check-in: MessageType=CheckOut', () => {
  it('returns 200, marks the device unenrolled, stops pushes and refuses later connects with 403', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    const res = await client.checkOut();
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    const e = await t.deps.store.enrollments.get(facts.udid);
    assert.equal(e?.state, 'unenrolled');
    assert.ok(e?.unenrolledAt);
    assert.deepEqual(pushTargetsOf(t.deps.store.enrollments.enqueueTargets([facts.udid])), []);
    const connect = await client.connect('Idle');
    assert.equal(connect.status, 403);
    assert.equal(connect.body.toString(), `${facts.udid} is not enrolled\n`);
    const events = await t.deps.store.events.list(t.orgId, { type: 'mdm.CheckOut' });
    assert.equal(events.length, 1);
  });

  it('a new Authenticate and TokenUpdate re-enrol the device', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.enrolled(facts);
    await client.checkOut();
    assert.equal((await client.authenticate()).status, 200);
    assert.equal((await client.tokenUpdate()).status, 200);
    assert.equal((await t.deps.store.enrollments.get(facts.udid))?.state, 'enrolled');
    assert.equal((await client.connect('Idle')).status, 200);
  });
});
