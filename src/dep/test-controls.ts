// The test-control face, for MDM vendors testing their DEP client's error handling (what Apple's
// own DEP simulator is for). Off unless ORCHARD_TEST_CONTROLS=1. It moves Orchard's clock (so
// cursors, sessions and server tokens expire on demand) and injects faults for one MDM server.
// Mounted under the admin API, open only to the server operator's token (<data dir>/operator-token):
// the clock is every organisation's, so no organisation's role may move it (issue 17, finding 9).
import { Router } from 'express';
import { AdjustableClock, isoSeconds, type Clock } from '../clock.js';
import { invalid, notFound } from '../business/errors.js';
import { requireOperator } from '../http/admin-auth.js';
import { param } from '../http/params.js';

export type FaultKind = 'throttled' | 'rate_limited' | 'server_error' | 'expired_cursor' | 'exhausted_cursor' | 'invalid_cursor' | 'terms_not_accepted';
export const FAULT_KINDS: readonly FaultKind[] = ['throttled', 'rate_limited', 'server_error', 'expired_cursor', 'exhausted_cursor', 'invalid_cursor', 'terms_not_accepted'];

export interface Fault {
  kind: FaultKind;
  /** How many requests it affects; undefined until cleared. */
  remaining?: number;
  /** rate_limited: Retry-After; throttled: retry_after_seconds. */
  retryAfterSeconds: number;
  /** server_error: 500, 502, 503 or 504. */
  status: number;
  /** throttled: which serials (all when empty). */
  serials: string[];
}

/** Which faults apply where: cursor faults to fetch/sync, throttling to profile assignment. */
const CURSOR_FAULTS: FaultKind[] = ['expired_cursor', 'exhausted_cursor', 'invalid_cursor'];

export class DepFaults {
  private readonly byServer = new Map<string, Fault[]>();

  add(serverId: string, f: Fault): void {
    this.byServer.set(serverId, [...(this.byServer.get(serverId) ?? []), f]);
  }
  list(serverId: string): Fault[] {
    return this.byServer.get(serverId) ?? [];
  }
  clear(serverId: string): void {
    this.byServer.delete(serverId);
  }

  /** The first fault of `kinds` for the server, counted as used. */
  take(serverId: string, kinds: readonly FaultKind[]): Fault | undefined {
    const list = this.byServer.get(serverId);
    const f = list?.find((x) => kinds.includes(x.kind));
    if (!f) return undefined;
    if (f.remaining !== undefined && --f.remaining <= 0) this.byServer.set(serverId, list!.filter((x) => x !== f));
    return f;
  }

  /** Faults that answer any request of the server: 429, 5xx, terms. */
  takeRequestFault(serverId: string) {
    return this.take(serverId, ['rate_limited', 'server_error', 'terms_not_accepted']);
  }
  takeCursorFault(serverId: string) {
    return this.take(serverId, CURSOR_FAULTS);
  }
  /** Throttling does not use itself up per device, only per request. */
  takeThrottle(serverId: string) {
    return this.take(serverId, ['throttled']);
  }
}

function parseFault(body: Record<string, unknown>): Fault {
  const kind = body.kind as FaultKind;
  if (!FAULT_KINDS.includes(kind)) throw invalid('fault_kind_invalid', `kind must be one of ${FAULT_KINDS.join(', ')}`);
  const count = body.count;
  if (count !== undefined && (!Number.isInteger(count) || (count as number) < 1)) throw invalid('count_invalid', 'count must be a positive integer');
  const retry = body.retry_after_seconds ?? 60;
  if (!Number.isInteger(retry) || (retry as number) < 0) throw invalid('retry_after_invalid', 'retry_after_seconds must be a non-negative integer');
  const status = body.status ?? 503;
  if (![500, 502, 503, 504].includes(status as number)) throw invalid('status_invalid', 'status must be 500, 502, 503 or 504');
  const serials = body.serial_numbers ?? [];
  if (!Array.isArray(serials) || serials.some((s) => typeof s !== 'string')) throw invalid('serial_numbers_invalid', 'serial_numbers must be an array of serial numbers');
  return { kind, remaining: count as number | undefined, retryAfterSeconds: retry as number, status: status as number, serials: serials as string[] };
}

const faultView = (f: Fault) => ({
  kind: f.kind, remaining: f.remaining ?? null, retry_after_seconds: f.retryAfterSeconds, status: f.status, serial_numbers: f.serials,
});

/** Looks up an MDM server by id (the devices capability's repository). */
export type ServerById = (serverId: string) => Promise<{ id: string } | undefined>;

/** The largest single step of the clock: ten years, beyond every expiry Orchard knows (tokens: one year). */
export const MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 60 * 60;

export function testControlRoutes(deps: { config: { testControls: boolean }; clock: Clock }, faults: DepFaults, serverById: ServerById): Router {
  const r = Router();
  if (!deps.config.testControls) return r;
  const clock = deps.clock;
  const clockView = () => ({
    now: isoSeconds(clock.now()),
    offset_seconds: clock instanceof AdjustableClock ? Math.round(clock.offset / 1000) : 0,
  });

  r.get('/test-controls/clock', requireOperator, (_req, res) => {
    res.json(clockView());
  });
  // Moves time forward for all of Orchard: sessions, sync cursors (7 days) and server tokens (1 year) expire.
  r.post('/test-controls/clock', requireOperator, (req, res) => {
    const s = (req.body ?? {}).advance_seconds;
    if (!Number.isSafeInteger(s) || s < 0 || s > MAX_ADVANCE_SECONDS) throw invalid('advance_invalid', `advance_seconds must be an integer from 0 to ${MAX_ADVANCE_SECONDS} (ten years)`);
    if (!(clock instanceof AdjustableClock)) throw invalid('clock_fixed', 'this Orchard runs on a clock that cannot be moved');
    clock.advance(s * 1000);
    res.json(clockView());
  });

  const server = async (req: Parameters<Parameters<typeof r.get>[1]>[0]) => {
    const s = await serverById(param(req, 'id'));
    if (!s) throw notFound('MDM server');
    return s;
  };
  r.get('/test-controls/dep/servers/:id/faults', requireOperator, async (req, res) => {
    const s = await server(req);
    res.json({ items: faults.list(s.id).map(faultView), next_cursor: null }); // a handful at most: one page
  });
  r.post('/test-controls/dep/servers/:id/faults', requireOperator, async (req, res) => {
    const s = await server(req);
    const f = parseFault((req.body ?? {}) as Record<string, unknown>);
    faults.add(s.id, f);
    res.status(201).json({ items: faults.list(s.id).map(faultView), next_cursor: null });
  });
  r.delete('/test-controls/dep/servers/:id/faults', requireOperator, async (req, res) => {
    const s = await server(req);
    faults.clear(s.id);
    res.status(204).end();
  });
  return r;
}
