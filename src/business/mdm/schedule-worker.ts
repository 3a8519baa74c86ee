// Wakes devices whose scheduled commands became due (RemoveApplication after a revocation's grace
// period): a device only polls when pushed, so a command held back at enqueue needs its push at
// its time. Every `intervalMs` it asks the queue for channels newly due and pushes each once.
import type { Logger } from '../../log.js';
import { PeriodicTask } from '../../periodic.js';

export interface DueWaker {
  wakeDue(): Promise<number>;
}

export class ScheduledCommandWorker {
  private readonly task: PeriodicTask;

  constructor(private readonly waker: DueWaker) {
    this.task = new PeriodicTask('waking scheduled commands', () => this.tick());
  }

  /** One pass now (tests, and the first tick). */
  tick(): Promise<number> {
    return this.waker.wakeDue();
  }

  start(intervalMs: number, logger?: Logger): void {
    this.task.start(intervalMs, logger);
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
