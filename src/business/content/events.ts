// The in-process worker that applies PENDING Apps and Books events. Each event is applied and
// its outcome recorded in one transaction, so an event is never half-done; events still PENDING
// after a restart are picked up by the first kick(), which the composition root makes at start
// (src/compose.ts, Orchard.start).
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/index.js';
import type { LicenceService } from './licences.js';

export class VppEventWorker {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly licences: LicenceService,
    private readonly onError: (err: unknown, eventId: string) => void = () => {},
  ) {}

  /** Processes pending events soon (after the current response is written). */
  kick(): void {
    if (this.running) { this.again = true; return; }
    this.running = this.run().finally(() => { this.running = undefined; });
  }

  /** Resolves once no event is pending or being processed. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    do {
      this.again = false;
      for (;;) {
        const ids = await this.store.content.licences.pendingEventIds(50);
        if (!ids.length) break;
        for (const id of ids) {
          try {
            await this.licences.processEvent(id, this.clock.now());
          } catch (err) {
            // Nothing was applied (the transaction rolled back); the event must not stay PENDING forever.
            this.onError(err, id);
            await this.store.content.licences.failEvent(id, this.clock.now());
          }
        }
      }
    } while (this.again);
  }
}
