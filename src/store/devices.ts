// Devices of an organisation and their assignment to MDM servers, with the op record.
//
// Contract with the DEP API (CONTRACT-devices.md): listAssignedAfter, opsAfter, getMany,
// maxOpSeq and disown keep these names. A released device (released_at set) is in no list and
// answers as if it did not exist; so is a device of another organisation.
// For the DEP API: reseller orders arrive lazily, so call `services.orders.deliverDue()` before
// a fetch or sync; profile writes set profile_* columns and add a 'modified' op through
// DeviceWriter.op (src/store/device-writes.ts) in the same transaction.
import type { Statement } from 'better-sqlite3';
import type { DepDevice, DepOp } from '../model/dep-device.js';
import { keysetSql, type KeyValue } from './keyset.js';
import type { Db } from './db.js';
import { DeviceDepReads } from './device-dep-reads.js';
import { DeviceWriter } from './device-writes.js';
import { toDevice, type Device, type DeviceFamily, type DeviceOp } from './device-types.js';

export * from './device-types.js';

export interface DeviceFilter {
  family?: DeviceFamily;
  orderNumbers?: string[];
  /** A server id, or 'none' for devices assigned to no server. */
  mdmServer?: string;
  /** Serial number prefix (case-insensitive). */
  serialPrefix?: string;
  model?: string;
  profileStatus?: string;
  /** Keyset paging: devices with a serial after this one (in serial order). */
  afterSerial?: string;
  /** The order of the list (default: by serial number) and the page's place in it (src/store/keyset.ts). */
  sort?: { by: DeviceSort; descending: boolean; after?: [KeyValue, KeyValue] };
  limit?: number;
}

/** The orders a device list can take: each a NOT NULL column, with serial_number breaking ties. */
export const DEVICE_SORT_COLUMNS = { serial_number: 'serial_number', created_at: 'added_at', model: 'model', family: 'family' } as const;
export type DeviceSort = keyof typeof DEVICE_SORT_COLUMNS;

export interface AssignResult {
  /** Serials not in the organisation (or released): nothing was written. */
  unknown: string[];
  assigned: string[];
  moved: string[];
  unchanged: string[];
}

export interface UnassignResult {
  unknown: string[];
  unassigned: string[];
  /** On no server, or on another one: left as they are. */
  notAssigned: string[];
}

export interface DeviceRepository {
  get(orgId: string, serial: string): Promise<Device | undefined>;
  getMany(orgId: string, serials: string[]): Promise<Device[]>;
  list(orgId: string, filter?: DeviceFilter): Promise<Device[]>;
  count(orgId: string, filter?: Omit<DeviceFilter, 'afterSerial' | 'limit'>): Promise<number>;
  serialsOfOrders(orgId: string, orderNumbers: string[]): Promise<string[]>;
  /** All or nothing: when any serial is unknown, nothing is written. */
  assign(orgId: string, serverId: string, serials: string[], at: Date, by: string): Promise<AssignResult>;
  unassign(orgId: string, serverId: string, serials: string[], at: Date): Promise<UnassignResult>;
  /** Releases permanently; all or nothing. Returns the unknown serials (then nothing was written). */
  release(orgId: string, serials: string[], at: Date): Promise<{ unknown: string[] }>;
  /** Manual addition (Apple Configurator); assigned to `defaultServerId` when given. */
  addManual(device: Device, defaultServerId: string | undefined, at: Date): Promise<'added' | 'exists'>;
  setAssetTag(orgId: string, serial: string, assetTag: string, at: Date): Promise<boolean>;
  /** Per server and family, how many devices are assigned. */
  assignmentTotals(orgId: string): Promise<Array<{ serverId: string; family: DeviceFamily; count: number }>>;

  // ---- read by the Device Assignment API (issue 4) ----
  /** Devices on the server whose assign_seq is above `afterAssignSeq`, in that order (fetch-devices). */
  listAssignedAfter(serverId: string, afterAssignSeq: number, limit: number): Promise<Device[]>;
  /** Ops of the server after `afterSeq`, oldest first, with the device as it is now if it still exists (sync-devices). */
  opsAfter(serverId: string, afterSeq: number, limit: number): Promise<Array<DeviceOp & { device?: Device }>>;
  /** listAssignedAfter with only the DEP Device object's fields, times as stored ISO text (the fetch's hot path). */
  depAssignedAfter(serverId: string, afterAssignSeq: number, limit: number): Promise<DepDevice[]>;
  /** opsAfter likewise (sync-devices). */
  depOpsAfter(serverId: string, afterSeq: number, limit: number): Promise<DepOp[]>;
  maxOpSeq(serverId: string): Promise<number>;
  /** DEP disown: devices on this server leave the organisation (released). */
  disown(serverId: string, serials: string[], at: Date): Promise<Record<string, 'done' | 'not-accessible'>>;
}

