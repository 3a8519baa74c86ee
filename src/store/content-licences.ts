// The write side of licences and Apps and Books users: every change that consumes or frees a
// licence, or registers, updates or retires a user, runs here in one synchronous transaction
// that also checks the counts, bumps the library's version and writes the outbox event.
// Asynchronous VPP events are processed here too: the change and the event's outcome commit together.
import type { Db } from './db.js';
import { toDb } from './db.js';
import { toVppUser, type VppUser } from './content-library.js';

export interface AssetRef {
  adamId: string;
  pricingParam: string;
}

export interface Targets {
  serialNumbers: string[];
  clientUserIds: string[];
}

/** Why part of a licence or user operation failed; the VPP face maps these to errorNumbers. */
export type LicenceFailureCode = 'not_enough_licences' | 'user_not_found' | 'user_exists' | 'internal';

export interface LicenceFailure {
  code: LicenceFailureCode;
  assets?: AssetRef[];
  serialNumbers?: string[];
  clientUserIds?: string[];
}

export interface AssignmentKey extends AssetRef {
  serialNumber?: string;
  clientUserId?: string;
}

export interface ApplyResult {
  numCompleted: number;
  failures: LicenceFailure[];
  /** Assignments this call created (not those that already existed). */
  added: AssignmentKey[];
  removed: AssignmentKey[];
}

export interface NewVppUser {
  clientUserId: string;
  email?: string;
  managedAppleId?: string;
}

export type VppEventType = 'ASSOCIATE' | 'DISASSOCIATE' | 'REVOKE' | 'CREATE' | 'UPDATE' | 'RETIRE';
export type VppEventStatus = 'PENDING' | 'COMPLETE' | 'FAILED';

export type VppEventRequest =
  | { assets: AssetRef[]; serialNumbers: string[]; clientUserIds: string[] }
  | { serialNumbers: string[]; clientUserIds: string[] }
  | { users: NewVppUser[] };

export interface VppEvent {
  id: string;
  locationId: string;
  orgId?: string;
  eventType: VppEventType;
  status: VppEventStatus;
  request: VppEventRequest;
  numRequested: number;
  numCompleted: number;
  failures: LicenceFailure[];
  createdAt: Date;
  completedAt?: Date;
}

/** Licences are used in request order until none is left ('partial'), or all of an asset's new ones or none ('all-or-nothing'). */
export type AssociateMode = 'partial' | 'all-or-nothing';

export interface LicenceRepository {
  associate(orgId: string, locationId: string, assets: AssetRef[], targets: Targets, at: Date, mode: AssociateMode): Promise<ApplyResult>;
  disassociate(orgId: string, locationId: string, assets: AssetRef[], targets: Targets, at: Date): Promise<ApplyResult>;
  /** Frees every revocable (app) licence of the targets. */
  revoke(orgId: string, locationId: string, targets: Targets, at: Date): Promise<ApplyResult>;
  /** Moves one licence from a user to a device (user-to-device migration), keeping the count. */
  moveUserToDevice(orgId: string, locationId: string, asset: AssetRef, clientUserId: string, serialNumber: string, at: Date): Promise<'moved' | 'not_assigned' | 'device_already_assigned'>;
  createUsers(orgId: string, locationId: string, users: NewVppUser[], at: Date, newInviteCode: () => string): Promise<ApplyResult>;
  updateUsers(orgId: string, locationId: string, users: NewVppUser[], at: Date): Promise<ApplyResult>;
  retireUsers(orgId: string, locationId: string, clientUserIds: string[], at: Date): Promise<ApplyResult>;
  /** A user accepted the invitation: bound to a personal Apple Account known only by its hash. */
  acceptInvitation(inviteCode: string, idHash: string, at: Date): Promise<VppUser | undefined>;
  createEvent(e: VppEvent): Promise<void>;
  getEvent(locationId: string, id: string): Promise<VppEvent | undefined>;
  pendingEventIds(limit: number): Promise<string[]>;
  /** Applies a PENDING event and records COMPLETE/FAILED with its counts, in one transaction. */
  processEvent(id: string, at: Date, newInviteCode: () => string): Promise<VppEvent | undefined>;
  /** Marks a PENDING event FAILED with an internal error, when processing it threw. */
  failEvent(id: string, at: Date): Promise<void>;
}

