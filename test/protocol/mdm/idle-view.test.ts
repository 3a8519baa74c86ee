// An Idle poll reads its enrolment and whether a command is due in one statement
// (SqliteEnrollmentRepository.idleView). Its view must be connectView's and its commandDue must
// be SqliteCommandRepository.hasActive's, through a command's whole life: scheduled, due, sent,
// answered, cancelled.
import assert from 'node:assert/strict';
import { IPHONE } from '../../support/mdm.js';
import { mdmTest, type MdmTest } from './setup.js';

function same(t: MdmTest, id: string, at: Date, due: boolean) {
  const { enrollments, commands } = t.deps.store;
  const idle = enrollments.idleView(id, at);
  assert.ok(idle);
  const { commandDue, ...view } = idle;
  assert.deepEqual(view, enrollments.connectView(id));
  assert.equal(commands.hasActive(id, at), due);
  assert.equal(commandDue, due);
}

const event = (orgId: string) => ({ orgId, type: 'test.queued', payload: '{}' });

describe('Idle view: the enrolment and the queue peek in one read', () => {
  it('answers as connectView and hasActive do, through scheduling, delivery, answer and cancellation', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const id = facts.udid;
    await t.enrolled(facts);
    const { commands } = t.deps.store;
    const now = new Date();
    same(t, id, now, false);

    const later = new Date(now.getTime() + 3600_000);
    const body = (uuid: string) => `<plist><dict><key>CommandUUID</key><string>${uuid}</string></dict></plist>`;
    await commands.enqueue({ uuid: 'C-LATER', orgId: t.orgId, requestType: 'DeviceLock', command: { RequestType: 'DeviceLock' }, body: body('C-LATER') }, [id], now, event(t.orgId), { notBefore: later });
    same(t, id, now, false);
    same(t, id, later, true);

    await commands.enqueue({ uuid: 'C-NOW', orgId: t.orgId, requestType: 'SecurityInfo', command: { RequestType: 'SecurityInfo' }, body: body('C-NOW') }, [id], now, event(t.orgId));
    same(t, id, now, true);
    const sent = commands.nextForIdle(id, now);
    assert.equal(sent?.uuid, 'C-NOW');
    same(t, id, now, true); // sent, not yet answered: still owed
    const r = commands.reportAndNext({ enrollmentId: id, commandUuid: 'C-NOW', status: 'acknowledged', result: '<plist/>', at: now, event: event(t.orgId) });
    assert.equal(r.outcome, 'recorded');
    same(t, id, now, false);
    same(t, id, later, true);

    assert.deepEqual(await commands.cancel(t.orgId, 'C-LATER', undefined, now), [id]);
    same(t, id, later, false);
    assert.equal(t.deps.store.enrollments.idleView('NO-SUCH-DEVICE', now), undefined);
  });

  it('is per channel: another enrolment\'s command is not due for this one', async () => {
    const t = await mdmTest();
    const a = IPHONE();
    const b = IPHONE();
    await t.enrolled(a);
    await t.enrolled(b);
    const now = new Date();
    await t.deps.store.commands.enqueue({ uuid: 'C-B', orgId: t.orgId, requestType: 'SecurityInfo', command: { RequestType: 'SecurityInfo' }, body: '<plist/>' }, [b.udid], now, event(t.orgId));
    same(t, a.udid, now, false);
    same(t, b.udid, now, true);
  });
});
