// The command queue service: validates a command against the catalogue and each target's
// platform, queues it for many channels in one transaction, and says which of them need an
// APNs push. Pushing is issue 7's job: it consumes `pushTargets` (or the mdm.CommandQueued event).
// A scheduled command (`notBefore`) is not delivered before then; its push is owed when it
// becomes due, and `takeDueWakeups()` hands those out once each.
import { invalid, notFound, conflict } from '../errors.js';
import type { Principal } from '../principal.js';
import { pushTargetsOf } from '../push-eligibility.js';
import type { Clock, Ids } from '../../clock.js';
import type { CommandFilter, CommandRecord, CommandTarget } from '../../store/commands.js';
import type { EnqueueTargetView } from '../../store/enrollment-targets.js';
import type { Enrollment, PushTarget } from '../../store/enrollments.js';
import type { Store } from '../../store/index.js';
import { buildCommand, commandPlist } from './commands/build.js';
import { availableOn } from './commands/catalogue.js';
import { commandQueuedEvent } from './events.js';

export interface EnqueueInput {
  /** Device channels, by UDID (or EnrollmentID for User Enrollment). */
  udids?: unknown;
  /** Any channel by its enrolment id, e.g. a user channel '<UDID>:<UserID>'. */
  enrollmentIds?: unknown;
  command: unknown;
  /** Do not deliver before this instant (e.g. RemoveApplication after a grace period). */
  notBefore?: Date;
  /**
   * The CommandUUID, chosen by the caller (idempotent tooling: the same command is never queued
   * twice). Absent: Orchard makes one. See COMMAND_UUID for what is accepted.
   */
  commandUuid?: unknown;
}

export interface EnqueueResult {
  commandUuid: string;
  enrollmentIds: string[];
  /** Channels to wake with a push now: enrolled, with token and PushMagic, not Unregistered; none while scheduled. */
  pushTargets: PushTarget[];
  /** Set when the command waits for its time. */
  notBefore?: Date;
}

const MAX_TARGETS = 10_000;
/**
 * A caller-chosen CommandUUID: 1 to 64 letters, digits, '-', '_' or '.'. Apple only says it is a
 * string the device echoes in its report; these bounds keep it printable, short in logs and
 * webhooks, and safe in a URL path (GET /api/v1/commands/<uuid>).
 */
export const COMMAND_UUID = /^[A-Za-z0-9._-]{1,64}$/;

/** The command queue as its users see it; decorators (push-on-enqueue.ts) share this face. */
export type CommandQueue = Pick<CommandQueueService, 'enqueue' | 'takeDueWakeups' | 'get' | 'cancel' | 'channel' | 'queueOf' | 'clearQueue' | 'listChannels' | 'listCommands'>;