type Row = Record<string, any>;
const empty = (): ApplyResult => ({ numCompleted: 0, failures: [], added: [], removed: [] });

export class SqliteLicenceRepository implements LicenceRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      bump: db.prepare('UPDATE vpp_libraries SET version = version + 1 WHERE location_id = ? RETURNING version'),
      pool: db.prepare('SELECT * FROM licence_pools WHERE location_id = ? AND adam_id = ? AND pricing_param = ?'),
      assigned: db.prepare('SELECT count(*) AS n FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ?'),
      hasDevice: db.prepare('SELECT 1 FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND serial_number = ?'),
      hasUser: db.prepare('SELECT 1 FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND client_user_id = ?'),
      insert: db.prepare(`INSERT INTO licence_assignments (location_id, adam_id, pricing_param, serial_number, client_user_id, assigned_at, version)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      delDevice: db.prepare('DELETE FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND serial_number = ?'),
      delUser: db.prepare('DELETE FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND client_user_id = ?'),
      revocableOfDevice: db.prepare(`SELECT a.adam_id, a.pricing_param FROM licence_assignments a JOIN licence_pools p ON p.location_id = a.location_id
        AND p.adam_id = a.adam_id AND p.pricing_param = a.pricing_param WHERE a.location_id = ? AND a.serial_number = ? AND p.product_type = 'App'`),
      revocableOfUser: db.prepare(`SELECT a.adam_id, a.pricing_param FROM licence_assignments a JOIN licence_pools p ON p.location_id = a.location_id
        AND p.adam_id = a.adam_id AND p.pricing_param = a.pricing_param WHERE a.location_id = ? AND a.client_user_id = ? AND p.product_type = 'App'`),
      user: db.prepare('SELECT * FROM vpp_users WHERE location_id = ? AND client_user_id = ?'),
      insertUser: db.prepare(`INSERT INTO vpp_users (location_id, client_user_id, email, managed_apple_id, status, invite_code, version, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'Registered', ?, ?, ?, ?)`),
      reRegister: db.prepare(`UPDATE vpp_users SET status = 'Registered', email = ?, managed_apple_id = ?, invite_code = ?, id_hash = NULL, version = ?,
        updated_at = ? WHERE location_id = ? AND client_user_id = ?`),
      updateUser: db.prepare(`UPDATE vpp_users SET email = coalesce(?, email), managed_apple_id = coalesce(?, managed_apple_id), version = ?, updated_at = ?
        WHERE location_id = ? AND client_user_id = ?`),
      retireUser: db.prepare(`UPDATE vpp_users SET status = 'Retired', invite_code = NULL, version = ?, updated_at = ? WHERE location_id = ? AND client_user_id = ?`),
      byInvite: db.prepare(`SELECT * FROM vpp_users WHERE invite_code = ? AND status = 'Registered'`),
      associateUser: db.prepare(`UPDATE vpp_users SET status = 'Associated', id_hash = ?, invite_code = NULL, version = ?, updated_at = ?
        WHERE location_id = ? AND client_user_id = ?`),
      orgOf: db.prepare('SELECT org_id FROM locations WHERE id = ?'),
      outbox: db.prepare('INSERT INTO events (org_id, type, payload, created_at) VALUES (?, ?, ?, ?)'),
      insertEvent: db.prepare(`INSERT INTO vpp_events (id, location_id, event_type, status, request, num_requested, num_completed, failures, created_at)
        VALUES (@id, @locationId, @eventType, @status, @request, @numRequested, @numCompleted, @failures, @createdAt)`),
      event: db.prepare('SELECT * FROM vpp_events WHERE location_id = ? AND id = ?'),
      eventById: db.prepare('SELECT * FROM vpp_events WHERE id = ?'),
      pending: db.prepare(`SELECT id FROM vpp_events WHERE status = 'PENDING' ORDER BY created_at, rowid LIMIT ?`),
      failPending: db.prepare(`UPDATE vpp_events SET status = 'FAILED', failures = ?, completed_at = ? WHERE id = ? AND status = 'PENDING'`),
      finish: db.prepare('UPDATE vpp_events SET status = ?, num_completed = ?, failures = ?, completed_at = ? WHERE id = ?'),
    };
  }

  /** One version per operation: the first change bumps the library's counter, later ones reuse it. */
  private versioner(locationId: string) {
    let v: number | undefined;
    return () => {
      if (v === undefined) {
        const r = this.s.bump.get(locationId) as { version: number } | undefined;
        if (!r) throw new Error(`no Apps and Books library for location ${locationId}`);
        v = r.version;
      }
      return v;
    };
  }

  private emit(orgId: string, type: string, payload: unknown, at: Date) {
    this.s.outbox.run(orgId, type, JSON.stringify(payload), toDb(at));
  }

  private associateSync(orgId: string, loc: string, assets: AssetRef[], t: Targets, at: Date, mode: AssociateMode): ApplyResult {
    const out = empty();
    const version = this.versioner(loc);
    const unknownUsers = t.clientUserIds.filter((u) => {
      const row = this.s.user.get(loc, u) as Row | undefined;
      return !row || row.status === 'Retired';
    });
    if (unknownUsers.length) out.failures.push({ code: 'user_not_found', clientUserIds: unknownUsers });
    const users = t.clientUserIds.filter((u) => !unknownUsers.includes(u));
    for (const a of assets) {
      const pool = this.s.pool.get(loc, a.adamId, a.pricingParam) as Row | undefined;
      let available = (pool?.total_count ?? 0) - (this.s.assigned.get(loc, a.adamId, a.pricingParam) as { n: number }).n;
      // A licence is counted once per device or user: existing assignments complete without using one.
      const newSerials = t.serialNumbers.filter((s) => !this.s.hasDevice.get(loc, a.adamId, a.pricingParam, s));
      const newUsers = users.filter((u) => !this.s.hasUser.get(loc, a.adamId, a.pricingParam, u));
      out.numCompleted += t.serialNumbers.length - newSerials.length + users.length - newUsers.length;
      const wanted = newSerials.length + newUsers.length;
      if (mode === 'all-or-nothing' && wanted > available) {
        out.failures.push({ code: 'not_enough_licences', assets: [a], serialNumbers: newSerials, clientUserIds: newUsers });
        continue;
      }
      const short: Targets = { serialNumbers: [], clientUserIds: [] };
      for (const s of newSerials) {
        if (available <= 0) { short.serialNumbers.push(s); continue; }
        this.s.insert.run(loc, a.adamId, a.pricingParam, s, null, toDb(at), version());
        out.added.push({ ...a, serialNumber: s });
        available--; out.numCompleted++;
      }
      for (const u of newUsers) {
        if (available <= 0) { short.clientUserIds.push(u); continue; }
        this.s.insert.run(loc, a.adamId, a.pricingParam, null, u, toDb(at), version());
        out.added.push({ ...a, clientUserId: u });
        available--; out.numCompleted++;
      }
      if (short.serialNumbers.length || short.clientUserIds.length) out.failures.push({ code: 'not_enough_licences', assets: [a], ...short });
    }
    if (out.added.length) this.emit(orgId, 'content.licences_assigned', { location_id: loc, assignments: out.added }, at);
    return out;
  }

  private removeSync(orgId: string, loc: string, pairs: AssignmentKey[], at: Date, out: ApplyResult) {
    const version = this.versioner(loc);
    for (const p of pairs) {
      const changes = p.serialNumber !== undefined
        ? this.s.delDevice.run(loc, p.adamId, p.pricingParam, p.serialNumber).changes
        : this.s.delUser.run(loc, p.adamId, p.pricingParam, p.clientUserId).changes;
      if (changes) { out.removed.push(p); version(); }
    }
    if (out.removed.length) this.emit(orgId, 'content.licences_unassigned', { location_id: loc, assignments: out.removed }, at);
  }

  private disassociateSync(orgId: string, loc: string, assets: AssetRef[], t: Targets, at: Date): ApplyResult {
    const out = empty();
    const pairs: AssignmentKey[] = [];
    for (const a of assets) {
      for (const s of t.serialNumbers) pairs.push({ ...a, serialNumber: s });
      for (const u of t.clientUserIds) pairs.push({ ...a, clientUserId: u });
    }
    this.removeSync(orgId, loc, pairs, at, out);
    out.numCompleted = pairs.length; // removing what is not assigned is already done
    return out;
  }

  private revokeSync(orgId: string, loc: string, t: Targets, at: Date): ApplyResult {
    const out = empty();
    const pairs: AssignmentKey[] = [];
    const ref = (r: Row): AssetRef => ({ adamId: r.adam_id, pricingParam: r.pricing_param });
    for (const s of t.serialNumbers) for (const r of this.s.revocableOfDevice.all(loc, s) as Row[]) pairs.push({ ...ref(r), serialNumber: s });
    for (const u of t.clientUserIds) for (const r of this.s.revocableOfUser.all(loc, u) as Row[]) pairs.push({ ...ref(r), clientUserId: u });
    this.removeSync(orgId, loc, pairs, at, out);
    out.numCompleted = t.serialNumbers.length + t.clientUserIds.length;
    return out;
  }

  private createUsersSync(orgId: string, loc: string, users: NewVppUser[], at: Date, code: () => string): ApplyResult {
    const out = empty();
    const version = this.versioner(loc);
    const exists: string[] = [];
    const invited: Array<{ client_user_id: string; email: string | null; invite_code: string }> = [];
    for (const u of users) {
      const row = this.s.user.get(loc, u.clientUserId) as Row | undefined;
      if (row && row.status !== 'Retired') { exists.push(u.clientUserId); continue; }
      const invite = code();
      if (row) this.s.reRegister.run(u.email ?? null, u.managedAppleId ?? null, invite, version(), toDb(at), loc, u.clientUserId);
      else this.s.insertUser.run(loc, u.clientUserId, u.email ?? null, u.managedAppleId ?? null, invite, version(), toDb(at), toDb(at));
      invited.push({ client_user_id: u.clientUserId, email: u.email ?? null, invite_code: invite });
      out.numCompleted++;
    }
    if (exists.length) out.failures.push({ code: 'user_exists', clientUserIds: exists });
    // Registering a user invites them: the outbox event carries the invite code for the email or push.
    if (invited.length) this.emit(orgId, 'content.users_invited', { location_id: loc, users: invited }, at);
    return out;
  }

  private updateUsersSync(loc: string, users: NewVppUser[], at: Date): ApplyResult {
    const out = empty();
    const version = this.versioner(loc);
    const missing: string[] = [];
    for (const u of users) {
      const row = this.s.user.get(loc, u.clientUserId) as Row | undefined;
      if (!row || row.status === 'Retired') { missing.push(u.clientUserId); continue; }
      this.s.updateUser.run(u.email ?? null, u.managedAppleId ?? null, version(), toDb(at), loc, u.clientUserId);
      out.numCompleted++;
    }
    if (missing.length) out.failures.push({ code: 'user_not_found', clientUserIds: missing });
    return out;
  }

  private retireUsersSync(orgId: string, loc: string, ids: string[], at: Date): ApplyResult {
    const out = empty();
    const version = this.versioner(loc);
    const missing: string[] = [];
    const retiring: string[] = [];
    for (const id of ids) {
      const row = this.s.user.get(loc, id) as Row | undefined;
      if (!row || row.status === 'Retired') { missing.push(id); continue; }
      this.s.retireUser.run(version(), toDb(at), loc, id);
      retiring.push(id);
      out.numCompleted++;
    }
    // A retired user keeps no app licence (books are not revocable and stay theirs).
    const freed = this.revokeSync(orgId, loc, { serialNumbers: [], clientUserIds: retiring }, at);
    out.removed = freed.removed;
    if (missing.length) out.failures.push({ code: 'user_not_found', clientUserIds: missing });
    return out;
  }

  private async tx<T>(fn: () => T): Promise<T> {
    return this.db.transaction(fn).immediate();
  }

  associate(orgId: string, loc: string, assets: AssetRef[], t: Targets, at: Date, mode: AssociateMode) {
    return this.tx(() => this.associateSync(orgId, loc, assets, t, at, mode));
  }
  disassociate(orgId: string, loc: string, assets: AssetRef[], t: Targets, at: Date) {
    return this.tx(() => this.disassociateSync(orgId, loc, assets, t, at));
  }
  revoke(orgId: string, loc: string, t: Targets, at: Date) {
    return this.tx(() => this.revokeSync(orgId, loc, t, at));
  }
  moveUserToDevice(orgId: string, loc: string, a: AssetRef, clientUserId: string, serial: string, at: Date) {
    return this.tx((): 'moved' | 'not_assigned' | 'device_already_assigned' => {
      if (!this.s.hasUser.get(loc, a.adamId, a.pricingParam, clientUserId)) return 'not_assigned';
      if (this.s.hasDevice.get(loc, a.adamId, a.pricingParam, serial)) return 'device_already_assigned';
      const version = this.versioner(loc);
      this.s.delUser.run(loc, a.adamId, a.pricingParam, clientUserId);
      this.s.insert.run(loc, a.adamId, a.pricingParam, serial, null, toDb(at), version());
      this.emit(orgId, 'content.licence_migrated', { location_id: loc, adam_id: a.adamId, from_client_user_id: clientUserId, to_serial_number: serial }, at);
      return 'moved';
    });
  }
  createUsers(orgId: string, loc: string, users: NewVppUser[], at: Date, code: () => string) {
    return this.tx(() => this.createUsersSync(orgId, loc, users, at, code));
  }
  updateUsers(_orgId: string, loc: string, users: NewVppUser[], at: Date) {
    return this.tx(() => this.updateUsersSync(loc, users, at));
  }
  retireUsers(orgId: string, loc: string, ids: string[], at: Date) {
    return this.tx(() => this.retireUsersSync(orgId, loc, ids, at));
  }
  acceptInvitation(inviteCode: string, idHash: string, at: Date) {
    return this.tx((): VppUser | undefined => {
      const row = this.s.byInvite.get(inviteCode) as Row | undefined;
      if (!row) return undefined;
      this.s.associateUser.run(idHash, this.versioner(row.location_id)(), toDb(at), row.location_id, row.client_user_id);
      return toVppUser(this.s.user.get(row.location_id, row.client_user_id) as Row);
    });
  }

  async createEvent(e: VppEvent) {
    this.s.insertEvent.run({
      ...e, request: JSON.stringify(e.request), failures: JSON.stringify(e.failures), createdAt: toDb(e.createdAt),
    });
  }
  private toEvent(r: Row): VppEvent {
    return {
      id: r.id, locationId: r.location_id, eventType: r.event_type, status: r.status, request: JSON.parse(r.request), numRequested: r.num_requested,
      numCompleted: r.num_completed, failures: JSON.parse(r.failures), createdAt: new Date(r.created_at),
      completedAt: r.completed_at ? new Date(r.completed_at) : undefined,
    };
  }
  async getEvent(locationId: string, id: string) {
    const r = this.s.event.get(locationId, id) as Row | undefined;
    return r && this.toEvent(r);
  }
  async pendingEventIds(limit: number) {
    return (this.s.pending.all(limit) as Row[]).map((r) => r.id as string);
  }
  async failEvent(id: string, at: Date) {
    this.s.failPending.run(JSON.stringify([{ code: 'internal' }]), toDb(at), id);
  }
  processEvent(id: string, at: Date, code: () => string) {
    return this.tx((): VppEvent | undefined => {
      const row = this.s.eventById.get(id) as Row | undefined;
      if (!row) return undefined;
      const e = this.toEvent(row);
      if (e.status !== 'PENDING') return e;
      const orgId = (this.s.orgOf.get(e.locationId) as Row).org_id as string;
      const req = e.request as any;
      const targets: Targets = { serialNumbers: req.serialNumbers ?? [], clientUserIds: req.clientUserIds ?? [] };
      const result =
        e.eventType === 'ASSOCIATE' ? this.associateSync(orgId, e.locationId, req.assets, targets, at, 'all-or-nothing')
        : e.eventType === 'DISASSOCIATE' ? this.disassociateSync(orgId, e.locationId, req.assets, targets, at)
        : e.eventType === 'REVOKE' ? this.revokeSync(orgId, e.locationId, targets, at)
        : e.eventType === 'CREATE' ? this.createUsersSync(orgId, e.locationId, req.users, at, code)
        : e.eventType === 'UPDATE' ? this.updateUsersSync(e.locationId, req.users, at)
        : this.retireUsersSync(orgId, e.locationId, (req.users as NewVppUser[]).map((u) => u.clientUserId), at);
      const status: VppEventStatus = result.failures.length ? 'FAILED' : 'COMPLETE';
      this.s.finish.run(status, result.numCompleted, JSON.stringify(result.failures), toDb(at), id);
      return { ...e, status, numCompleted: result.numCompleted, failures: result.failures, completedAt: at };
    });
  }
}
