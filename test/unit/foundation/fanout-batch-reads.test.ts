// The fan-out's batch reads: the channels a command names, and the channels a push batch
// wakes, each read in one statement over the ids (json_each), one primary-key lookup per id.
// Same answers as one query per channel; missing ids are left out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pushTargetsOf } from '../../../src/business/push-eligibility.js';
import { openDb, type Db } from '../../../src/store/db.js';
import { ENQUEUE_TARGETS_SQL } from '../../../src/store/enrollment-targets.js';
import { createSqliteStore, type Store } from '../../../src/store/index.js';
import { PUSH_CHANNELS_SQL } from '../../../src/store/push-outcomes.js';

describe('fan-out batch reads (enrolments by id list)', () => {
  let db: Db;
  let store: Store;
  const at = new Date('2026-03-02T10:00:00.000Z');
  const orgId = 'org-batch';
  const ev = { orgId, type: 'mdm.test', payload: '{}' };

  async function channel(id: string, o: { token?: boolean; platform?: string } = {}) {
    await store.enrollments.authenticate(id, orgId, { udid: id, platform: o.platform, family: 'iPhone', topic: 'com.apple.mgmt.test' }, 'sha', at, ev);
    if (o.token) await store.enrollments.tokenUpdate({ id, pushToken: randomBytes(32).toString('hex'), pushMagic: `MAGIC-${id}`, awaitingConfiguration: false }, at, ev);
  }

  beforeEach(() => {
    db = openDb(':memory:');
    db.prepare("INSERT INTO organisations (id, name, org_id, created_at) VALUES (?, 'Batch Ltd', 'ORG-BATCH', ?)").run(orgId, at.toISOString());
    store = createSqliteStore(db);
  });

  it('reads every named channel in one statement, each by its primary key', () => {
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]') as Array<{ detail: string }>).map((r) => r.detail);
    for (const sql of [ENQUEUE_TARGETS_SQL, PUSH_CHANNELS_SQL]) {
      const p = plan(sql);
      assert.match(p[0]!, /^SCAN j VIRTUAL TABLE/);
      assert.match(p[1]!, /^SEARCH e USING INDEX sqlite_autoindex_enrollments_1 \(id=\?\)$/);
    }
  });

  it('enqueueTargets: found channels with their state and platform; push only for enrolled, tokened, not Unregistered', async () => {
    await channel('A', { token: true, platform: 'iOS' });
    await channel('B', { platform: 'macOS' });
    await channel('C', { token: true });
    const c = (await store.enrollments.get('C'))!;
    assert.equal(await store.pushOutcomes.markUnregistered('C', c.pushToken!, new Date(at.getTime() + 1000)), true);
    const views = store.enrollments.enqueueTargets(['A', 'missing', 'B', 'C', 'A']);
    const byId = new Map(views.map((v) => [v.id, v]));
    assert.deepEqual([...byId.keys()].sort(), ['A', 'B', 'C']);
    const a = (await store.enrollments.get('A'))!;
    const topic = 'com.apple.mgmt.test';
    assert.deepEqual(byId.get('A'), { id: 'A', orgId, channel: 'device', state: 'enrolled', platform: 'iOS', topic, hasPushToken: true, pushToken: a.pushToken, pushMagic: 'MAGIC-A' });
    assert.deepEqual(byId.get('B'), { id: 'B', orgId, channel: 'device', state: 'authenticated', platform: 'macOS', topic, hasPushToken: false });
    assert.deepEqual(byId.get('C'), { id: 'C', orgId, channel: 'device', state: 'enrolled', topic, hasPushToken: true, pushToken: c.pushToken, pushMagic: 'MAGIC-C', unregisteredAt: '2026-03-02T10:00:01.000Z' });
    // The domain's rule over these facts: of A, B and C only A can be pushed.
    assert.deepEqual(pushTargetsOf(store.enrollments.enqueueTargets(['A', 'B', 'C'])), [{ enrollmentId: 'A', topic, pushToken: a.pushToken, pushMagic: 'MAGIC-A' }]);
    assert.deepEqual(store.enrollments.enqueueTargets([]), []);
  });

  it('pushOutcomes.channels: one row per found channel, with its push state', async () => {
    await channel('A', { token: true });
    await channel('B');
    await store.pushOutcomes.record([{ orgId, enrollmentId: 'A', at, trigger: 'command', status: 'delivered', attempts: 1, pushes: 2, nextPushAt: new Date(at.getTime() + 60_000) }]);
    const list = await store.pushOutcomes.channels(['B', 'nope', 'A']);
    const byId = new Map(list.map((c) => [c.enrollmentId, c]));
    assert.deepEqual([...byId.keys()].sort(), ['A', 'B']);
    const a = byId.get('A')!;
    assert.equal(a.state, 'enrolled');
    assert.equal(a.pushMagic, 'MAGIC-A');
    assert.equal(a.pushes, 2);
    assert.deepEqual(a.lastPushAt, at);
    assert.deepEqual(a.tokenUpdatedAt, at);
    const b = byId.get('B')!;
    assert.deepEqual([b.state, b.pushToken, b.pushes, b.lastPushAt], ['authenticated', undefined, 0, undefined]);
    assert.deepEqual(await store.pushOutcomes.channels([]), []);
  });
});
