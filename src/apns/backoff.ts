// Retry pacing and an in-flight limit for the push sender.

export interface RetryPolicy {
  /** Total tries per push, the first included (1 = never retry). */
  attempts: number;
  /** Ceiling of the first back-off, ms; it doubles per retry… */
  baseMs: number;
  /** …up to this, ms. */
  maxMs: number;
}

/**
 * "Full jitter" exponential back-off: a uniform draw in [0, min(max, base·2^(retry-1))), so that
 * many pushes refused together (429, 503, a dropped connection) do not come back together.
 * `retry` counts from 1 for the first retry; `random` returns [0, 1).
 */
export function fullJitterDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** A counting semaphore: at most `limit` holders at once, waiters served first come first. */
export class Limiter {
  private active = 0;
  // A queue with a moving head: Array.prototype.shift is O(n) on long arrays.
  private waiting: Array<() => void> = [];
  private head = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  /** Takes a slot if one is free, without a promise (the common case on the push path). */
  tryAcquire(): boolean {
    if (this.active < this.limit) {
      this.active++;
      return true;
    }
    return false;
  }

  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hand the slot straight to the next waiter, if any. */
  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      next();
    } else {
      this.active--;
    }
  }
}
