// Waking devices: one MDM push per channel, however many commands wait for it, through the
// organisation's push certificate; APNs' answers handled as Apple documents ("Handling
// notification responses from APNs"; PROTOCOLS.md §7) and recorded per channel:
//   200 → delivered; the re-push back-off starts (the device should connect soon)
//   410 Unregistered → no more pushes to the token until a TokenUpdate later than APNs' timestamp
//   400 BadDeviceToken / DeviceTokenNotForTopic → the token is marked bad until a new TokenUpdate
//   403 (certificate) → recorded on the push certificate; the organisation is not pushed until a
//       certificate is installed. BadTopic/TopicDisallowed are recorded there too.
//   429 / 5xx / dropped connection → retried by the sender with full-jitter back-off, bounded.
import type { PushOutcome, PushStatus } from '../apns/sender.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { PushChannel, PushLogEntry, PushRecord, PushState, PushTrigger } from '../store/push-outcomes.js';
import type { PushCertificateService, PushIdentity } from './push-certificates.js';
import { pushBlock } from './push-eligibility.js';
import type { PushSenderPool } from './push-senders.js';

export type SkipReason =
  | 'not_found' | 'not_enrolled' | 'no_token' | 'unregistered' | 'bad_token' | 'no_certificate' | 'certificate_refused'
  | 'apns_not_configured' | 'in_flight';

export interface PushResult {
  enrollmentId: string;
  status: PushStatus | 'skipped';
  skipped?: SkipReason;
  httpStatus?: number;
  reason?: string;
  apnsId?: string;
  attempts: number;
}

/** How often a channel that was pushed but has not connected is pushed again. */
export interface RepushPolicy {
  /** Wait after the first push, ms (doubles per push). Default 60 s. */
  baseMs: number;
  /** Longest wait, ms. Default 1 hour. */
  maxMs: number;
  /** Pushes without a connection after which Orchard stops (the next command pushes again). Default 8. */
  maxPushes: number;
}

export const DEFAULT_REPUSH: RepushPolicy = { baseMs: 60_000, maxMs: 3_600_000, maxPushes: 8 };

/** Refusals that mean the certificate (or its topic) is wrong rather than the device. */
const CERTIFICATE_REASONS = new Set(['BadTopic', 'TopicDisallowed', 'MissingTopic', 'BadCertificate', 'BadCertificateEnvironment', 'Forbidden']);