type Row = Record<string, any>;
const ACTIVE = 'released_at IS NULL';

export class SqliteDeviceRepository implements DeviceRepository {
  private readonly s;
  private readonly w: DeviceWriter;
  private readonly dep: DeviceDepReads;
  private readonly dynamic = new Map<string, Statement<unknown[]>>();
  constructor(private readonly db: Db) {
    this.w = new DeviceWriter(db);
    this.dep = new DeviceDepReads(db);
    this.s = {
      get: db.prepare(`SELECT * FROM devices WHERE serial_number = ? AND org_id = ? AND ${ACTIVE}`),
      byOrder: db.prepare(`SELECT serial_number FROM devices WHERE org_id = ? AND order_number = ? AND ${ACTIVE} ORDER BY serial_number`),
      totals: db.prepare(`SELECT mdm_server_id, family, count(*) AS n FROM devices WHERE org_id = ? AND mdm_server_id IS NOT NULL
        AND ${ACTIVE} GROUP BY mdm_server_id, family ORDER BY mdm_server_id, family`),
      assignedAfter: db.prepare('SELECT * FROM devices WHERE mdm_server_id = ? AND assign_seq > ? ORDER BY assign_seq LIMIT ?'),
      opsAfter: db.prepare('SELECT * FROM device_ops WHERE server_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      bySerial: db.prepare('SELECT * FROM devices WHERE serial_number = ?'),
      maxOp: db.prepare('SELECT max(seq) AS m FROM device_ops WHERE server_id = ?'),
    };
  }

  private getSync(orgId: string, serial: string): Device | undefined {
    const r = this.s.get.get(serial, orgId) as Row | undefined;
    return r && toDevice(r);
  }

  async get(orgId: string, serial: string) {
    return this.getSync(orgId, serial);
  }

  async getMany(orgId: string, serials: string[]) {
    return this.db.transaction(() => {
      const out: Device[] = [];
      for (const s of new Set(serials)) {
        const d = this.getSync(orgId, s);
        if (d) out.push(d);
      }
      return out;
    })();
  }

  /** Filters become SQL once per shape; the statement is cached, values are bound. */
  private where(orgId: string, f: DeviceFilter): { sql: string; params: unknown[] } {
    const parts = [`org_id = ?`, ACTIVE];
    const params: unknown[] = [orgId];
    if (f.family) { parts.push('family = ?'); params.push(f.family); }
    if (f.orderNumbers?.length) {
      parts.push(`order_number IN (${f.orderNumbers.map(() => '?').join(',')})`);
      params.push(...f.orderNumbers);
    }
    if (f.mdmServer === 'none') parts.push('mdm_server_id IS NULL');
    else if (f.mdmServer) { parts.push('mdm_server_id = ?'); params.push(f.mdmServer); }
    if (f.serialPrefix) { parts.push("serial_number LIKE ? ESCAPE '\\'"); params.push(f.serialPrefix.replace(/[\\%_]/g, (c) => '\\' + c).toUpperCase() + '%'); }
    if (f.model) { parts.push('model = ?'); params.push(f.model); }
    if (f.profileStatus) { parts.push('profile_status = ?'); params.push(f.profileStatus); }
    if (f.afterSerial) { parts.push('serial_number > ?'); params.push(f.afterSerial); }
    return { sql: parts.join(' AND '), params };
  }

  private prepared(sql: string): Statement<unknown[]> {
    let st = this.dynamic.get(sql);
    if (!st) {
      st = this.db.prepare<unknown[]>(sql);
      if (this.dynamic.size < 200) this.dynamic.set(sql, st);
    }
    return st;
  }

  private listSql(orgId: string, f: DeviceFilter): { sql: string; params: unknown[] } {
    const { sql, params } = this.where(orgId, f);
    const limit = Math.max(1, Math.min(f.limit ?? 1000, 100_000));
    const ks = keysetSql({ column: DEVICE_SORT_COLUMNS[f.sort?.by ?? 'serial_number'], descending: !!f.sort?.descending, tie: 'serial_number', ...(f.sort?.after ? { after: f.sort.after } : {}) });
    const where = ks.where ? `${sql} AND ${ks.where}` : sql;
    return { sql: `SELECT * FROM devices WHERE ${where} ORDER BY ${ks.orderBy} LIMIT ${limit}`, params: [...params, ...ks.params] };
  }

  /** SQLite's plan for a list (EXPLAIN QUERY PLAN, one line per step): the index tests read it. */
  explainList(orgId: string, f: DeviceFilter = {}): string[] {
    const { sql, params } = this.listSql(orgId, f);
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
  }

  async list(orgId: string, f: DeviceFilter = {}) {
    const { sql, params } = this.listSql(orgId, f);
    const rows = this.prepared(sql).all(...params) as Row[];
    return rows.map(toDevice);
  }

  async count(orgId: string, f: DeviceFilter = {}) {
    const { sql, params } = this.where(orgId, f);
    return (this.prepared(`SELECT count(*) AS n FROM devices WHERE ${sql}`).get(...params) as { n: number }).n;
  }

  async serialsOfOrders(orgId: string, orderNumbers: string[]) {
    const out: string[] = [];
    for (const n of new Set(orderNumbers)) for (const r of this.s.byOrder.all(orgId, n) as Row[]) out.push(r.serial_number);
    return out;
  }

  private unknownSync(orgId: string, serials: string[]): string[] {
    return serials.filter((s) => {
      const cur = this.w.current(s);
      return !cur || cur.orgId !== orgId || cur.released;
    });
  }

  async assign(orgId: string, serverId: string, serials: string[], at: Date, by: string) {
    const unique = [...new Set(serials)];
    return this.db.transaction((): AssignResult => {
      const result: AssignResult = { unknown: this.unknownSync(orgId, unique), assigned: [], moved: [], unchanged: [] };
      if (result.unknown.length) return result;
      for (const s of unique) result[this.w.assign(s, serverId, at, by)].push(s);
      return result;
    }).immediate();
  }

  async unassign(orgId: string, serverId: string, serials: string[], at: Date) {
    const unique = [...new Set(serials)];
    return this.db.transaction((): UnassignResult => {
      const result: UnassignResult = { unknown: this.unknownSync(orgId, unique), unassigned: [], notAssigned: [] };
      if (result.unknown.length) return result;
      for (const s of unique) {
        if (this.w.current(s)?.serverId !== serverId) result.notAssigned.push(s);
        else { this.w.unassign(s, at); result.unassigned.push(s); }
      }
      return result;
    }).immediate();
  }

  async release(orgId: string, serials: string[], at: Date) {
    const unique = [...new Set(serials)];
    return this.db.transaction(() => {
      const unknown = this.unknownSync(orgId, unique);
      if (!unknown.length) for (const s of unique) this.w.release(s, at);
      return { unknown };
    }).immediate();
  }

  async addManual(device: Device, defaultServerId: string | undefined, at: Date) {
    return this.db.transaction((): 'added' | 'exists' => {
      const cur = this.w.current(device.serialNumber);
      if (cur && !cur.released) return 'exists';
      this.w.insert(device);
      if (defaultServerId) this.w.assign(device.serialNumber, defaultServerId, at, 'system');
      return 'added';
    }).immediate();
  }

  async setAssetTag(orgId: string, serial: string, assetTag: string, at: Date) {
    return this.db.transaction(() => {
      if (!this.getSync(orgId, serial)) return false;
      this.w.setAssetTag(serial, assetTag, at);
      return true;
    }).immediate();
  }

  async assignmentTotals(orgId: string) {
    return (this.s.totals.all(orgId) as Row[]).map((r) => ({ serverId: r.mdm_server_id as string, family: r.family as DeviceFamily, count: r.n as number }));
  }

  async listAssignedAfter(serverId: string, afterAssignSeq: number, limit: number) {
    return (this.s.assignedAfter.all(serverId, afterAssignSeq, limit) as Row[]).map(toDevice);
  }

  async opsAfter(serverId: string, afterSeq: number, limit: number) {
    return (this.s.opsAfter.all(serverId, afterSeq, limit) as Row[]).map((o) => {
      const d = this.s.bySerial.get(o.serial_number) as Row | undefined;
      return {
        seq: o.seq as number, serverId: o.server_id as string, serialNumber: o.serial_number as string, opType: o.op_type,
        opDate: new Date(o.op_date), ...(d ? { device: toDevice(d) } : {}),
      };
    });
  }

  /** listAssignedAfter for the DEP fetch: only the Device object's fields, times as stored text. */
  async depAssignedAfter(serverId: string, afterAssignSeq: number, limit: number) {
    return this.dep.assignedAfterSync(serverId, afterAssignSeq, limit);
  }

  /** opsAfter for the DEP sync: only the Device object's fields, times as stored text. */
  async depOpsAfter(serverId: string, afterSeq: number, limit: number) {
    return this.dep.opsAfterSync(serverId, afterSeq, limit);
  }

  async maxOpSeq(serverId: string) {
    return ((this.s.maxOp.get(serverId) as { m: number | null }).m ?? 0);
  }

  async disown(serverId: string, serials: string[], at: Date) {
    return this.db.transaction(() => {
      const out: Record<string, 'done' | 'not-accessible'> = {};
      for (const s of serials) {
        const cur = this.w.current(s);
        if (!cur || cur.released || cur.serverId !== serverId) { out[s] = 'not-accessible'; continue; }
        this.w.release(s, at);
        out[s] = 'done';
      }
      return out;
    }).immediate();
  }
}

