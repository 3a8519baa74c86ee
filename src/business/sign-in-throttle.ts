// Lock-out with exponential back-off on failed sign-ins, per identifier tried (the Managed Apple
// ID) and per source address. An attempt is counted when it starts, not when its password hash
// is done, so 300 attempts sent at once are throttled like 300 sent in a row; a success clears
// the identifier and gives back the source's attempt. The source threshold is higher than the
// identifier's because an office or a school signs in from behind one address.
// Kept in memory, bounded: a restart forgets it (an attacker who can restart the server needs
// no password), and at most MAX_KEYS keys are held, oldest forgotten first.
import type { Clock } from '../clock.js';

export interface BackOffPolicy {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** The first lock; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

export const IDENTIFIER_BACK_OFF: BackOffPolicy = { freeFailures: 5, baseLockMs: 1_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
export const SOURCE_BACK_OFF: BackOffPolicy = { freeFailures: 50, baseLockMs: 1_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };

const MAX_KEYS = 100_000;

interface Entry {
  failures: number;
  lastAt: number;
}

export type SignInKey = { kind: 'identifier' | 'source'; value: string };

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly clock: Clock,
    private readonly policies: Record<SignInKey['kind'], BackOffPolicy> = { identifier: IDENTIFIER_BACK_OFF, source: SOURCE_BACK_OFF },
  ) {}

  private live(key: SignInKey, now: number): Entry | undefined {
    const id = `${key.kind}:${key.value}`;
    const e = this.entries.get(id);
    if (e && now - e.lastAt > this.policies[key.kind].forgetAfterMs) {
      this.entries.delete(id);
      return undefined;
    }
    return e;
  }

  private lockedUntil(key: SignInKey, e: Entry | undefined): number {
    const p = this.policies[key.kind];
    if (!e || e.failures < p.freeFailures) return 0;
    const doublings = Math.min(e.failures - p.freeFailures, 30);
    return e.lastAt + Math.min(p.baseLockMs * 2 ** doublings, p.maxLockMs);
  }

  /**
   * Starts an attempt: the milliseconds to wait when a key is locked (nothing counted), or 0 and
   * the attempt is counted as a failure until `succeeded` says otherwise.
   */
  begin(keys: SignInKey[]): { retryAfterMs: number; failures: number } {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const k of keys) wait = Math.max(wait, this.lockedUntil(k, this.live(k, now)) - now);
    if (wait > 0) return { retryAfterMs: wait, failures: this.live(keys[0]!, now)?.failures ?? 0 };
    let failures = 0;
    for (const k of keys) {
      const id = `${k.kind}:${k.value}`;
      const e = this.live(k, now) ?? { failures: 0, lastAt: now };
      e.failures += 1;
      e.lastAt = now;
      this.entries.delete(id); // re-insert: the Map's order is the eviction order
      this.entries.set(id, e);
      if (k.kind === 'identifier') failures = e.failures;
    }
    while (this.entries.size > MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    return { retryAfterMs: 0, failures };
  }

  /** The attempt begun with `keys` succeeded: the identifier starts again, the source gets its attempt back. */
  succeeded(keys: SignInKey[]): void {
    for (const k of keys) {
      const id = `${k.kind}:${k.value}`;
      const e = this.entries.get(id);
      if (!e) continue;
      if (k.kind === 'identifier' || e.failures <= 1) this.entries.delete(id);
      else e.failures -= 1;
    }
  }
}
