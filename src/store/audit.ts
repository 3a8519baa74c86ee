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
  list(orgId: string, opts?: { limit?: number; beforeId?: number; q?: string; outcome?: string }): Promise<AuditEntry[]>;
}

type Row = Record<string, any>;

export class SqliteAuditRepository implements AuditRepository {
  private readonly insert;
  private readonly page;
  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO audit_log (org_id, actor, actor_email, action, target, outcome, detail, at)
      VALUES (@orgId, @actor, @actorEmail, @action, @target, @outcome, @detail, @at)`);
    this.page = db.prepare(`SELECT * FROM audit_log WHERE org_id = @orgId AND id < @beforeId
      AND (@outcome IS NULL OR outcome = @outcome)
      AND (@q IS NULL OR instr(lower(coalesce(actor_email, '') || ' ' || action || ' ' || coalesce(target, '')), lower(@q)) > 0)
      ORDER BY id DESC LIMIT @limit`);
  }
  async append(e: AuditEntry) {
    this.insert.run({
      orgId: e.orgId ?? null, actor: e.actor ?? null, actorEmail: e.actorEmail ?? null, action: e.action,
      target: e.target ?? null, outcome: e.outcome, detail: e.detail ? JSON.stringify(e.detail) : null, at: toDb(e.at),
    });
  }
  async list(orgId: string, opts: { limit?: number; beforeId?: number; q?: string; outcome?: string } = {}) {
    const rows = this.page.all({
      orgId, beforeId: opts.beforeId ?? Number.MAX_SAFE_INTEGER, limit: Math.min(opts.limit ?? 100, 1001), q: opts.q || null, outcome: opts.outcome ?? null,
    }) as Row[];
    return rows.map((r) => ({
      id: r.id, orgId: r.org_id ?? undefined, actor: r.actor ?? undefined, actorEmail: r.actor_email ?? undefined,
      action: r.action, target: r.target ?? undefined, outcome: r.outcome, detail: r.detail ? JSON.parse(r.detail) : undefined,
      at: new Date(r.at),
    }));
  }
}
