// The MDM command queue: one command, many targets (enrolment channels), each with its own state.
// Delivery is in `seq` order per channel. Reports, the next command, its 'sent' mark and the
// channel's last_seen_at are one transaction, so a crash never leaves a half-recorded exchange;
// a command marked 'sent' whose answer never came stays active and is sent again on the next poll.
// A target may be scheduled (`not_before`): it is skipped until then, and owes one wake-up push
// once due (takeDueWakeups).
// Apple: developer.apple.com/documentation/devicemanagement/sending-mdm-commands-to-a-device
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import { insertEventStatement, type NewEvent } from './events.js';

/**
 * The one rule for "a command is due for its channel", as SQL over the command_targets alias `t`
 * at the instant bound to `now`: the target is still active and its time (not_before), if any,
 * has come. The next command, the Idle peek (enrollments.ts idleView) and the re-push query
 * (push-outcomes.ts) all read through it.
 */
export function dueTargetSql(t: string, now: string): string {
  return `${t}.active = 1 AND (${t}.not_before IS NULL OR ${t}.not_before <= ${now})`;
}

export type TargetStatus = 'queued' | 'sent' | 'acknowledged' | 'error' | 'command_format_error' | 'not_now' | 'cancelled';
/** What a device can report about a command it was sent (the MDM face maps Apple's Status to these). */
export type ReportStatus = Extract<TargetStatus, 'acknowledged' | 'error' | 'command_format_error' | 'not_now'>;

export interface NewCommand {
  uuid: string;
  orgId: string;
  requestType: string;
  /** The Command dict, for the admin view. */
  command: Record<string, unknown>;
  /** The plist devices receive, built once at enqueue. */
  body: string;
  createdBy?: string;
}

export interface CommandTarget {
  seq: number;
  commandUuid: string;
  enrollmentId: string;
  requestType?: string;
  status: TargetStatus;
  queuedAt: Date;
  sentAt?: Date;
  sentCount: number;
  notNowCount: number;
  lastNotNowAt?: Date;
  resultAt?: Date;
  cancelledAt?: Date;
  /** Not delivered before this instant. */
  notBefore?: Date;
  /** The device's last whole response plist (XML). */
  result?: string;
}

export interface CommandRecord extends Omit<NewCommand, 'body'> {
  createdAt: Date;
  targets: CommandTarget[];
}

export type ReportOutcome = 'recorded' | 'duplicate' | 'late-for-cancelled' | 'unknown-command' | 'not-sent';

export interface NextCommand {
  uuid: string;
  body: string;
}

export interface CommandRepository {
  /**
   * Stores the command and one queued target per channel, and an outbox event, in one
   * transaction; false (and nothing written) when a command with this uuid already exists.
   */
  enqueue(cmd: NewCommand, enrollmentIds: string[], at: Date, event: NewEvent, opts?: { notBefore?: Date }): Promise<boolean>;
  /**
   * Records a device's report (unless refused), picks the next command to send and records the
   * channel's last contact (last_seen_at), in one transaction.
   */
  reportAndNext(r: {
    enrollmentId: string; commandUuid: string; status: ReportStatus; result: string; at: Date; event: NewEvent;
  }): { outcome: ReportOutcome; requestType?: string; next?: NextCommand };
  /** The next command for an Idle poll (NotNow ones included again), marked sent; records the channel's last contact. */
  nextForIdle(enrollmentId: string, at: Date): NextCommand | undefined;
  /** Scheduled targets that became due by `at` and whose wake-up push was not yet taken: marks them taken. */
  takeDueWakeups(at: Date, limit?: number): Promise<Array<{ enrollmentId: string; orgId: string }>>;
  /** Cancels still-active targets (queued, sent, not now); returns the enrolment ids cancelled. */
  cancel(orgId: string, uuid: string, enrollmentIds: string[] | undefined, at: Date): Promise<string[]>;
  get(orgId: string, uuid: string): Promise<CommandRecord | undefined>;
  /** A channel's queue (active only) or history (everything), oldest first / newest first. */
  listForEnrollment(enrollmentId: string, opts: { active: boolean; limit?: number }): Promise<CommandTarget[]>;
  /** An organisation's commands, newest first (keyset on created_at, uuid), with each one's target count per status. */
  listForOrg(orgId: string, f: CommandFilter): Promise<CommandSummary[]>;
}

