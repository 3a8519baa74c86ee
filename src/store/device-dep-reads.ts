// The Device Assignment API's reads of the device table (fetch-devices, sync-devices), lean:
// only the columns the DEP Device object shows (plus the server and assign_seq the cursor and
// the sync's visibility need), read as raw rows, dates left as the ISO 8601 text they are
// stored as (src/store/db.ts toDb). A fetch of 100,000 devices reads every row once; building
// full Device objects with five Date objects each was a quarter of the server's time
// (BENCHMARKS.md, "Profile of the DEP fetch").
import type { Statement } from 'better-sqlite3';
import type { DepDevice, DepOp } from '../model/dep-device.js';
import type { Db } from './db.js';

const COLUMNS = `serial_number, org_id, family, model, description, color, asset_tag, mdm_server_id, assigned_at,
  assigned_by, assign_seq, profile_uuid, profile_status, profile_assign_time, profile_push_time`;

/** A raw row of COLUMNS, in that order. */
/** The fetch's and the sync's queries (their plans are asserted in test/protocol/dep/scale.test.ts). */
export const DEP_ASSIGNED_AFTER_SQL = `SELECT ${COLUMNS} FROM devices WHERE mdm_server_id = ? AND assign_seq > ? ORDER BY assign_seq LIMIT ?`;
export const DEP_OPS_AFTER_SQL = 'SELECT seq, serial_number, op_type, op_date FROM device_ops WHERE server_id = ? AND seq > ? ORDER BY seq LIMIT ?';

type DeviceRow = [string, string, DepDevice['family'], string, string, string, string,
  string | null, string | null, string | null, number | null, string | null, DepDevice['profileStatus'], string | null, string | null];

function depDevice(r: DeviceRow): DepDevice {
  return {
    serialNumber: r[0], orgId: r[1], family: r[2], model: r[3], description: r[4], color: r[5], assetTag: r[6],
    mdmServerId: r[7] ?? undefined, assignedAt: r[8] ?? undefined, assignedBy: r[9] ?? undefined, assignSeq: r[10] ?? undefined,
    profileUuid: r[11] ?? undefined, profileStatus: r[12], profileAssignTime: r[13] ?? undefined, profilePushTime: r[14] ?? undefined,
  };
}

export class DeviceDepReads {
  private readonly assignedAfter: Statement<unknown[]>;
  private readonly ops: Statement<unknown[]>;
  private readonly bySerial: Statement<unknown[]>;
  constructor(db: Db) {
    // Same index walk as before: (mdm_server_id, assign_seq); released devices are on no server.
    this.assignedAfter = db.prepare(DEP_ASSIGNED_AFTER_SQL).raw();
    this.ops = db.prepare(DEP_OPS_AFTER_SQL).raw();
    this.bySerial = db.prepare(`SELECT ${COLUMNS} FROM devices WHERE serial_number = ?`).raw();
  }

  /** Devices on the server with assign_seq above `afterAssignSeq`, in that order (fetch-devices). */
  assignedAfterSync(serverId: string, afterAssignSeq: number, limit: number): DepDevice[] {
    const rows = this.assignedAfter.all(serverId, afterAssignSeq, limit) as DeviceRow[];
    const out = new Array<DepDevice>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = depDevice(rows[i]!);
    return out;
  }

  /** The server's ops after `afterSeq`, oldest first, each with the device as it is now if it still exists (sync-devices). */
  opsAfterSync(serverId: string, afterSeq: number, limit: number): DepOp[] {
    const rows = this.ops.all(serverId, afterSeq, limit) as Array<[number, string, DepOp['opType'], string]>;
    return rows.map(([seq, serialNumber, opType, opDate]) => {
      const d = this.bySerial.get(serialNumber) as DeviceRow | undefined;
      return { seq, serialNumber, opType, opDate, ...(d ? { device: depDevice(d) } : {}) };
    });
  }
}
