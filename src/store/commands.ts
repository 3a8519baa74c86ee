// The MDM command queue: one command, many targets (enrolment channels), each with its own state.
// Delivery is in `seq` order per channel. Reports, the next command and its 'sent' mark are one
// transaction, so a crash never leaves a half-recorded exchange; a command marked 'sent' whose
// answer never came stays active and is sent again on the next poll.
// Apple: developer.apple.com/documentation/devicemanagement/sending-mdm-commands-to-a-device
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import { insertEventStatement, type NewEvent } from './events.js';

export type TargetStatus = 'queued' | 'sent' | 'acknowledged' | 'error' | 'command_format_error' | 'not_now' | 'cancelled';
export type ReportStatus = 'Acknowledged' | 'Error' | 'CommandFormatError' | 'NotNow';

export const STATUS_OF_REPORT: Record<ReportStatus, TargetStatus> = {
  Acknowledged: 'acknowledged', Error: 'error', CommandFormatError: 'command_format_error', NotNow: 'not_now',
};

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
  /** Stores the command and one queued target per channel, and an outbox event, in one transaction. */
  enqueue(cmd: NewCommand, enrollmentIds: string[], at: Date, event: NewEvent): Promise<void>;
  /** Records a device's report (unless refused) and picks the next command to send, in one transaction. */
  reportAndNext(r: {
    enrollmentId: string; commandUuid: string; status: ReportStatus; result: string; at: Date; event: NewEvent;
  }): { outcome: ReportOutcome; requestType?: string; next?: NextCommand };
  /** The next command for an Idle poll (NotNow ones included again), marked sent. */
  nextForIdle(enrollmentId: string, at: Date): NextCommand | undefined;
  /** Cancels still-active targets (queued, sent, not now); returns the enrolment ids cancelled. */
  cancel(orgId: string, uuid: string, enrollmentIds: string[] | undefined, at: Date): Promise<string[]>;
  get(orgId: string, uuid: string): Promise<CommandRecord | undefined>;
  /** A channel's queue (active only) or history (everything), oldest first / newest first. */
  listForEnrollment(enrollmentId: string, opts: { active: boolean; limit?: number }): Promise<CommandTarget[]>;
}

type Row = Record<string, any>;
const toTarget = (r: Row): CommandTarget => ({
  seq: r.seq, commandUuid: r.command_uuid, enrollmentId: r.enrollment_id, requestType: r.request_type ?? undefined, status: r.status,
  queuedAt: new Date(r.queued_at), sentAt: fromDbOpt(r.sent_at), sentCount: r.sent_count, notNowCount: r.not_now_count,
  lastNotNowAt: fromDbOpt(r.last_not_now_at), resultAt: fromDbOpt(r.result_at), cancelledAt: fromDbOpt(r.cancelled_at),
  result: r.result ?? undefined,
});

export class SqliteCommandRepository implements CommandRepository {
  private readonly s;
  private readonly insertEvent;
  constructor(private readonly db: Db) {
    this.insertEvent = insertEventStatement(db);
    this.s = {
      insertCommand: db.prepare(`INSERT INTO commands (uuid, org_id, request_type, command, body, created_at, created_by)
        VALUES (@uuid, @orgId, @requestType, @command, @body, @createdAt, @createdBy)`),
      insertTarget: db.prepare(`INSERT INTO command_targets (command_uuid, enrollment_id, status, active, queued_at)
        VALUES (?, ?, 'queued', 1, ?)`),
      target: db.prepare(`SELECT t.seq, t.status, c.request_type FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.command_uuid = ? AND t.enrollment_id = ?`),
      record: db.prepare(`UPDATE command_targets SET status = @status, active = @active, result = @result, result_at = @at,
          not_now_count = not_now_count + @notNow, last_not_now_at = CASE WHEN @notNow = 1 THEN @at ELSE last_not_now_at END
        WHERE seq = @seq`),
      lateResult: db.prepare('UPDATE command_targets SET result = ?, result_at = ? WHERE seq = ?'),
      // One indexed range scan on (enrollment_id, active, seq).
      nextAny: db.prepare(`SELECT t.seq, t.command_uuid, c.body FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.enrollment_id = ? AND t.active = 1 ORDER BY t.seq LIMIT 1`),
      nextSkipNotNow: db.prepare(`SELECT t.seq, t.command_uuid, c.body FROM command_targets t JOIN commands c ON c.uuid = t.command_uuid
        WHERE t.enrollment_id = ? AND t.active = 1 AND t.status != 'not_now' ORDER BY t.seq LIMIT 1`),
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

  async enqueue(cmd: NewCommand, enrollmentIds: string[], at: Date, event: NewEvent) {
    const t = toDb(at);
    this.db.transaction(() => {
      this.s.insertCommand.run({ ...cmd, command: JSON.stringify(cmd.command), createdAt: t, createdBy: cmd.createdBy ?? null });
      for (const id of enrollmentIds) this.s.insertTarget.run(cmd.uuid, id, t);
      this.insertEvent(event, at);
    }).immediate();
  }

  private takeNext(enrollmentId: string, skipNotNow: boolean, at: Date): NextCommand | undefined {
    const row = (skipNotNow ? this.s.nextSkipNotNow : this.s.nextAny).get(enrollmentId) as Row | undefined;
    if (!row) return undefined;
    this.s.markSent.run(toDb(at), row.seq);
    return { uuid: row.command_uuid, body: row.body };
  }

  reportAndNext(r: { enrollmentId: string; commandUuid: string; status: ReportStatus; result: string; at: Date; event: NewEvent }) {
    return this.db.transaction(() => {
      const target = this.s.target.get(r.commandUuid, r.enrollmentId) as Row | undefined;
      if (!target) return { outcome: 'unknown-command' as ReportOutcome };
      const to = STATUS_OF_REPORT[r.status];
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
      return { outcome, requestType: target.request_type as string, next: this.takeNext(r.enrollmentId, true, r.at) };
    }).immediate();
  }

  nextForIdle(enrollmentId: string, at: Date) {
    return this.db.transaction(() => this.takeNext(enrollmentId, false, at)).immediate();
  }

  /** Peeks without a transaction: the Idle hot path only opens one when there is work. */
  hasActive(enrollmentId: string): boolean {
    return this.s.nextAny.get(enrollmentId) !== undefined;
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
}
