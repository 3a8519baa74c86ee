// Every queued command wakes its targets: the command queue, decorated so that whatever
// enqueues (the admin API, app installs, any later service) hands the channels to push, in the
// background and batched (PushService.pushSoon), after the commands are committed.
import type { Clock, Ids } from '../../clock.js';
import { CommandQueueService, type EnqueueInput, type EnqueueResult } from './queue.js';
import type { Store } from '../../store/index.js';
import type { Principal } from '../principal.js';
import { groupBy, type PushService } from '../push.js';

export class PushingCommandQueue extends CommandQueueService {
  constructor(store: Store, clock: Clock, ids: Ids, private readonly push: PushService) {
    super(store, clock, ids);
  }

  override async enqueue(actor: Principal, input: EnqueueInput): Promise<EnqueueResult> {
    const out = await super.enqueue(actor, input);
    void this.push.pushSoon(actor.orgId, out.pushTargets.map((t) => t.enrollmentId), 'command');
    return out;
  }

  /** Pushes the channels whose scheduled commands (RemoveApplication after a grace period) became due; returns how many. */
  async wakeDue(): Promise<number> {
    const due = await this.takeDueWakeups();
    const byOrg = groupBy(due, (d) => d.orgId, (d) => d.enrollmentId);
    await Promise.all([...byOrg].map(([org, ids]) => this.push.pushSoon(org, ids, 'command')));
    return due.length;
  }
}
