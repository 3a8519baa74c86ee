// The re-push worker: every `intervalMs` it pushes again the channels that were pushed, still
// have commands to fetch and have not connected since, once their back-off has run out
// (PushService.repushDue). Devices miss pushes (offline longer than APNs keeps one, a dropped
// stored push), so a queued command must not wait for the next one to be queued.
import type { Logger } from '../log.js';
import { PeriodicTask } from '../periodic.js';
import type { PushService } from './push.js';

export class RepushWorker {
  private readonly task: PeriodicTask;

  constructor(push: PushService) {
    this.task = new PeriodicTask('re-push', () => push.repushDue());
  }

  start(intervalMs: number, logger?: Logger): void {
    this.task.start(intervalMs, logger);
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