export interface CommandFilter {
  serialNumber?: string; requestType?: string; status?: string;
  /** The last command of the previous page: its created_at (ISO) and uuid. */
  after?: [string, string];
  limit: number;
}

export interface CommandSummary {
  uuid: string; requestType: string; createdAt: Date; createdBy?: string;
  /** Targets per status (queued, sent, acknowledged, error, command_format_error, not_now, cancelled). */
  byStatus: Record<string, number>;
}

type Row = Record<string, any>;
const toTarget = (r: Row): CommandTarget => ({
  seq: r.seq, commandUuid: r.command_uuid, enrollmentId: r.enrollment_id, requestType: r.request_type ?? undefined, status: r.status,
  queuedAt: new Date(r.queued_at), sentAt: fromDbOpt(r.sent_at), sentCount: r.sent_count, notNowCount: r.not_now_count,
  lastNotNowAt: fromDbOpt(r.last_not_now_at), resultAt: fromDbOpt(r.result_at), cancelledAt: fromDbOpt(r.cancelled_at),
  notBefore: fromDbOpt(r.not_before), result: r.result ?? undefined,
});

export class SqliteCommandRepository implements CommandRepository {
  private readonly s;
  private readonly insertEvent;
  constructor(private readonly db: Db) {
    this.insertEvent = insertEventStatement(db);
    this.s = {
      commandExists: db.prepare('SELECT 1 FROM commands WHERE uuid = ?'),
      insertCommand: db.prepare(`INSERT INTO commands (uuid, org_id, request_type, command, body, created_at, created_by)
        VALUES (@uuid, @orgId, @requestType, @command, @body, @createdAt, @createdBy)`),
      insertTarget: db.prepare(`INSERT INTO command_targets (command_uuid, enrollment_id, status, active, queued_at, not_before)
        VALUES (?, ?, 'queued', 1, ?, ?)`),
      target: db.prepare(`SELECT t.seq, t.status, c.request_type FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.command_uuid = ? AND t.enrollment_id = ?`),
      record: db.prepare(`UPDATE command_targets SET status = @status, active = @active, result = @result, result_at = @at,
          not_now_count = not_now_count + @notNow, last_not_now_at = CASE WHEN @notNow = 1 THEN @at ELSE last_not_now_at END
        WHERE seq = @seq`),
      lateResult: db.prepare('UPDATE command_targets SET result = ?, result_at = ? WHERE seq = ?'),
      // One indexed range scan on (enrollment_id, active, seq); scheduled targets not yet due are skipped.
      nextAny: db.prepare(`SELECT t.seq, t.command_uuid, c.body FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.enrollment_id = ? AND ${dueTargetSql('t', '?')} ORDER BY t.seq LIMIT 1`),
      nextSkipNotNow: db.prepare(`SELECT t.seq, t.command_uuid, c.body FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.enrollment_id = ? AND t.status != 'not_now' AND ${dueTargetSql('t', '?')} ORDER BY t.seq LIMIT 1`),
      anyActive: db.prepare(`SELECT 1 FROM command_targets t WHERE t.enrollment_id = ? AND ${dueTargetSql('t', '?')} LIMIT 1`),
      // dueTargetSql narrowed to scheduled targets, spelt out so that the partial index
      // command_targets_due bounds the range on both sides (the OR in dueTargetSql would not).
      dueWakeups: db.prepare(`SELECT t.seq, t.enrollment_id, c.org_id FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.not_before IS NOT NULL AND t.due_pushed_at IS NULL AND t.active = 1 AND t.not_before <= ? ORDER BY t.not_before LIMIT ?`),
      markWoken: db.prepare('UPDATE command_targets SET due_pushed_at = ? WHERE seq = ?'),
      // The channel's last contact, written in the exchange's own transaction (one commit per request).
      touch: db.prepare('UPDATE enrollments SET last_seen_at = ? WHERE id = ?'),
      markSent: db.prepare(`UPDATE command_targets SET status = 'sent', sent_at = ?, sent_count = sent_count + 1 WHERE seq = ?`),
      cancelOne: db.prepare(`UPDATE command_targets SET status = 'cancelled', active = 0, cancelled_at = ?
        WHERE command_uuid = ? AND enrollment_id = ? AND active = 1`),
      activeOf: db.prepare('SELECT enrollment_id FROM command_targets WHERE command_uuid = ? AND active = 1 ORDER BY seq'),
      getCommand: db.prepare('SELECT * FROM commands WHERE uuid = ? AND org_id = ?'),
      targetsOf: db.prepare('SELECT * FROM command_targets WHERE command_uuid = ? ORDER BY seq'),
      queue: db.prepare(`SELECT t.*, c.request_type FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.enrollment_id = ? AND t.active = 1 ORDER BY t.seq LIMIT ?`),
      history: db.prepare(`SELECT t.*, c.request_type FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.enrollment_id = ? ORDER BY t.seq DESC LIMIT ?`),
    };
  }

