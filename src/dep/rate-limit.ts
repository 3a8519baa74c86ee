// Per-MDM-server request rate limiting: a token bucket per server, on the injected clock. Over
// the limit a request is answered 429 with Retry-After (seconds), as Apple's service does when a
// server calls too often (PROTOCOLS.md A2: 429 / Retry-After).
import type { Clock } from '../clock.js';

export interface RateLimitOptions {
  /** Requests a server may make at once. */
  burst: number;
  /** Requests per second the bucket refills with. */
  perSecond: number;
}

/** Generous enough for a full fetch of 100,000 devices in pages of 1,000 without waiting. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 600, perSecond: 50 };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly clock: Clock,
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
  ) {}

  /** Takes one request from `key`'s bucket: undefined when allowed, else seconds to wait. */
  take(key: string): number | undefined {
    const now = this.clock.now().getTime();
    const b = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    const elapsed = Math.max(0, now - b.at) / 1000;
    b.tokens = Math.min(this.options.burst, b.tokens + elapsed * this.options.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.options.perSecond));
  }

  reset(key: string): void {
    this.buckets.delete(key);
  }
}
