import type { Db } from './db.js';
import { toDb } from './db.js';

export interface AuditEntry {
  id?: number;
  orgId?: string;
  actor?: string;
  actorEmail?: string;
  action: string;
  target?: string;
  outcome: 'success' | 'denied' | 'failed';
  detail?: Record<string, unknown>;
  at: Date;
}

export interface AuditRepository {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; `q` matches the actor's email, the action or the target (case-insensitive), `outcome` exactly. */
  list(orgId: string, opts?: AuditFilter): Promise<AuditEntry[]>;
}

/** The audit log, newest first: before an id (keyset paging), by actor (account id or email), action and time. */
export interface AuditFilter { limit?: number; beforeId?: number; actor?: string; action?: string; since?: Date; until?: Date; q?: string; outcome?: string }

type Row = Record<string, any>;

export class SqliteAuditRepository implements AuditRepository {
  private readonly insert;
  private readonly pages = new Map<string, ReturnType<Db['prepare']>>();
  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT INTO audit_log (org_id, actor, actor_email, action, target, outcome, detail, at)
      VALUES (@orgId, @actor, @actorEmail, @action, @target, @outcome, @detail, @at)`);
  }
  async append(e: AuditEntry) {
    this.insert.run({
      orgId: e.orgId ?? null, actor: e.actor ?? null, actorEmail: e.actorEmail ?? null, action: e.action,
      target: e.target ?? null, outcome: e.outcome, detail: e.detail ? JSON.stringify(e.detail) : null, at: toDb(e.at),
    });
  }
  async list(orgId: string, opts: AuditFilter = {}) {
    // Only the conditions given, so SQLite can pick the (org_id, action, id) or (org_id, actor, id) index.
    const parts = ['org_id = @orgId', 'id < @beforeId'];
    if (opts.actor !== undefined) parts.push('(actor = @actor OR actor_email = @actor)');
    if (opts.action !== undefined) parts.push('action = @action');
    if (opts.since) parts.push('at >= @since');
    if (opts.until) parts.push('at <= @until');
    if (opts.outcome !== undefined) parts.push('outcome = @outcome');
    if (opts.q) parts.push("instr(lower(coalesce(actor_email, '') || ' ' || action || ' ' || coalesce(target, '')), lower(@q)) > 0");
    const sql = `SELECT * FROM audit_log WHERE ${parts.join(' AND ')} ORDER BY id DESC LIMIT @limit`;
    let page = this.pages.get(sql);
    if (!page) { page = this.db.prepare(sql); this.pages.set(sql, page); }
    const rows = page.all({
      orgId, beforeId: opts.beforeId ?? Number.MAX_SAFE_INTEGER, limit: Math.min(opts.limit ?? 100, 1001),
      ...(opts.actor !== undefined ? { actor: opts.actor } : {}), ...(opts.action !== undefined ? { action: opts.action } : {}),
      ...(opts.since ? { since: toDb(opts.since) } : {}), ...(opts.until ? { until: toDb(opts.until) } : {}),
      ...(opts.outcome !== undefined ? { outcome: opts.outcome } : {}), ...(opts.q ? { q: opts.q } : {}),
    }) as Row[];
    return rows.map((r) => ({
      id: r.id, orgId: r.org_id ?? undefined, actor: r.actor ?? undefined, actorEmail: r.actor_email ?? undefined,
      action: r.action, target: r.target ?? undefined, outcome: r.outcome, detail: r.detail ? JSON.parse(r.detail) : undefined,
      at: new Date(r.at),
    }));
  }
}