  async enqueue(cmd: NewCommand, enrollmentIds: string[], at: Date, event: NewEvent, opts: { notBefore?: Date } = {}) {
    const t = toDb(at);
    // A time already reached is no schedule: the target is delivered at once and owes no later push.
    const notBefore = opts.notBefore && opts.notBefore.getTime() > at.getTime() ? toDb(opts.notBefore) : null;
    return this.db.transaction(() => {
      // Checked inside the (immediate) transaction, so two requests naming the same uuid cannot both pass.
      if (this.s.commandExists.get(cmd.uuid)) return false;
      this.s.insertCommand.run({ ...cmd, command: JSON.stringify(cmd.command), createdAt: t, createdBy: cmd.createdBy ?? null });
      for (const id of enrollmentIds) this.s.insertTarget.run(cmd.uuid, id, t, notBefore);
      this.insertEvent(event, at);
      return true;
    }).immediate();
  }

  private takeNext(enrollmentId: string, skipNotNow: boolean, at: Date): NextCommand | undefined {
    const row = (skipNotNow ? this.s.nextSkipNotNow : this.s.nextAny).get(enrollmentId, toDb(at)) as Row | undefined;
    if (!row) return undefined;
    this.s.markSent.run(toDb(at), row.seq);
    return { uuid: row.command_uuid, body: row.body };
  }

  reportAndNext(r: { enrollmentId: string; commandUuid: string; status: ReportStatus; result: string; at: Date; event: NewEvent }) {
    return this.db.transaction(() => {
      const target = this.s.target.get(r.commandUuid, r.enrollmentId) as Row | undefined;
      if (!target) return { outcome: 'unknown-command' as ReportOutcome };
      const to = r.status;
      let outcome: ReportOutcome;
      if (target.status === 'sent' || (target.status === 'not_now' && to !== 'not_now')) {
        this.s.record.run({ seq: target.seq, status: to, active: to === 'not_now' ? 1 : 0, result: r.result, at: toDb(r.at), notNow: to === 'not_now' ? 1 : 0 });
        this.insertEvent(r.event, r.at);
        outcome = 'recorded';
      } else if (target.status === to) {
        outcome = 'duplicate'; // the device repeated a report whose answer it lost: already recorded
      } else if (target.status === 'cancelled') {
        this.s.lateResult.run(r.result, toDb(r.at), target.seq);
        this.insertEvent(r.event, r.at);
        outcome = 'late-for-cancelled';
      } else {
        return { outcome: 'not-sent' as ReportOutcome };
      }
      // Apple, 'Handling NotNow status responses': a NotNow command is not sent again until the
      // device next reports Idle; other statuses continue the session without NotNow commands.
      const next = this.takeNext(r.enrollmentId, true, r.at);
      this.s.touch.run(toDb(r.at), r.enrollmentId);
      return { outcome, requestType: target.request_type as string, next };
    }).immediate();
  }

