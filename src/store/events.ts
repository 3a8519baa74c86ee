// The events outbox (table `events`, 0001) and webhook delivery state (0004). Events are written
// by other repositories inside their own transactions with `insertEventStatement`; the webhook
// worker fans them out to each endpoint of the organisation and records every attempt.
import { lazyProperty, type ColumnSealer } from './sealed-columns.js';
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';

export interface NewEvent {
  orgId: string;
  type: string;
  /** The JSON body delivered to webhooks, as a string (built once by the writer). */
  payload: string;
}

export interface EventRecord extends NewEvent {
  id: number;
  createdAt: Date;
}

export interface Webhook {
  id: string;
  orgId: string;
  url: string;
  secret: string;
  active: boolean;
  createdAt: Date;
}

export interface Delivery {
  eventId: number;
  webhookId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt?: Date;
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: Date;
}

export interface DueDelivery extends Delivery {
  url: string;
  secret: string;
  payload: string;
  type: string;
}

export interface EventRepository {
  append(e: NewEvent, at: Date): Promise<number>;
  list(orgId: string, opts?: { afterId?: number; limit?: number; type?: string }): Promise<Array<EventRecord & { deliveries: Delivery[] }>>;
  createWebhook(w: Webhook): Promise<void>;
  listWebhooks(orgId: string): Promise<Webhook[]>;
  deleteWebhook(orgId: string, id: string): Promise<boolean>;
  /** Creates pending deliveries for events newer than each active webhook's cursor; returns how many. */
  fanOut(at: Date, limit?: number): Promise<number>;
  due(at: Date, limit?: number): Promise<DueDelivery[]>;
  recordAttempt(eventId: number, webhookId: string, r: { at: Date; ok: boolean; status?: number; error?: string; nextAttemptAt?: Date; giveUp?: boolean }): Promise<void>;
}

/** A prepared INSERT for the outbox, for repositories that write an event in their own transaction. */
export function insertEventStatement(db: Db) {
  const stmt = db.prepare('INSERT INTO events (org_id, type, payload, created_at) VALUES (?, ?, ?, ?)');
  return (e: NewEvent, at: Date): number => Number(stmt.run(e.orgId, e.type, e.payload, toDb(at)).lastInsertRowid);
}

type Row = Record<string, any>;
const toDelivery = (r: Row): Delivery => ({
  eventId: r.event_id, webhookId: r.webhook_id, status: r.status, attempts: r.attempts, nextAttemptAt: new Date(r.next_attempt_at),
  lastAttemptAt: fromDbOpt(r.last_attempt_at), lastStatus: r.last_status ?? undefined, lastError: r.last_error ?? undefined,
  deliveredAt: fromDbOpt(r.delivered_at),
});
// The secret is sealed at rest (sealed-columns.ts) and opened only when read (to sign a delivery).
const toWebhook = (r: Row, sealer: ColumnSealer): Webhook =>
  lazyProperty({ id: r.id, orgId: r.org_id, url: r.url, active: !!r.active, createdAt: new Date(r.created_at) } as Webhook, 'secret', () => sealer.text(r.secret));

