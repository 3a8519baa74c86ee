// Every queued command wakes its targets: a decorator around the command queue (as nanomdm's
// service/multi wraps `next`), so that whatever enqueues (the admin API, app installs, any later
// service) hands the channels to push, in the background and batched (PushService.pushSoon),
// after the commands are committed. Everything else passes through to the queue unchanged.
import type { Principal } from '../principal.js';
import { groupBy, type PushService } from '../push.js';
import type { CommandQueue, CommandQueueService, EnqueueInput, EnqueueResult } from './queue.js';

export class PushingCommandQueue implements CommandQueue {
  constructor(private readonly next: CommandQueueService, private readonly push: PushService) {}

  async enqueue(actor: Principal, input: EnqueueInput): Promise<EnqueueResult> {
    const out = await this.next.enqueue(actor, input);
    void this.push.pushSoon(actor.orgId, out.pushTargets.map((t) => t.enrollmentId), 'command');
    return out;
  }

  /** Pushes the channels whose scheduled commands (RemoveApplication after a grace period) became due; returns how many. */
  async wakeDue(): Promise<number> {
    const due = await this.next.takeDueWakeups();
    const byOrg = groupBy(due, (d) => d.orgId, (d) => d.enrollmentId);
    await Promise.all([...byOrg].map(([org, ids]) => this.push.pushSoon(org, ids, 'command')));
    return due.length;
  }

  takeDueWakeups: CommandQueue['takeDueWakeups'] = () => this.next.takeDueWakeups();
  get: CommandQueue['get'] = (actor, uuid) => this.next.get(actor, uuid);
  cancel: CommandQueue['cancel'] = (actor, uuid, udids) => this.next.cancel(actor, uuid, udids);
  channel: CommandQueue['channel'] = (actor, id) => this.next.channel(actor, id);
  queueOf: CommandQueue['queueOf'] = (actor, id) => this.next.queueOf(actor, id);
  clearQueue: CommandQueue['clearQueue'] = (actor, id) => this.next.clearQueue(actor, id);
  listChannels: CommandQueue['listChannels'] = (actor, opts) => this.next.listChannels(actor, opts);
  listCommands: CommandQueue['listCommands'] = (actor, f) => this.next.listCommands(actor, f);
}
