// Many channels read at once, for the fan-out of one command (up to 10,000 targets): one
// statement over the ids as a JSON array (json_each) instead of one query per channel, and only
// the columns that enqueueing and pushing need, as plain rows (no Date per row).
import type { Db } from './db.js';
import type { EnrollmentState } from './enrollments.js';
import { lazyProperty, type ColumnSealer } from './sealed-columns.js';

/**
 * What queueing a command checks for each target, and the facts that say whether (and where) it
 * can be pushed (the rule is the domain's: business/push-eligibility.ts).
 */
export interface EnqueueTargetView {
  id: string;
  orgId: string;
  channel: 'device' | 'user';
  state: EnrollmentState;
  platform?: string;
  topic?: string;
  /** Both a token and a PushMagic are stored (known without opening them). */
  hasPushToken: boolean;
  /** Sealed at rest: opened on first read. */
  pushToken?: string;
  pushMagic?: string;
  /** When APNs answered 410 Unregistered for the token (stored text), if it did. */
  unregisteredAt?: string;
}

/** CROSS JOIN keeps json_each outside: each id is one primary-key lookup (plan asserted in tests). */
export const ENQUEUE_TARGETS_SQL = `SELECT e.id, e.org_id, e.channel, e.state, e.platform, e.topic, e.push_token, e.push_magic,
    e.push_unregistered_at
  FROM json_each(?) j CROSS JOIN enrollments e ON e.id = j.value`;

/** Reads the channels named by `ids` (missing ones are left out), in one indexed pass. */
export function enqueueTargetReader(db: Db, sealer: ColumnSealer): (ids: string[]) => EnqueueTargetView[] {
  const stmt = db.prepare(ENQUEUE_TARGETS_SQL).raw();
  return (ids) => {
    if (ids.length === 0) return [];
    const rows = stmt.all(JSON.stringify(ids)) as Array<[string, string, 'device' | 'user', EnrollmentState, string | null, string | null, string | null, string | null, string | null]>;
    return rows.map(([id, orgId, channel, state, platform, topic, pushToken, pushMagic, unregisteredAt]) => {
      const v: EnqueueTargetView = {
        id, orgId, channel, state, ...(platform === null ? {} : { platform }), ...(topic === null ? {} : { topic }),
        hasPushToken: pushToken !== null && pushMagic !== null,
        ...(unregisteredAt === null ? {} : { unregisteredAt }),
      };
      // Sealed at rest: opened on first read, so queueing a command for 10,000 channels opens none.
      if (pushToken !== null) lazyProperty(v, 'pushToken', () => sealer.text(pushToken));
      if (pushMagic !== null) lazyProperty(v, 'pushMagic', () => sealer.text(pushMagic));
      return v;
    });
  };
}
