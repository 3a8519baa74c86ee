// Wakes devices whose scheduled commands became due (RemoveApplication after a revocation's grace
// period): a device only polls when pushed, so a command held back at enqueue needs its push at
// its time. Every `intervalMs` it asks the queue for channels newly due and pushes each once.
import type { Logger } from '../log.js';

export interface DueWaker {
  wakeDue(): Promise<number>;
}

export class ScheduledCommandWorker {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly waker: DueWaker) {}

  /** One pass now (tests, and the first tick). */
  tick(): Promise<number> {
    return this.waker.wakeDue();
  }

  start(intervalMs: number, logger?: Logger): void {
    this.stopped = false;
    const run = () => {
      if (this.stopped) return;
      this.current = this.tick()
        .catch((err: unknown) => logger?.error('waking scheduled commands failed', { error: String(err) }))
        .finally(() => {
          this.current = undefined;
          if (!this.stopped) this.timer = setTimeout(run, intervalMs);
        });
    };
    this.timer = setTimeout(run, intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }
}
