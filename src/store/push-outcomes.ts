// Push outcomes per channel (migration 0008): the last push and APNs' answer, the re-push
// back-off, a bad-token mark, and a short log. Also the one write push makes to `enrollments`:
// APNs' 410 Unregistered, applied only if no TokenUpdate came after APNs' timestamp.
import { lazyProperty, type ColumnSealer } from './sealed-columns.js';
import type { Db } from './db.js';
import { dueTargetSql } from './commands.js';
import { fromDbOpt, toDb } from './db.js';

export type PushTrigger = 'command' | 'on-demand' | 'repush';

/** What push needs to know about a channel, read in one query. */
export interface PushChannel {
  enrollmentId: string;
  orgId: string;
  state: string;
  topic?: string;
  /** Both a token and a PushMagic are stored (read without opening them). */
  hasPushToken: boolean;
  /** Sealed at rest: opened on first read, so channels that are skipped open nothing. */
  pushToken?: string;
  pushMagic?: string;
  unregisteredAt?: Date;
  tokenUpdatedAt?: Date;
  lastSeenAt?: Date;
  lastPushAt?: Date;
  /** Pushes since the channel last connected. */
  pushes: number;
  badTokenAt?: Date;
}

export interface PushState {
  lastPushAt?: Date;
  lastTrigger?: PushTrigger;
  lastStatus?: string;
  lastHttpStatus?: number;
  lastReason?: string;
  lastApnsId?: string;
  lastAttempts?: number;
  pushes: number;
  nextPushAt?: Date;
  badTokenAt?: Date;
}

/** One push to one channel and what APNs answered: what the log keeps and a record writes. */
export interface PushAttempt {
  enrollmentId: string;
  at: Date;
  trigger: PushTrigger;
  status: string;
  httpStatus?: number;
  reason?: string;
  apnsId?: string;
  attempts: number;
}

export interface PushLogEntry extends PushAttempt {
  id: number;
}

export interface PushRecord extends PushAttempt {
  orgId: string;
  pushes: number;
  nextPushAt?: Date;
  /** Set when APNs called the token bad; undefined leaves the mark as it is. */
  badTokenAt?: Date | null;
}

/** Per-channel log entries kept; older ones are deleted as new ones come. */
const LOG_KEEP = 50;

/**
 * Every channel of a push batch (up to 10,000) in one statement; CROSS JOIN keeps json_each
 * outside, so each id is one primary-key lookup (plan asserted in tests).
 */
export const PUSH_CHANNELS_SQL = `SELECT e.id, e.org_id, e.state, e.topic, e.push_token, e.push_magic, e.push_unregistered_at,
    e.token_updated_at, e.last_seen_at, p.last_push_at, coalesce(p.pushes, 0) AS pushes, p.bad_token_at
  FROM json_each(?) j CROSS JOIN enrollments e ON e.id = j.value LEFT JOIN push_channels p ON p.enrollment_id = e.id`;