  nextForIdle(enrollmentId: string, at: Date) {
    return this.db.transaction(() => {
      const next = this.takeNext(enrollmentId, false, at);
      this.s.touch.run(toDb(at), enrollmentId);
      return next;
    }).immediate();
  }

  /** Peeks without a transaction: the Idle hot path only opens one when there is work due. */
  hasActive(enrollmentId: string, at: Date): boolean {
    return this.s.anyActive.get(enrollmentId, toDb(at)) !== undefined;
  }

  async takeDueWakeups(at: Date, limit = 1000) {
    return this.db.transaction(() => {
      const rows = this.s.dueWakeups.all(toDb(at), limit) as Row[];
      const out = new Map<string, string>();
      for (const r of rows) {
        this.s.markWoken.run(toDb(at), r.seq);
        out.set(r.enrollment_id, r.org_id);
      }
      return [...out].map(([enrollmentId, orgId]) => ({ enrollmentId, orgId }));
    }).immediate();
  }

  async cancel(orgId: string, uuid: string, enrollmentIds: string[] | undefined, at: Date) {
    return this.db.transaction(() => {
      if (!this.s.getCommand.get(uuid, orgId)) return [];
      const ids = enrollmentIds ?? (this.s.activeOf.all(uuid) as Row[]).map((r) => r.enrollment_id as string);
      return ids.filter((id) => this.s.cancelOne.run(toDb(at), uuid, id).changes > 0);
    }).immediate();
  }

  async get(orgId: string, uuid: string) {
    const c = this.s.getCommand.get(uuid, orgId) as Row | undefined;
    if (!c) return undefined;
    return {
      uuid: c.uuid, orgId: c.org_id, requestType: c.request_type, command: JSON.parse(c.command), createdAt: new Date(c.created_at),
      createdBy: c.created_by ?? undefined, targets: (this.s.targetsOf.all(uuid) as Row[]).map(toTarget),
    };
  }

  async listForEnrollment(enrollmentId: string, o: { active: boolean; limit?: number }) {
    const limit = Math.min(o.limit ?? 100, 1000);
    return ((o.active ? this.s.queue : this.s.history).all(enrollmentId, limit) as Row[]).map(toTarget);
  }

  async listForOrg(orgId: string, f: CommandFilter): Promise<CommandSummary[]> {
    const parts = ['c.org_id = @orgId'];
    const params: Record<string, unknown> = { orgId, limit: Math.max(1, Math.min(f.limit, 1001)) };
    if (f.requestType) { parts.push('c.request_type = @requestType'); params.requestType = f.requestType; }
    if (f.serialNumber) {
      parts.push(`c.uuid IN (SELECT t.command_uuid FROM enrollments e JOIN command_targets t ON t.enrollment_id = e.id
        WHERE e.org_id = @orgId AND e.serial_number = @serial)`);
      params.serial = f.serialNumber;
    }
    if (f.status) { parts.push('EXISTS (SELECT 1 FROM command_targets t WHERE t.command_uuid = c.uuid AND t.status = @status)'); params.status = f.status; }
    if (f.after) { parts.push('(c.created_at < @afterAt OR (c.created_at = @afterAt AND c.uuid < @afterUuid))'); params.afterAt = f.after[0]; params.afterUuid = f.after[1]; }
    const rows = this.db.prepare(`SELECT c.uuid, c.request_type, c.created_at, c.created_by FROM commands c WHERE ${parts.join(' AND ')}
      ORDER BY c.created_at DESC, c.uuid DESC LIMIT @limit`).all(params) as Row[];
    const counts = this.db.prepare('SELECT status, COUNT(*) AS n FROM command_targets WHERE command_uuid = ? GROUP BY status');
    return rows.map((r) => ({
      uuid: r.uuid, requestType: r.request_type, createdAt: new Date(r.created_at), createdBy: r.created_by ?? undefined,
      byStatus: Object.fromEntries((counts.all(r.uuid) as Row[]).map((c) => [c.status as string, c.n as number])),
    }));
  }
}
