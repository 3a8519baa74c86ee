// Faults the APNs simulator can inject, so that the sender's retry and invalidation paths are
// exercised against the failure modes Apple documents (429 TooManyRequests, 500, 503, GOAWAY).

export interface FaultRates {
  /** Share (0..1) of requests answered 429 TooManyRequests. */
  tooManyRequests?: number;
  /** Share (0..1) answered 500 InternalServerError. */
  internalServerError?: number;
  /** Share (0..1) answered 503 ServiceUnavailable. */
  serviceUnavailable?: number;
}

export interface ForcedAnswer {
  status: number;
  reason: string;
}

export type Fault = { kind: 'drop' } | { kind: 'answer'; status: number; reason: string };

function checkRate(name: string, v: number | undefined): number {
  const r = v ?? 0;
  if (!(r >= 0 && r <= 1)) throw new RangeError(`${name} must be between 0 and 1`);
  return r;
}

export class FaultPlan {
  private rates: Required<FaultRates> = { tooManyRequests: 0, internalServerError: 0, serviceUnavailable: 0 };
  private readonly forced: Array<{ answer: ForcedAnswer; remaining: number }> = [];
  private dropRemaining = 0;

  constructor(private readonly random: () => number) {}

  /** Replace the random fault rates; their sum may not exceed 1. */
  setRates(rates: FaultRates): void {
    const next = {
      tooManyRequests: checkRate('tooManyRequests', rates.tooManyRequests),
      internalServerError: checkRate('internalServerError', rates.internalServerError),
      serviceUnavailable: checkRate('serviceUnavailable', rates.serviceUnavailable),
    };
    if (next.tooManyRequests + next.internalServerError + next.serviceUnavailable > 1) {
      throw new RangeError('fault rates add up to more than 1');
    }
    this.rates = next;
  }

  getRates(): Required<FaultRates> {
    return { ...this.rates };
  }

  /** Answer the next `count` requests with `answer`, after any forced answers already queued. */
  forceNext(count: number, answer: ForcedAnswer): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    if (count > 0) this.forced.push({ answer: { ...answer }, remaining: count });
  }

  /** Tear down the connection (GOAWAY, then destroy) of each of the next `count` requests. */
  dropNext(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    this.dropRemaining += count;
  }

  reset(): void {
    this.setRates({});
    this.forced.length = 0;
    this.dropRemaining = 0;
  }

  /** The fault for the request arriving now, if any: drops first, then forced answers, then rates. */
  next(): Fault | undefined {
    if (this.dropRemaining > 0) {
      this.dropRemaining--;
      return { kind: 'drop' };
    }
    const head = this.forced[0];
    if (head) {
      if (--head.remaining === 0) this.forced.shift();
      return { kind: 'answer', ...head.answer };
    }
    const { tooManyRequests: a, internalServerError: b, serviceUnavailable: c } = this.rates;
    if (a + b + c === 0) return undefined;
    const r = this.random();
    if (r < a) return { kind: 'answer', status: 429, reason: 'TooManyRequests' };
    if (r < a + b) return { kind: 'answer', status: 500, reason: 'InternalServerError' };
    if (r < a + b + c) return { kind: 'answer', status: 503, reason: 'ServiceUnavailable' };
    return undefined;
  }
}
