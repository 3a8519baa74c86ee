// The DEP view of a device and of its op record: rows the devices repository reads and the DEP
// domain (src/business/dep-devices.ts) serves. Shared model, below both; it imports nothing.

/**
 * A device as the DEP face reads it (the devices repository's Device has these fields and more).
 * Times are Dates, or the ISO 8601 text they are stored as: the fetch reads them as text, so that
 * 100,000 rows do not each make Dates only to print them again (src/store/device-dep-reads.ts).
 */
export type DepTime = Date | string;

export interface DepDevice {
  serialNumber: string;
  orgId: string;
  family: 'iPhone' | 'iPad' | 'iPod' | 'Mac' | 'AppleTV';
  model: string;
  description: string;
  color: string;
  assetTag: string;
  mdmServerId?: string;
  assignedAt?: DepTime;
  assignedBy?: string;
  assignSeq?: number;
  profileUuid?: string;
  profileStatus: 'empty' | 'assigned' | 'pushed' | 'removed';
  profileAssignTime?: DepTime;
  profilePushTime?: DepTime;
}

export interface DepOp {
  seq: number;
  serialNumber: string;
  opType: 'added' | 'modified' | 'deleted';
  opDate: DepTime;
  device?: DepDevice;
}
