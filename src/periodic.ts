// A background pass repeated every `intervalMs`, one pass at a time (the next is scheduled only
// when the previous has finished), stoppable: `stop()` waits for a pass in flight. Workers that
// re-push devices, deliver webhooks or wake scheduled commands all run on it.
import type { Logger } from './log.js';

export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly name: string, private readonly pass: () => Promise<unknown>) {}

  start(intervalMs: number, logger?: Logger): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.current = this.pass()
        .catch((err: unknown) => logger?.error(`${this.name} failed`, { error: String(err) }))
        .finally(() => {
          this.current = undefined;
          if (!this.stopped) {
            this.timer = setTimeout(tick, intervalMs);
            this.timer.unref?.();
          }
        });
    };
    this.timer = setTimeout(tick, intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }
}
