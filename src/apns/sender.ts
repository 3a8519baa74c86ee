// Orchard's MDM push sender: `{"mdm":"<PushMagic>"}` to each device token over APNs' HTTP/2
// provider API with the MDM push certificate as TLS client identity (PROTOCOLS.md §7), through
// @parse/node-apn. Retries 429, 5xx and connection errors with full-jitter back-off; never
// retries 400/403/410 ("Handling notification responses from APNs"). node-apn's own retry is
// switched off (it ignores back-off) so this module owns the policy.
//
// Several HTTP/2 connections (node-apn's MultiProvider, round robin): Apple recommends keeping
// connections open and using more than one for throughput ("Sending notification requests to
// APNs", "Maintain your connection with APNs"); each connection is one TLS session with the same
// provider certificate. The request headers are the same for every push of a batch, so they are
// built once per batch, and each push is handed to node-apn's client already compiled (what
// Provider.send does per call: Notification.headers(), compile(), Promise.allSettled over the
// recipients) — see apns-write.ts.
import { setTimeout as sleepMs } from 'node:timers/promises';
import { createApnsWriter, type BuiltPush, type NodeApnResult } from './apns-write.js';
import { fullJitterDelay, Limiter, type RetryPolicy } from './backoff.js';
import { classifyApnsResponse, DEFAULT_CONNECTIONS, HEADER, mdmPayloadJson } from './wire.js';

export interface PushTarget {
  /** Device token, hex (from TokenUpdate's `Token`). */
  token: string;
  /** From TokenUpdate's `PushMagic`. */
  pushMagic: string;
}

export type PushStatus = 'delivered' | 'unregistered' | 'bad-token' | 'fatal' | 'failed';

export interface PushOutcome {
  token: string;
  /** `failed`: retryable errors until the attempts ran out. */
  status: PushStatus;
  /** The last HTTP status, absent after a connection error. */
  httpStatus?: number;
  /** APNs' `reason`, or a connection error's message. */
  reason?: string;
  apnsId?: string;
  /** Requests made for this target (0 when skipped after a fatal 403, see `send`). */
  attempts: number;
  /** With `unregistered`: when APNs learnt the token was dead. Ignore TokenUpdates older than this. */
  unregisteredAt?: Date;
}

export interface PushSenderOptions {
  certPem: string;
  keyPem: string;
  /** The push certificate's topic (its subject UID). */
  topic: string;
  /** Apple's production host when true, else the sandbox host; ignored when `address` is set. */
  production: boolean;
  /** Host to push to instead of Apple's (e.g. the simulator's 127.0.0.1). */
  address?: string;
  port?: number;
  /** Extra trust anchor for the server's TLS certificate (the simulator's CA). */
  caPem?: string;
  clock?: { now(): Date };
  /** [0, 1) source for back-off jitter. */
  random?: () => number;
  retry?: RetryPolicy;
  /** Requests in flight at once, over all connections. Default 1000, about what APNs advertises per connection. */
  concurrency?: number;
  /** HTTP/2 connections to APNs, used round robin. Default DEFAULT_CONNECTIONS. */
  connections?: number;
  /** `apns-expiration` = now + this, in seconds. Default 7 days (APNs keeps at most 30). */
  expiresInSeconds?: number;
  /** Per-request timeout in ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Waits between retries; replaceable in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PushSender {
  /**
   * Push to every target concurrently; outcomes are in the order of `targets`. After a 403
   * (certificate or environment refused: the connection's identity is wrong), targets not yet
   * sent are not sent and get the same `fatal` outcome with `attempts: 0`.
   */
  send(targets: PushTarget[]): Promise<PushOutcome[]>;
  shutdown(): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 200, maxMs: 10_000 };
export { DEFAULT_CONNECTIONS };

interface Answer {
  httpStatus: number | undefined;
  reason: string | undefined;
  apnsId: string | undefined;
  timestamp: number | undefined;
}

