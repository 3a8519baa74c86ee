// Shapes of devices and their op record, shared by the device, order and DEP repositories.
import { fromDbOpt } from './db.js';

export const DEVICE_FAMILIES = ['iPhone', 'iPad', 'iPod', 'Mac', 'AppleTV'] as const;
export type DeviceFamily = (typeof DEVICE_FAMILIES)[number];

/** Families a default MDM server can be set for; an iPod follows the iPhone default. */
export const DEFAULT_FAMILIES = ['Mac', 'iPhone', 'iPad', 'AppleTV'] as const;
export type DefaultFamily = (typeof DEFAULT_FAMILIES)[number];
export const defaultFamilyOf = (f: DeviceFamily): DefaultFamily => (f === 'iPod' ? 'iPhone' : f);

export type ProfileStatus = 'empty' | 'assigned' | 'pushed' | 'removed';
export type DeviceOpType = 'added' | 'modified' | 'deleted';

export interface Device {
  serialNumber: string;
  orgId: string;
  family: DeviceFamily;
  model: string;
  description: string;
  color: string;
  os: string;
  assetTag: string;
  orderNumber: string;
  orderDate?: Date;
  source: 'order' | 'manual';
  addedAt: Date;
  updatedAt: Date;
  supervised: boolean;
  /** Manual addition: until then it can still be released from the device itself. */
  provisionalUntil?: Date;
  mdmServerId?: string;
  assignedAt?: Date;
  /** Email of whoever assigned it (or 'system' for a default-server assignment). */
  assignedBy?: string;
  /** device_ops.seq of the op that added it to its current server: the DEP fetch cursor's order. */
  assignSeq?: number;
  profileUuid?: string;
  profileStatus: ProfileStatus;
  profileAssignTime?: Date;
  profilePushTime?: Date;
  releasedAt?: Date;
}

/**
 * What happened to one named device in a server's change (disown, profile assign or removal):
 * done; not one of the server's devices; or (removal naming a profile) it has another profile.
 * Each face says it in its own words (the DEP face: SUCCESS, NOT_ACCESSIBLE, FAILED).
 */
export type DeviceOutcome = 'done' | 'not-accessible' | 'other-profile';

export interface DeviceOp {
  seq: number;
  serverId: string;
  serialNumber: string;
  opType: DeviceOpType;
  opDate: Date;
}

type Row = Record<string, any>;

export const toDevice = (r: Row): Device => ({
  serialNumber: r.serial_number, orgId: r.org_id, family: r.family, model: r.model, description: r.description,
  color: r.color, os: r.os, assetTag: r.asset_tag, orderNumber: r.order_number, orderDate: fromDbOpt(r.order_date),
  source: r.source, addedAt: new Date(r.added_at), updatedAt: new Date(r.updated_at), supervised: !!r.supervised,
  provisionalUntil: fromDbOpt(r.provisional_until), mdmServerId: r.mdm_server_id ?? undefined,
  assignedAt: fromDbOpt(r.assigned_at), assignedBy: r.assigned_by ?? undefined, assignSeq: r.assign_seq ?? undefined,
  profileUuid: r.profile_uuid ?? undefined, profileStatus: r.profile_status, profileAssignTime: fromDbOpt(r.profile_assign_time),
  profilePushTime: fromDbOpt(r.profile_push_time), releasedAt: fromDbOpt(r.released_at),
});
