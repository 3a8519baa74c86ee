// Time and identifiers are injected (never read deep in modules), so that token years,
// 24-hour order delays, cursor expiry and certificate lifetimes are testable.
import { randomBytes, randomUUID } from 'node:crypto';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that follows real time plus an offset; tests and the test-control face move it. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private fixed?: number;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    if (this.fixed !== undefined) return new Date(this.fixed + this.offsetMs);
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  /** Move time forward (or back with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Freeze time at a given instant (further `advance` calls move it). */
  freeze(at: Date): void {
    this.fixed = at.getTime();
    this.offsetMs = 0;
  }
  get offset(): number {
    return this.offsetMs;
  }
}

export interface Ids {
  uuid(): string;
  /** `bytes` random bytes as lowercase hex. */
  hex(bytes: number): string;
}

export const randomIds: Ids = {
  uuid: () => randomUUID().toUpperCase(),
  hex: (bytes) => randomBytes(bytes).toString('hex'),
};

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The same instant one calendar year later (tokens live one year, as Apple's do). */
export function addYears(d: Date, years: number): Date {
  const r = new Date(d.getTime());
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}

/** RFC 3339 UTC without milliseconds: `2026-11-26T12:00:00Z`. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
