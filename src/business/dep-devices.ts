// What an MDM server may see and do with its devices through the Device Assignment API: fetch
// (all devices assigned to it, paged by assign_seq), sync (its op record since a watermark),
// details and disown. Only devices assigned to the calling server are visible; any other serial
// is not accessible (fetch-devices, sync-devices, device-details, disown-devices).
import type { Clock } from '../clock.js';
import type { DepDevice, DepOp } from '../model/dep-device.js';
import { invalid } from './errors.js';

export type { DepDevice, DepOp, DepTime } from '../model/dep-device.js';

/** The device repository's DEP reads and disown (CONTRACT-devices.md). */
export interface DepDeviceSource {
  /** listAssignedAfter's devices, with only the DEP fields (src/store/device-dep-reads.ts). */
  depAssignedAfter(serverId: string, afterAssignSeq: number, limit: number): Promise<DepDevice[]>;
  /** opsAfter's ops, with only the DEP fields. */
  depOpsAfter(serverId: string, afterSeq: number, limit: number): Promise<DepOp[]>;
  getMany(orgId: string, serials: string[]): Promise<DepDevice[]>;
  maxOpSeq(serverId: string): Promise<number>;
  disown(serverId: string, serials: string[], at: Date): Promise<Record<string, 'done' | 'not-accessible'>>;
}

/** A position in a server's device list and op record; the DEP face makes it an opaque cursor. */
export interface CursorState {
  serverId: string;
  /** Fetch: devices with assign_seq above this come next. */
  afterAssignSeq: number;
  /** Sync: ops with seq above this come next. */
  opSeq: number;
  /** When the op watermark was taken: sync refuses positions older than `syncMaxAgeMs`. */
  issuedAt: Date;
  /** The fetch reached the end of the list. */
  exhausted: boolean;
}

export interface DevicePage {
  devices: DepDevice[];
  next: CursorState;
  moreToFollow: boolean;
  fetchedUntil: Date;
}

export interface SyncPage {
  ops: Array<DepOp & { visible: boolean }>;
  next: CursorState;
  moreToFollow: boolean;
  fetchedUntil: Date;
}

export class DepDeviceService {
  constructor(
    private readonly source: DepDeviceSource,
    private readonly clock: Clock,
    private readonly syncMaxAgeMs: number,
    /** Runs before each read: reseller orders arrive lazily and must be delivered first. */
    private readonly beforeRead: () => Promise<unknown> = async () => undefined,
  ) {}

  /**
   * One page of the server's devices. Without a position, a new fetch starts and takes the op
   * watermark that a later sync continues from; a position at the end is refused (cursor_exhausted).
   */
  async fetch(serverId: string, from: CursorState | undefined, limit: number): Promise<DevicePage> {
    const now = this.clock.now();
    if (from?.exhausted) throw invalid('cursor_exhausted', 'this fetch has returned every device: sync from its cursor');
    await this.beforeRead();
    const start: CursorState = from ?? { serverId, afterAssignSeq: 0, opSeq: await this.source.maxOpSeq(serverId), issuedAt: now, exhausted: false };
    const rows = await this.source.depAssignedAfter(serverId, start.afterAssignSeq, limit + 1);
    const moreToFollow = rows.length > limit;
    const devices = rows.slice(0, limit);
    const last = devices[devices.length - 1];
    const next: CursorState = { ...start, afterAssignSeq: last?.assignSeq ?? start.afterAssignSeq, exhausted: !moreToFollow };
    return { devices, next, moreToFollow, fetchedUntil: now };
  }

  /** The server's changes after the position, oldest first (the same serial may repeat). */
  async sync(serverId: string, from: CursorState, limit: number): Promise<SyncPage> {
    const now = this.clock.now();
    if (now.getTime() - from.issuedAt.getTime() > this.syncMaxAgeMs) throw invalid('cursor_expired', 'the cursor is older than 7 days: fetch again');
    await this.beforeRead();
    const rows = await this.source.depOpsAfter(serverId, from.opSeq, limit + 1);
    const moreToFollow = rows.length > limit;
    const ops = rows.slice(0, limit).map((op) => ({
      ...op,
      // The device's current fields are shown only while it is on this server: a device since
      // moved or released elsewhere shows nothing of its new owner.
      visible: op.opType !== 'deleted' && op.device?.mdmServerId === serverId,
    }));
    const last = ops[ops.length - 1];
    const next: CursorState = { ...from, opSeq: last?.seq ?? from.opSeq, issuedAt: now };
    return { ops, next, moreToFollow, fetchedUntil: now };
  }

  /** Details of the server's own devices; any other serial is undefined (not accessible). */
  async details(serverId: string, orgId: string, serials: string[]): Promise<Map<string, DepDevice | undefined>> {
    await this.beforeRead();
    const found = new Map((await this.source.getMany(orgId, serials)).map((d) => [d.serialNumber, d]));
    const out = new Map<string, DepDevice | undefined>();
    for (const s of serials) {
      const d = found.get(s);
      out.set(s, d && d.mdmServerId === serverId ? d : undefined);
    }
    return out;
  }

  disown(serverId: string, serials: string[]) {
    return this.source.disown(serverId, serials, this.clock.now());
  }
}
