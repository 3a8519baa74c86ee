// The process-wide budget of request-body bytes in flight: a request with a body reserves its
// declared length (or its face's limit when it is chunked) before a byte of it is read, and
// gives it back when its answer is finished or its connection closes. Requests that carry no
// credential header at all draw on a smaller share, so an unauthenticated flood is refused
// first and signed devices and signed-in admins keep the rest.
export interface BudgetStats {
  inflight: number;
  unauthenticated: number;
  /** The most ever reserved at once (tests assert it never exceeds the cap). */
  peak: number;
  refused: number;
}

export class BodyBudget {
  private inflight = 0;
  private unauthenticated = 0;
  private peak = 0;
  private refused = 0;

  constructor(readonly cap: number, readonly unauthenticatedCap: number) {}

  /** Reserves `bytes`, or returns false (and reserves nothing) when a cap would be passed. */
  tryTake(bytes: number, authenticated: boolean): boolean {
    if (this.inflight + bytes > this.cap || (!authenticated && this.unauthenticated + bytes > this.unauthenticatedCap)) {
      this.refused++;
      return false;
    }
    this.inflight += bytes;
    if (!authenticated) this.unauthenticated += bytes;
    if (this.inflight > this.peak) this.peak = this.inflight;
    return true;
  }

  give(bytes: number, authenticated: boolean): void {
    this.inflight -= bytes;
    if (!authenticated) this.unauthenticated -= bytes;
  }

  stats(): BudgetStats {
    return { inflight: this.inflight, unauthenticated: this.unauthenticated, peak: this.peak, refused: this.refused };
  }
}
