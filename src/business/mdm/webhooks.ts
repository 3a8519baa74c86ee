// Webhook delivery of the events outbox. Each event (check-ins, command results, queued
// commands) was written in the same transaction as its change; the worker fans new events out
// to every active endpoint of the organisation (a per-endpoint cursor, advanced in the same
// transaction that creates the pending deliveries), then POSTs the due ones. Every attempt is
// recorded, failures retry with exponential back-off, and nothing pending is lost on a restart:
// the state lives in the database, not in memory.
// Signature: `X-Orchard-Signature: sha256=<hex HMAC-SHA256 of the exact body with the secret>`.
import { createHmac } from 'node:crypto';
import { invalid, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import type { Clock, Ids } from '../../clock.js';
import type { Logger } from '../../log.js';
import { PeriodicTask } from '../../periodic.js';
import type { DueDelivery, Webhook } from '../../store/events.js';
import type { Store } from '../../store/index.js';

export const SIGNATURE_HEADER = 'X-Orchard-Signature';
export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** 1 s, 2 s, 4 s … capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number }>;

export class WebhookService {
  private task?: PeriodicTask;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly fetchImpl: FetchLike = (url, init) => fetch(url, init),
  ) {}

  async create(actor: Principal, url: unknown): Promise<Webhook> {
    let parsed: URL;
    try {
      parsed = new URL(String(url ?? ''));
    } catch {
      throw invalid('url_invalid', 'url must be an absolute http(s) URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('url_invalid', 'url must be an absolute http(s) URL');
    const hook: Webhook = { id: this.ids.uuid(), orgId: actor.orgId, url: parsed.toString(), secret: this.ids.hex(32), active: true, createdAt: this.clock.now() };
    await this.store.events.createWebhook(hook);
    return hook;
  }

  list(actor: Principal) {
    return this.store.events.listWebhooks(actor.orgId);
  }

  async remove(actor: Principal, id: string) {
    if (!(await this.store.events.deleteWebhook(actor.orgId, id))) throw notFound('webhook');
  }

  events(actor: Principal, opts: { afterId?: number; limit?: number; type?: string }) {
    return this.store.events.list(actor.orgId, opts);
  }

  /** One pass: fan out new events, then attempt every due delivery. Returns how many were attempted. */
  async runOnce(logger?: Logger): Promise<number> {
    const now = this.clock.now();
    await this.store.events.fanOut(now);
    const due = await this.store.events.due(now, 50);
    await Promise.all(due.map((d) => this.deliver(d, logger)));
    return due.length;
  }

  private async deliver(d: DueDelivery, logger?: Logger) {
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await this.fetchImpl(d.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(d.secret, d.payload),
          'X-Orchard-Event': d.type, 'X-Orchard-Delivery': String(d.eventId),
        },
        body: d.payload,
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).message ?? String(err);
    }
    const at = this.clock.now();
    const attempts = d.attempts + 1;
    const ok = error === undefined;
    if (!ok) logger?.warn('webhook delivery failed', { webhook: d.webhookId, event: d.eventId, attempts, error });
    await this.store.events.recordAttempt(d.eventId, d.webhookId, {
      at, ok, status, error, giveUp: !ok && attempts >= MAX_ATTEMPTS, nextAttemptAt: ok ? undefined : new Date(at.getTime() + backoffMs(attempts)),
    });
  }

  /** Starts the background worker (one pass at a time). */
  start(intervalMs: number, logger?: Logger) {
    this.task = new PeriodicTask('webhook worker', () => this.runOnce(logger));
    this.task.start(intervalMs, logger);
  }

  async stop() {
    await this.task?.stop();
  }
}