type Row = Record<string, any>;
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export class SqlitePushOutcomeRepository {
  private readonly s;
  constructor(private readonly db: Db, private readonly sealer: ColumnSealer) {
    this.s = {
      channels: db.prepare(PUSH_CHANNELS_SQL),
      sealedToken: db.prepare('SELECT push_token FROM enrollments WHERE id = ?'),
      upsert: db.prepare(`INSERT INTO push_channels (enrollment_id, org_id, last_push_at, last_trigger, last_status, last_http_status, last_reason,
          last_apns_id, last_attempts, pushes, next_push_at, bad_token_at)
        VALUES (@enrollmentId, @orgId, @at, @trigger, @status, @httpStatus, @reason, @apnsId, @attempts, @pushes, @nextPushAt, @badTokenAt)
        ON CONFLICT (enrollment_id) DO UPDATE SET last_push_at = excluded.last_push_at, last_trigger = excluded.last_trigger,
          last_status = excluded.last_status, last_http_status = excluded.last_http_status, last_reason = excluded.last_reason,
          last_apns_id = excluded.last_apns_id, last_attempts = excluded.last_attempts, pushes = excluded.pushes,
          next_push_at = excluded.next_push_at,
          bad_token_at = CASE WHEN @keepBadToken = 1 THEN bad_token_at ELSE excluded.bad_token_at END`),
      log: db.prepare(`INSERT INTO push_log (org_id, enrollment_id, at, trigger, status, http_status, reason, apns_id, attempts)
        VALUES (@orgId, @enrollmentId, @at, @trigger, @status, @httpStatus, @reason, @apnsId, @attempts)`),
      trim: db.prepare(`DELETE FROM push_log WHERE enrollment_id = @enrollmentId AND id <=
        (SELECT id FROM push_log WHERE enrollment_id = @enrollmentId ORDER BY id DESC LIMIT 1 OFFSET ${LOG_KEEP})`),
      clearBadToken: db.prepare('UPDATE push_channels SET bad_token_at = NULL WHERE enrollment_id = ?'),
      // Apple: stop pushing "until the device registers a token with a later timestamp".
      unregistered: db.prepare(`UPDATE enrollments SET push_unregistered_at = @at
        WHERE id = @id AND push_token = @token AND (token_updated_at IS NULL OR token_updated_at <= @at)`),
      state: db.prepare('SELECT * FROM push_channels WHERE enrollment_id = ?'),
      list: db.prepare('SELECT * FROM push_log WHERE enrollment_id = ? ORDER BY id DESC LIMIT ?'),
      // Channels pushed, not seen since, with commands still to fetch, whose back-off has run out.
      // NotNow is left out: the device comes back by itself when it can (handling-notnow-status-responses);
      // so are scheduled commands not yet due (their push is owed when due: CommandQueueService.takeDueWakeups).
      due: db.prepare(`SELECT p.enrollment_id, p.org_id FROM push_channels p JOIN enrollments e ON e.id = p.enrollment_id
        WHERE p.next_push_at IS NOT NULL AND p.next_push_at <= @now AND e.state = 'enrolled'
          AND (e.last_seen_at IS NULL OR e.last_seen_at < p.last_push_at)
          AND EXISTS (SELECT 1 FROM command_targets t WHERE t.enrollment_id = p.enrollment_id AND t.status IN ('queued', 'sent')
            AND ${dueTargetSql('t', '@now')})
        ORDER BY p.next_push_at LIMIT @limit`),
    };
  }

  async channels(ids: string[]): Promise<PushChannel[]> {
    const out: PushChannel[] = [];
    if (ids.length === 0) return out;
    for (const r of this.s.channels.all(JSON.stringify(ids)) as Row[]) {
      const c = {
        enrollmentId: r.id, orgId: r.org_id, state: r.state, topic: opt(r.topic), hasPushToken: r.push_token !== null && r.push_magic !== null,
        unregisteredAt: fromDbOpt(r.push_unregistered_at), tokenUpdatedAt: fromDbOpt(r.token_updated_at), lastSeenAt: fromDbOpt(r.last_seen_at),
        lastPushAt: fromDbOpt(r.last_push_at), pushes: r.pushes, badTokenAt: fromDbOpt(r.bad_token_at),
      } as PushChannel;
      // A push opens the two it sends (AES-GCM, ~5 µs each); a skipped channel opens nothing.
      lazyProperty(c, 'pushToken', () => (r.push_token === null ? undefined : this.sealer.text(r.push_token)));
      lazyProperty(c, 'pushMagic', () => (r.push_magic === null ? undefined : this.sealer.text(r.push_magic)));
      out.push(c);
    }
    return out;
  }

  /** Records one push batch's outcomes in one transaction. */
  async record(records: PushRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of records) {
        const p = {
          orgId: r.orgId, enrollmentId: r.enrollmentId, at: toDb(r.at), trigger: r.trigger, status: r.status, httpStatus: r.httpStatus ?? null,
          reason: r.reason ?? null, apnsId: r.apnsId ?? null, attempts: r.attempts,
        };
        this.s.upsert.run({
          ...p, pushes: r.pushes, nextPushAt: r.nextPushAt ? toDb(r.nextPushAt) : null,
          badTokenAt: r.badTokenAt ? toDb(r.badTokenAt) : null, keepBadToken: r.badTokenAt === undefined ? 1 : 0,
        });
        this.s.log.run(p);
        this.s.trim.run({ enrollmentId: r.enrollmentId });
      }
    }).immediate();
  }

  async clearBadToken(enrollmentId: string): Promise<void> {
    this.s.clearBadToken.run(enrollmentId);
  }

  /** 410: true when the mark was set (the token is still the channel's and no TokenUpdate came after `at`). */
  async markUnregistered(enrollmentId: string, token: string, at: Date): Promise<boolean> {
    // The stored token is sealed (a new nonce each time): compare in the clear, then match the
    // sealed value itself so a TokenUpdate in between is not overwritten.
    return this.db.transaction(() => {
      const sealed = (this.s.sealedToken.get(enrollmentId) as { push_token: string | null } | undefined)?.push_token;
      if (!sealed || this.sealer.text(sealed) !== token) return false;
      return this.s.unregistered.run({ id: enrollmentId, token: sealed, at: toDb(at) }).changes > 0;
    }).immediate();
  }

  async state(enrollmentId: string): Promise<PushState | undefined> {
    const r = this.s.state.get(enrollmentId) as Row | undefined;
    if (!r) return undefined;
    return {
      lastPushAt: fromDbOpt(r.last_push_at), lastTrigger: opt(r.last_trigger), lastStatus: opt(r.last_status), lastHttpStatus: opt(r.last_http_status),
      lastReason: opt(r.last_reason), lastApnsId: opt(r.last_apns_id), lastAttempts: opt(r.last_attempts), pushes: r.pushes,
      nextPushAt: fromDbOpt(r.next_push_at), badTokenAt: fromDbOpt(r.bad_token_at),
    };
  }

  async log(enrollmentId: string, limit: number): Promise<PushLogEntry[]> {
    return (this.s.list.all(enrollmentId, Math.min(Math.max(1, limit), LOG_KEEP)) as Row[]).map((r) => ({
      id: r.id, enrollmentId: r.enrollment_id, at: new Date(r.at), trigger: r.trigger, status: r.status, httpStatus: opt(r.http_status),
      reason: opt(r.reason), apnsId: opt(r.apns_id), attempts: r.attempts,
    }));
  }

  async due(now: Date, limit: number): Promise<Array<{ enrollmentId: string; orgId: string }>> {
    return (this.s.due.all({ now: toDb(now), limit }) as Row[]).map((r) => ({ enrollmentId: r.enrollment_id, orgId: r.org_id }));
  }
}
