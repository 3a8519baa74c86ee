// Request handlers run in short turns of the event loop, so that a connection that arrives while
// the server is busy is accepted within milliseconds (issue 17, finding 10).
//
// Why: the libuv of Node 20 (1.46) accepts ONE connection per event-loop iteration, and an
// iteration's poll phase runs the handler of every request that arrived on an already accepted
// connection. Under 200 keep-alive connections of admin reads, an iteration took 100–250 ms, so
// the k-th connection of a burst waited k iterations: the first requests of a cold start stalled
// 2–5 s in a staircase, and a client that opened its connections while others were busy
// starved until they stopped (measured with strace: 70 accepts in the first 30 ms, then one per
// 130 ms; a bare `http.createServer` shows the same). Handlers queued here run from
// setImmediate, at most `MAX_PER_TURN` of them or `SLICE_MS` of work per turn, whichever comes
// first; between turns the loop polls again and accepts the next connection. Requests run in
// arrival order; a turn always runs at least one.
/** At most this many handlers start in one turn of the event loop. */
const MAX_PER_TURN = 16;
/** A turn stops starting handlers once it has run this long (ms). */
const SLICE_MS = 2;

export class RequestTurns {
  private readonly queue: Array<() => void> = [];
  private scheduled = false;

  /** Runs `job` in a coming turn, after every job queued before it. */
  run(job: () => void): void {
    this.queue.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.turn);
    }
  }

  private readonly turn = (): void => {
    const until = performance.now() + SLICE_MS;
    let ran = 0;
    try {
      do {
        const job = this.queue.shift()!;
        ran++;
        job();
      } while (this.queue.length > 0 && ran < MAX_PER_TURN && performance.now() < until);
    } finally {
      // A job that throws ends this turn (the throw is the caller's to report); the jobs after it run in the next.
      if (this.queue.length > 0) setImmediate(this.turn);
      else this.scheduled = false;
    }
  };
}