export class PushService {
  private readonly inFlight = new Set<string>();
  private readonly pending = new Map<string, Set<string>>();
  private flushScheduled: Promise<void> | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly certificates: PushCertificateService,
    readonly senders: PushSenderPool,
    private readonly policy: RepushPolicy = DEFAULT_REPUSH,
    private logger?: Logger,
  ) {}

  setLogger(logger: Logger): void {
    this.logger = logger;
  }

  /** The wait before re-push number `n + 1`, after `n` pushes without a connection. */
  backoffMs(n: number): number {
    return Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.max(0, n - 1));
  }

  /** Pushes each channel of `orgId` once, now, and records the outcomes. */
  async push(orgId: string, enrollmentIds: string[], trigger: PushTrigger = 'on-demand'): Promise<PushResult[]> {
    const ids = [...new Set(enrollmentIds)];
    const channels = new Map((await this.store.pushOutcomes.channels(ids)).map((c) => [c.enrollmentId, c]));
    const results = new Map<string, PushResult>();
    const skip = (id: string, why: SkipReason) => results.set(id, { enrollmentId: id, status: 'skipped', skipped: why, attempts: 0 });
    const ready: PushChannel[] = [];
    for (const id of ids) {
      const c = channels.get(id);
      const blocked = c && pushBlock(c);
      if (!c || c.orgId !== orgId) skip(id, 'not_found');
      else if (blocked) skip(id, blocked);
      else if (c.badTokenAt && !(c.tokenUpdatedAt && c.tokenUpdatedAt > c.badTokenAt)) skip(id, 'bad_token');
      else if (this.inFlight.has(id)) skip(id, 'in_flight');
      else ready.push(c);
    }
    if (ready.length) {
      const identity = await this.certificates.identity(orgId);
      const refused = !identity ? 'no_certificate' : identity.lastError?.blocking ? 'certificate_refused' : !this.senders.configured ? 'apns_not_configured' : undefined;
      if (refused) for (const c of ready) skip(c.enrollmentId, refused);
      else await this.send(orgId, identity!, ready, trigger, results);
    }
    return ids.map((id) => results.get(id)!);
  }

  private async send(orgId: string, identity: PushIdentity, ready: PushChannel[], trigger: PushTrigger, results: Map<string, PushResult>): Promise<void> {
    for (const c of ready) {
      this.inFlight.add(c.enrollmentId);
      if (c.badTokenAt) await this.store.pushOutcomes.clearBadToken(c.enrollmentId);
    }
    try {
      const byTopic = groupBy(ready, (c) => c.topic ?? identity.topic);
      const records: PushRecord[] = [];
      for (const [topic, group] of byTopic) {
        const sender = await this.senders.get(orgId, identity, topic);
        // The push's time is when it was handed to APNs, not when APNs answered: a device can get
        // it and connect before the answer (and before a large batch finishes), and that connect
        // must count as "connected since the push" for the back-off and the re-push query.
        const at = this.clock.now();
        const outcomes = await sender.send(group.map((c) => ({ token: c.pushToken!, pushMagic: c.pushMagic! })));
        for (let i = 0; i < group.length; i++) {
          const c = group[i]!;
          const o = outcomes[i]!;
          records.push(await this.apply(orgId, identity, c, o, trigger, at));
          results.set(c.enrollmentId, {
            enrollmentId: c.enrollmentId, status: o.status, attempts: o.attempts,
            ...(o.httpStatus === undefined ? {} : { httpStatus: o.httpStatus }),
            ...(o.reason === undefined ? {} : { reason: o.reason }), ...(o.apnsId === undefined ? {} : { apnsId: o.apnsId }),
          });
        }
      }
      await this.store.pushOutcomes.record(records);
    } finally {
      for (const c of ready) this.inFlight.delete(c.enrollmentId);
    }
  }

  /** What one outcome changes, and the record of it. */
  private async apply(orgId: string, identity: PushIdentity, c: PushChannel, o: PushOutcome, trigger: PushTrigger, at: Date): Promise<PushRecord> {
    // The back-off counts pushes since the channel last connected.
    const connectedSince = !c.lastPushAt || (c.lastSeenAt !== undefined && c.lastSeenAt >= c.lastPushAt);
    const pushes = connectedSince ? 1 : c.pushes + 1;
    const rec: PushRecord = {
      orgId, enrollmentId: c.enrollmentId, at, trigger, status: o.status, attempts: o.attempts, pushes,
      ...(o.httpStatus === undefined ? {} : { httpStatus: o.httpStatus }),
      ...(o.reason === undefined ? {} : { reason: o.reason }), ...(o.apnsId === undefined ? {} : { apnsId: o.apnsId }),
    };
    switch (o.status) {
      case 'delivered':
      case 'failed':
        if (pushes < this.policy.maxPushes) rec.nextPushAt = new Date(at.getTime() + this.backoffMs(pushes));
        break;
      case 'unregistered':
        await this.store.pushOutcomes.markUnregistered(c.enrollmentId, c.pushToken!, o.unregisteredAt ?? at);
        break;
      case 'bad-token':
        rec.badTokenAt = at;
        break;
      case 'fatal':
        if (o.httpStatus === 403 || CERTIFICATE_REASONS.has(o.reason ?? '')) {
          await this.certificates.recordError(orgId, identity.serialNumber, {
            status: o.httpStatus ?? 0, reason: o.reason ?? 'unknown', at, blocking: o.httpStatus === 403,
          });
        }
        this.logger?.warn('APNs refused a push', { org_id: orgId, enrollment_id: c.enrollmentId, status: o.httpStatus, reason: o.reason });
        break;
    }
    return rec;
  }

  /**
   * Pushes soon, in the background: every request made in the same turn of the event loop is
   * one batch, so a channel named by several commands queued together gets one push.
   */
  pushSoon(orgId: string, enrollmentIds: string[], trigger: PushTrigger = 'command'): Promise<void> {
    if (enrollmentIds.length === 0) return Promise.resolve();
    let set = this.pending.get(orgId);
    if (!set) this.pending.set(orgId, (set = new Set()));
    for (const id of enrollmentIds) set.add(id);
    this.flushScheduled ??= this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.flushScheduled = undefined;
      const batches = [...this.pending];
      this.pending.clear();
      await Promise.all(batches.map(([org, ids]) => this.push(org, [...ids], trigger).catch((err: unknown) => {
        this.logger?.error('push failed', { org_id: org, error: String(err) });
      })));
    }));
    return this.flushScheduled;
  }

  /** Pushes again every channel whose back-off has run out without it connecting. */
  async repushDue(limit = 500): Promise<number> {
    const due = await this.store.pushOutcomes.due(this.clock.now(), limit);
    const byOrg = groupBy(due, (d) => d.orgId, (d) => d.enrollmentId);
    let pushed = 0;
    for (const [org, ids] of byOrg) {
      const r = await this.track(this.push(org, ids, 'repush'));
      pushed += r.filter((x) => x.status !== 'skipped').length;
    }
    return pushed;
  }

  /** Resolves when every background push started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async state(enrollmentId: string): Promise<PushState | undefined> {
    return this.store.pushOutcomes.state(enrollmentId);
  }

  async log(enrollmentId: string, limit = 20): Promise<PushLogEntry[]> {
    return this.store.pushOutcomes.log(enrollmentId, limit);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }
}

/**
 * Groups `items` by `key`, in order, appending in place: a push batch is up to 10,000 channels,
 * and copying the group on each append (`[...group, item]`) made grouping quadratic.
 */
export function groupBy<T, V = T>(items: Iterable<T>, key: (item: T) => string, value: (item: T) => V = (item) => item as unknown as V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(value(item));
    else out.set(k, [value(item)]);
  }
  return out;
}
