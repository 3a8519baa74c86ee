// The synchronous writes every device change goes through, shared by the repositories whose
// transactions touch devices (devices, orders). Each change an MDM server can see writes its
// device_ops row here, in the caller's transaction (Apple: sync-devices reports op_type/op_date).
import type { Db } from './db.js';
import { toDb } from './db.js';
import { defaultFamilyOf, type Device, type DeviceFamily, type DeviceOpType } from './device-types.js';

type Row = Record<string, any>;

/** A prepared INSERT of one op in a server's record, for writers in their own transaction; returns its seq. */
export function insertDeviceOpStatement(db: Db) {
  const stmt = db.prepare('INSERT INTO device_ops (server_id, serial_number, op_type, op_date) VALUES (?, ?, ?, ?)');
  return (serverId: string, serial: string, type: DeviceOpType, at: Date): number => Number(stmt.run(serverId, serial, type, toDb(at)).lastInsertRowid);
}

export class DeviceWriter {
  private readonly s;
  private readonly insertOp;
  constructor(db: Db) {
    this.insertOp = insertDeviceOpStatement(db);
    this.s = {
      current: db.prepare('SELECT org_id, mdm_server_id, released_at FROM devices WHERE serial_number = ?'),
      assign: db.prepare(`UPDATE devices SET mdm_server_id = @serverId, assigned_at = @at, assigned_by = @by, assign_seq = @seq,
        profile_uuid = NULL, profile_status = 'empty', profile_assign_time = NULL, profile_push_time = NULL, updated_at = @at
        WHERE serial_number = @serial`),
      unassign: db.prepare(`UPDATE devices SET mdm_server_id = NULL, assigned_at = NULL, assigned_by = NULL, assign_seq = NULL,
        profile_uuid = NULL, profile_status = 'empty', profile_assign_time = NULL, profile_push_time = NULL, updated_at = @at
        WHERE serial_number = @serial`),
      release: db.prepare('UPDATE devices SET released_at = @at, updated_at = @at WHERE serial_number = @serial'),
      delete: db.prepare('DELETE FROM devices WHERE serial_number = ?'),
      defaultServer: db.prepare('SELECT server_id FROM default_servers WHERE org_id = ? AND family = ?'),
      insert: db.prepare(`INSERT INTO devices (serial_number, org_id, family, model, description, color, os, asset_tag, order_number,
        order_date, source, added_at, updated_at, supervised, provisional_until)
        VALUES (@serialNumber, @orgId, @family, @model, @description, @color, @os, @assetTag, @orderNumber, @orderDate, @source,
        @addedAt, @updatedAt, @supervised, @provisionalUntil)
        ON CONFLICT (serial_number) DO UPDATE SET org_id = excluded.org_id, family = excluded.family, model = excluded.model,
        description = excluded.description, color = excluded.color, os = excluded.os, asset_tag = excluded.asset_tag,
        order_number = excluded.order_number, order_date = excluded.order_date, source = excluded.source,
        added_at = excluded.added_at, updated_at = excluded.updated_at, supervised = excluded.supervised,
        provisional_until = excluded.provisional_until, mdm_server_id = NULL, assigned_at = NULL, assigned_by = NULL,
        assign_seq = NULL, profile_uuid = NULL, profile_status = 'empty', profile_assign_time = NULL, profile_push_time = NULL,
        released_at = NULL`),
      assetTag: db.prepare('UPDATE devices SET asset_tag = @assetTag, updated_at = @at WHERE serial_number = @serial'),
    };
  }

  /** Appends one op and returns its seq. */
  op(serverId: string, serial: string, type: DeviceOpType, at: Date): number {
    return this.insertOp(serverId, serial, type, at);
  }

  /** The device's current owner and server (any state), for checks inside a transaction. */
  current(serial: string): { orgId: string; serverId?: string; released: boolean } | undefined {
    const r = this.s.current.get(serial) as Row | undefined;
    return r && { orgId: r.org_id, serverId: r.mdm_server_id ?? undefined, released: !!r.released_at };
  }

  /**
   * Assigns to `serverId`: 'deleted' for the old server on a move, 'added' for the new one.
   * Returns 'unchanged' when it is already there (no op: nothing an MDM server could see changed).
   */
  assign(serial: string, serverId: string, at: Date, by: string | null): 'assigned' | 'moved' | 'unchanged' {
    const cur = this.current(serial);
    if (cur?.serverId === serverId) return 'unchanged';
    if (cur?.serverId) this.op(cur.serverId, serial, 'deleted', at);
    const seq = this.op(serverId, serial, 'added', at);
    this.s.assign.run({ serial, serverId, at: toDb(at), by, seq });
    return cur?.serverId ? 'moved' : 'assigned';
  }

  /** Removes from its server, if any ('deleted' op). Returns the server it left. */
  unassign(serial: string, at: Date): string | undefined {
    const cur = this.current(serial);
    if (!cur?.serverId) return undefined;
    this.op(cur.serverId, serial, 'deleted', at);
    this.s.unassign.run({ serial, at: toDb(at) });
    return cur.serverId;
  }

  /** Release: off its server and out of every list until added manually again. */
  release(serial: string, at: Date): void {
    this.unassign(serial, at);
    this.s.release.run({ serial, at: toDb(at) });
  }

  /** Returned to the reseller or voided: off its server and out of the organisation; a later order may bring it back. */
  remove(serial: string, at: Date): void {
    this.unassign(serial, at);
    this.s.delete.run(serial);
  }

  /** The organisation's default server for the device's family (an iPod follows iPhone). */
  defaultServer(orgId: string, family: DeviceFamily): string | undefined {
    const r = this.s.defaultServer.get(orgId, defaultFamilyOf(family)) as Row | undefined;
    return r?.server_id;
  }

  /** A device arriving from an order: inserted, then assigned to its family's default server if one is set. */
  arrive(d: Device, at: Date): void {
    this.insert(d);
    const server = this.defaultServer(d.orgId, d.family);
    if (server) this.assign(d.serialNumber, server, at, 'system');
  }

  /** Inserts a device, or brings back a released one as new (unassigned, no profile). */
  insert(d: Device): void {
    this.s.insert.run({
      serialNumber: d.serialNumber, orgId: d.orgId, family: d.family, model: d.model, description: d.description,
      color: d.color, os: d.os, assetTag: d.assetTag, orderNumber: d.orderNumber, orderDate: d.orderDate ? toDb(d.orderDate) : null,
      source: d.source, addedAt: toDb(d.addedAt), updatedAt: toDb(d.updatedAt), supervised: d.supervised ? 1 : 0,
      provisionalUntil: d.provisionalUntil ? toDb(d.provisionalUntil) : null,
    });
  }

  /** A visible field changed: 'modified' for its server. */
  setAssetTag(serial: string, assetTag: string, at: Date): void {
    this.s.assetTag.run({ serial, assetTag, at: toDb(at) });
    const cur = this.current(serial);
    if (cur?.serverId) this.op(cur.serverId, serial, 'modified', at);
  }
}