export class CommandQueueService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids) {}

  async enqueue(actor: Principal, input: EnqueueInput): Promise<EnqueueResult> {
    const list = (v: unknown, name: string): string[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) throw invalid(`${name}_invalid`, `${name} must be a list of strings`);
      return v as string[];
    };
    const wanted = [...new Set([...list(input.udids, 'udids'), ...list(input.enrollmentIds, 'enrollment_ids')])];
    if (wanted.length === 0) throw invalid('targets_required', 'name at least one device in udids');
    if (wanted.length > MAX_TARGETS) throw invalid('too_many_targets', `at most ${MAX_TARGETS} targets per command`);
    const { spec, command } = buildCommand(input.command);
    const chosen = input.commandUuid;
    if (chosen !== undefined && (typeof chosen !== 'string' || !COMMAND_UUID.test(chosen))) {
      throw invalid('command_uuid_invalid', 'command_uuid must be 1 to 64 letters, digits, "-", "_" or "."');
    }

    const problems: Record<string, string> = {};
    const targets: EnqueueTargetView[] = [];
    // One query for every target (a fan-out names up to 10,000), in the order they were named.
    const found = new Map(this.store.enrollments.enqueueTargets(wanted).map((e) => [e.id, e]));
    for (const id of wanted) {
      const e = found.get(id);
      if (!e || e.orgId !== actor.orgId) problems[id] = 'not_found';
      else if (e.state !== 'enrolled') problems[id] = 'not_enrolled';
      else if (!availableOn(spec, e.platform, e.channel)) problems[id] = `not_supported_on_${e.platform}${e.channel === 'user' ? '_user_channel' : ''}`;
      else targets.push(e);
    }
    if (Object.keys(problems).length) {
      const onlyMissing = Object.values(problems).every((p) => p === 'not_found');
      const details = { targets: problems, request_type: spec.requestType };
      if (onlyMissing) throw Object.assign(notFound('device'), { details });
      const unsupported = Object.values(problems).some((p) => p.startsWith('not_supported'));
      throw unsupported
        ? invalid('command_not_supported', `${spec.requestType} is not available on every target's platform; nothing was queued`, details)
        : conflict('targets_not_enrolled', 'some targets are not enrolled; nothing was queued', details);
    }

    if (input.notBefore !== undefined && !(input.notBefore instanceof Date && !Number.isNaN(input.notBefore.getTime()))) {
      throw invalid('not_before_invalid', 'not_before must be a date');
    }
    const uuid = chosen ?? this.ids.uuid();
    const at = this.clock.now();
    const scheduled = input.notBefore && input.notBefore.getTime() > at.getTime() ? input.notBefore : undefined;
    const enrollmentIds = targets.map((t) => t.id);
    const stored = await this.store.commands.enqueue(
      { uuid, orgId: actor.orgId, requestType: spec.requestType, command: jsonView(command), body: commandPlist(uuid, command), createdBy: actor.accountId },
      enrollmentIds, at, commandQueuedEvent(this.ids, actor.orgId, uuid, spec.requestType, enrollmentIds, at), { notBefore: scheduled },
    );
    // The uuid is global (it is the commands table's key): taken by any organisation, it is refused.
    if (!stored) throw conflict('command_uuid_exists', `a command with CommandUUID ${uuid} already exists; nothing was queued`, { command_uuid: uuid });
    // Read with the targets, before the transaction, in the same turn of the event loop: no
    // TokenUpdate or 410 can come in between (the store is synchronous).
    return {
      commandUuid: uuid, enrollmentIds, notBefore: scheduled,
      pushTargets: scheduled ? [] : pushTargetsOf(targets),
    };
  }

  /** Channels whose scheduled commands became due since the last call, each once: to push (they wake and poll). */
  async takeDueWakeups(): Promise<Array<{ enrollmentId: string; orgId: string }>> {
    return this.store.commands.takeDueWakeups(this.clock.now());
  }

  async get(actor: Principal, uuid: string): Promise<CommandRecord> {
    const c = await this.store.commands.get(actor.orgId, uuid);
    if (!c) throw notFound('command');
    return c;
  }

  /** Cancels what is still to deliver (queued, sent, not now); finished results are kept. */
  async cancel(actor: Principal, uuid: string, udids?: string[]): Promise<{ cancelled: string[]; command: CommandRecord }> {
    await this.get(actor, uuid);
    const cancelled = await this.store.commands.cancel(actor.orgId, uuid, udids, this.clock.now());
    return { cancelled, command: await this.get(actor, uuid) };
  }

  async channel(actor: Principal, id: string): Promise<Enrollment> {
    const e = await this.store.enrollments.get(id);
    if (!e || e.orgId !== actor.orgId) throw notFound('device');
    return e;
  }

  async queueOf(actor: Principal, id: string): Promise<{ queue: CommandTarget[]; history: CommandTarget[] }> {
    await this.channel(actor, id);
    return {
      queue: await this.store.commands.listForEnrollment(id, { active: true }),
      history: await this.store.commands.listForEnrollment(id, { active: false, limit: 100 }),
    };
  }

  /** Cancels every active command of one channel: clears a stuck queue without touching the database. */
  async clearQueue(actor: Principal, id: string): Promise<string[]> {
    await this.channel(actor, id);
    const active = await this.store.commands.listForEnrollment(id, { active: true, limit: 1000 });
    const done: string[] = [];
    for (const t of active) {
      if ((await this.store.commands.cancel(actor.orgId, t.commandUuid, [id], this.clock.now())).length) done.push(t.commandUuid);
    }
    return done;
  }

  /** The organisation's commands, newest first, filtered (src/store/commands.ts listForOrg). */
  listCommands(actor: Principal, f: CommandFilter) {
    return this.store.commands.listForOrg(actor.orgId, f);
  }

  listChannels(actor: Principal, opts: { channel?: 'device' | 'user'; state?: Enrollment['state']; limit?: number; afterId?: string }) {
    return this.store.enrollments.listByOrg(actor.orgId, opts);
  }
}

/** The Command dict as JSON for the admin view: data shown as base64. */
function jsonView(v: unknown): any {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(jsonView);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonView(x)]));
  return v instanceof Date ? v.toISOString() : v;
}
export { jsonView };