export class SqliteEventRepository implements EventRepository {
  private readonly s;
  private readonly insertEvent;
  constructor(private readonly db: Db, private readonly sealer: ColumnSealer) {
    this.insertEvent = insertEventStatement(db);
    this.s = {
      page: db.prepare(`SELECT * FROM events WHERE org_id = @orgId AND id > @afterId AND (@type IS NULL OR type = @type)
        ORDER BY id LIMIT @limit`),
      deliveriesOf: db.prepare('SELECT * FROM event_deliveries WHERE event_id = ? ORDER BY webhook_id'),
      insertWebhook: db.prepare(`INSERT INTO webhooks (id, org_id, url, secret, active, created_at, cursor)
        VALUES (@id, @orgId, @url, @secret, @active, @createdAt, (SELECT coalesce(max(id), 0) FROM events))`),
      listWebhooks: db.prepare('SELECT * FROM webhooks WHERE org_id = ? ORDER BY created_at'),
      deleteWebhook: db.prepare('DELETE FROM webhooks WHERE org_id = ? AND id = ?'),
      activeWebhooks: db.prepare('SELECT id, org_id, cursor FROM webhooks WHERE active = 1'),
      newEvents: db.prepare('SELECT id FROM events WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?'),
      maxEvent: db.prepare('SELECT coalesce(max(id), 0) AS id FROM events'),
      insertDelivery: db.prepare(`INSERT OR IGNORE INTO event_deliveries (event_id, webhook_id, status, attempts, next_attempt_at)
        VALUES (?, ?, 'pending', 0, ?)`),
      advance: db.prepare('UPDATE webhooks SET cursor = ? WHERE id = ?'),
      due: db.prepare(`SELECT d.*, w.url, w.secret, e.payload, e.type FROM event_deliveries d
        JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.event_id LIMIT ?`),
      attempt: db.prepare(`UPDATE event_deliveries SET attempts = attempts + 1, last_attempt_at = @at, last_status = @status,
        last_error = @error, status = @newStatus, next_attempt_at = coalesce(@next, next_attempt_at),
        delivered_at = CASE WHEN @newStatus = 'delivered' THEN @at ELSE delivered_at END
        WHERE event_id = @eventId AND webhook_id = @webhookId`),
    };
  }
  async append(e: NewEvent, at: Date) {
    return this.insertEvent(e, at);
  }
  async list(orgId: string, opts: { afterId?: number; limit?: number; type?: string } = {}) {
    const rows = this.s.page.all({ orgId, afterId: opts.afterId ?? 0, limit: Math.min(Math.max(opts.limit ?? 100, 1), 1001), type: opts.type ?? null }) as Row[];
    return rows.map((r) => ({
      id: r.id, orgId: r.org_id, type: r.type, payload: r.payload, createdAt: new Date(r.created_at),
      deliveries: (this.s.deliveriesOf.all(r.id) as Row[]).map(toDelivery),
    }));
  }
  async createWebhook(w: Webhook) {
    this.s.insertWebhook.run({ ...w, secret: this.sealer.seal(w.secret), active: w.active ? 1 : 0, createdAt: toDb(w.createdAt) });
  }
  async listWebhooks(orgId: string) {
    return (this.s.listWebhooks.all(orgId) as Row[]).map((r) => toWebhook(r, this.sealer));
  }
  async deleteWebhook(orgId: string, id: string) {
    return this.s.deleteWebhook.run(orgId, id).changes > 0;
  }
  async fanOut(at: Date, limit = 500) {
    return this.db.transaction(() => {
      let n = 0;
      for (const w of this.s.activeWebhooks.all() as Row[]) {
        const ids = (this.s.newEvents.all(w.org_id, w.cursor, limit) as Row[]).map((r) => r.id as number);
        for (const id of ids) n += this.s.insertDelivery.run(id, w.id, toDb(at)).changes;
        // Events of other organisations also move the cursor forward, so it never rescans them.
        const last = ids.length === limit ? ids[ids.length - 1]! : (this.s.maxEvent.get() as Row).id;
        if (last > w.cursor) this.s.advance.run(last, w.id);
      }
      return n;
    }).immediate();
  }
  async due(at: Date, limit = 50) {
    return (this.s.due.all(toDb(at), limit) as Row[]).map((r) => ({ ...toDelivery(r), url: r.url, secret: this.sealer.text(r.secret), payload: r.payload, type: r.type }));
  }
  async recordAttempt(eventId: number, webhookId: string, r: { at: Date; ok: boolean; status?: number; error?: string; nextAttemptAt?: Date; giveUp?: boolean }) {
    this.s.attempt.run({
      eventId, webhookId, at: toDb(r.at), status: r.status ?? null, error: r.error ?? null,
      newStatus: r.ok ? 'delivered' : r.giveUp ? 'failed' : 'pending', next: r.nextAttemptAt ? toDb(r.nextAttemptAt) : null,
    });
  }
}
