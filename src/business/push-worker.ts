// The re-push worker: every `intervalMs` it pushes again the channels that were pushed, still
// have commands to fetch and have not connected since, once their back-off has run out
// (PushService.repushDue). Devices miss pushes (offline longer than APNs keeps one, a dropped
// stored push), so a queued command must not wait for the next one to be queued.
import type { Logger } from '../log.js';
import type { PushService } from './push.js';

export class RepushWorker {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly push: PushService) {}

  start(intervalMs: number, logger?: Logger): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.current = this.push.repushDue()
        .catch((err: unknown) => logger?.error('re-push failed', { error: String(err) }))
        .finally(() => {
          this.current = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
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
