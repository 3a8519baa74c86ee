// Many channels read at once, for the fan-out of one command (up to 10,000 targets): one
// statement over the ids as a JSON array (json_each) instead of one query per channel, and only
// the columns that enqueueing and pushing need, as plain rows (no Date per row).
import type { Db } from './db.js';
import type { EnrollmentState, PushTarget } from './enrollments.js';
import { lazyProperty, type ColumnSealer } from './sealed-columns.js';

/** The token and magic stay sealed until read: queueing a command for 10,000 channels opens none. */
function pushTarget(enrollmentId: string, topic: string, pushToken: string, pushMagic: string, sealer: ColumnSealer): PushTarget {
  const t = { enrollmentId, topic } as PushTarget;
  lazyProperty(t, 'pushToken', () => sealer.text(pushToken));
  lazyProperty(t, 'pushMagic', () => sealer.text(pushMagic));
  return t;
}

/** What queueing a command checks for each target, and whether (and where) it can be pushed. */
export interface EnqueueTargetView {
  id: string;
  orgId: string;
  channel: 'device' | 'user';
  state: EnrollmentState;
  platform?: string;
  /** Set when the channel is enrolled, has a token and PushMagic, and was not marked Unregistered. */
  push?: PushTarget;
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
    return rows.map(([id, orgId, channel, state, platform, topic, pushToken, pushMagic, unregisteredAt]) => ({
      id, orgId, channel, state, ...(platform === null ? {} : { platform }),
      ...(state === 'enrolled' && pushToken && pushMagic && !unregisteredAt ? { push: pushTarget(id, topic ?? '', pushToken, pushMagic, sealer) } : {}),
    }));
  };
}