function readAnswer(ok: boolean, f: NodeApnResult): Answer {
  if (ok) return { httpStatus: 200, reason: undefined, apnsId: f['apns-id'], timestamp: undefined };
  const httpStatus = typeof f.status === 'number' ? f.status : undefined;
  let reason = f.response?.reason;
  // node-apn replaces 500's body by its own error; the reason is then the documented one.
  if (httpStatus === 500 && reason === undefined) reason = 'InternalServerError';
  if (httpStatus === undefined) reason = f.error?.message ?? 'connection error';
  const ts = f.response?.timestamp;
  return { httpStatus, reason, apnsId: f['apns-id'], timestamp: ts === undefined ? undefined : Number(ts) };
}

export function createPushSender(opts: PushSenderOptions): PushSender {
  const clock = opts.clock ?? { now: () => new Date() };
  const random = opts.random ?? Math.random;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const sleep = opts.sleep ?? ((ms: number) => sleepMs(ms));
  const concurrency = opts.concurrency ?? 1000;
  const connections = opts.connections ?? DEFAULT_CONNECTIONS;
  const limiter = new Limiter(concurrency);
  const expiresIn = opts.expiresInSeconds ?? 7 * 24 * 3600;
  if (!(retry.attempts >= 1)) throw new RangeError('retry.attempts must be at least 1');
  if (!Number.isInteger(connections) || connections < 1) throw new RangeError('connections must be a positive integer');

  const writer = createApnsWriter({
    cert: opts.certPem,
    key: opts.keyPem,
    production: opts.production,
    ...(opts.address === undefined ? {} : { address: opts.address }),
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.caPem === undefined ? {} : { ca: [opts.caPem] }),
    clientCount: connections,
    connectionRetryLimit: 0,
    requestTimeout: opts.requestTimeoutMs ?? 10_000,
  });

  async function attempt(built: BuiltPush, token: string): Promise<Answer> {
    if (!limiter.tryAcquire()) await limiter.acquire();
    try {
      const { ok, result } = await writer.write(built, token);
      return readAnswer(ok, result);
    } finally {
      limiter.release();
    }
  }

  async function sendBatch(targets: PushTarget[]): Promise<PushOutcome[]> {
    let refused: { httpStatus: number; reason: string | undefined } | undefined;
    // The same for every push of the batch, in the order node-apn's Notification.headers()
    // writes them; node-apn copies them into each request's own header object.
    const headers: Record<string, string | number> = {
      [HEADER.priority]: 10,
      [HEADER.expiration]: Math.floor(clock.now().getTime() / 1000) + expiresIn,
      [HEADER.topic]: opts.topic,
      [HEADER.pushType]: 'mdm',
    };

    async function sendOne(target: PushTarget): Promise<PushOutcome> {
      const built: BuiltPush = { headers, body: mdmPayloadJson(target.pushMagic) };
      let last: Answer | undefined;
      for (let n = 1; n <= retry.attempts; n++) {
        if (refused) return { token: target.token, status: 'fatal', ...refused, attempts: n - 1 };
        if (n > 1) await sleep(fullJitterDelay(n - 1, retry, random));
        last = await attempt(built, target.token);
        const cls = classifyApnsResponse(last.httpStatus, last.reason);
        if (cls === 'retry') continue;
        if (cls === 'fatal' && last.httpStatus === 403) refused ??= { httpStatus: 403, reason: last.reason };
        return outcome(target.token, cls, last, n);
      }
      return outcome(target.token, 'failed', last!, retry.attempts);
    }

    // A pool of workers rather than one promise per target: a batch may hold every enrolled
    // device, and the limiter bounds requests in flight across concurrent batches.
    const outcomes = new Array<PushOutcome>(targets.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < targets.length) {
        const i = next++;
        outcomes[i] = await sendOne(targets[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
    return outcomes;
  }

  return {
    send: sendBatch,
    shutdown: () => writer.shutdown(),
  };
}

function outcome(token: string, status: PushStatus, a: Answer, attempts: number): PushOutcome {
  const out: PushOutcome = { token, status, attempts };
  if (a.httpStatus !== undefined) out.httpStatus = a.httpStatus;
  if (a.reason !== undefined) out.reason = a.reason;
  if (a.apnsId !== undefined) out.apnsId = a.apnsId;
  if (status === 'unregistered' && a.timestamp !== undefined && Number.isFinite(a.timestamp)) {
    out.unregisteredAt = new Date(a.timestamp);
  }
  return out;
}
