// The outbox's rows (migration 0012): one per email, written alone or inside another repository's
// transaction (insertSync), so a state change and the email it owes commit together.
import type { Db } from './db.js';
import { toDb } from './db.js';

export interface OutboxMail {
  id: string;
  createdAt: Date;
  to: string;
  subject: string;
  kind: string;
  organisationId?: string;
  /** The whole message, RFC 5322. */
  eml: string;
}

export interface OutboxRepository {
  insert(mail: OutboxMail): Promise<void>;
  /** The newest mail to an address (lower case), of one kind when given. */
  latestTo(to: string, kind?: string): Promise<OutboxMail | undefined>;
  /** Newest first. */
  list(opts?: { to?: string; organisationId?: string; limit?: number }): Promise<OutboxMail[]>;
}

type Row = Record<string, any>;
const toMail = (r: Row): OutboxMail => ({
  id: r.id, createdAt: new Date(r.created_at), to: r.to, subject: r.subject, kind: r.kind,
  organisationId: r.organisation_id ?? undefined, eml: r.eml,
});

export class SqliteOutboxRepository implements OutboxRepository {
  private readonly stmts;
  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO outbox (id, created_at, "to", subject, kind, organisation_id, eml)
        VALUES (@id, @createdAt, @to, @subject, @kind, @organisationId, @eml)`),
      latest: db.prepare(`SELECT * FROM outbox WHERE "to" = @to AND (@kind IS NULL OR kind = @kind)
        ORDER BY created_at DESC, rowid DESC LIMIT 1`),
      list: db.prepare(`SELECT * FROM outbox WHERE (@to IS NULL OR "to" = @to) AND (@org IS NULL OR organisation_id = @org)
        ORDER BY created_at DESC, rowid DESC LIMIT @limit`),
    };
  }
  /** For other repositories' transactions: synchronous, no transaction of its own. */
  insertSync(m: OutboxMail): void {
    this.stmts.insert.run({ ...m, to: m.to.toLowerCase(), organisationId: m.organisationId ?? null, createdAt: toDb(m.createdAt) });
  }
  async insert(m: OutboxMail) {
    this.insertSync(m);
  }
  async latestTo(to: string, kind?: string) {
    const r = this.stmts.latest.get({ to: to.toLowerCase(), kind: kind ?? null }) as Row | undefined;
    return r && toMail(r);
  }
  async list(opts: { to?: string; organisationId?: string; limit?: number } = {}) {
    const rows = this.stmts.list.all({ to: opts.to?.toLowerCase() ?? null, org: opts.organisationId ?? null, limit: Math.min(opts.limit ?? 100, 1000) }) as Row[];
    return rows.map(toMail);
  }
}
