// The write side of licences and Apps and Books users, as rows: the reads a licence decision
// makes and the writes it asks for, applied in one synchronous transaction with the library's
// version bump and the outbox events. The rules (availability, partial vs all-or-nothing, the
// user state machine, retire → revoke) are the content domain's (business/content/licence-rules.ts):
// it hands each change a pure decision function, run here inside the transaction on its reads.
// Asynchronous VPP events are processed the same way: the change and the event's outcome commit together.
import type { Db } from './db.js';
import { toDb } from './db.js';
import { toVppUser, type VppUser } from './content-library.js';
import type { ProductType } from './content-purchasing.js';
import { insertEventStatement } from './events.js';

export interface AssetRef {
  adamId: string;
  pricingParam: string;
}

export interface Targets {
  serialNumbers: string[];
  clientUserIds: string[];
}

/** Why part of a licence or user operation failed (stored in vpp_events); the VPP face maps these to errorNumbers. */
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

/** Who holds (or would hold) a licence: a device by serial, or a user by clientUserId. */
export type Holder = { serialNumber: string; clientUserId?: undefined } | { clientUserId: string; serialNumber?: undefined };

/** What a licence decision reads, synchronously, inside the change's transaction (one location). */
export interface LicenceReads {
  /** Licences of the asset the location holds (0 when it bought none). */
  total(a: AssetRef): number;
  /** Licences of the asset in use at the location. */
  assignedCount(a: AssetRef): number;
  isAssigned(a: AssetRef, to: Holder): boolean;
  user(clientUserId: string): VppUser | undefined;
  /** The holder's assignments, with each asset's product type, in assignment order. */
  assignmentsOf(to: Holder): Array<AssetRef & { productType: ProductType }>;
}

/** The rows a decision writes; applied in this order, all with one new library version. */
export interface LicenceChanges {
  unassign: AssignmentKey[];
  assign: AssignmentKey[];
  /** New users, or retired ones registered again: status Registered with this invite code. */
  register: Array<NewVppUser & { inviteCode: string }>;
  /** Email and Managed Apple Account changed where given. */
  update: NewVppUser[];
  /** Status Retired, invite code cleared. */
  retire: string[];
  /** Status Associated, bound to the personal account's hash, invite code cleared. */
  associate: Array<{ clientUserId: string; idHash: string }>;
  /** Outbox events, written in the same transaction. */
  events: Array<{ type: string; payload: unknown }>;
}

export interface Decision<T> {
  changes: LicenceChanges;
  result: T;
}

/** What processing an event decided: its changes and the outcome recorded on it. */
export interface EventDecision {
  changes: LicenceChanges;
  outcome: { status: Exclude<VppEventStatus, 'PENDING'>; numCompleted: number; failures: LicenceFailure[] };
}

export interface LicenceRepository {
  /** Runs `decide` on the location's licences and users and applies its changes, in one transaction. */
  change<T>(orgId: string, locationId: string, at: Date, decide: (reads: LicenceReads) => Decision<T>): Promise<T>;
  /**
   * The same for the user holding `inviteCode` (any status), at that user's location; `decide`
   * sees undefined when no user holds it.
   */
  changeByInviteCode<T>(inviteCode: string, at: Date, decide: (user: VppUser | undefined, reads: LicenceReads | undefined) => Decision<T>): Promise<T>;
  createEvent(e: VppEvent): Promise<void>;
  getEvent(locationId: string, id: string): Promise<VppEvent | undefined>;
  pendingEventIds(limit: number): Promise<string[]>;
  /**
   * A PENDING event: runs `decide` on it and its location, applies the changes and records the
   * outcome, in one transaction. Another event is answered as it is; an unknown id, undefined.
   */
  processEvent(id: string, at: Date, decide: (e: VppEvent, reads: LicenceReads) => EventDecision): Promise<VppEvent | undefined>;
  /** Marks a PENDING event FAILED with an internal error, when processing it threw. */
  failEvent(id: string, at: Date): Promise<void>;
}

type Row = Record<string, any>;
const holderArgs = (to: Holder) => (to.serialNumber !== undefined ? [to.serialNumber, null] : [null, to.clientUserId]);

export class SqliteLicenceRepository implements LicenceRepository {
  private readonly s;
  private readonly insertEvent;
  constructor(private readonly db: Db) {
    this.insertEvent = insertEventStatement(db);
    this.s = {
      bump: db.prepare('UPDATE vpp_libraries SET version = version + 1 WHERE location_id = ? RETURNING version'),
      pool: db.prepare('SELECT total_count FROM licence_pools WHERE location_id = ? AND adam_id = ? AND pricing_param = ?'),
      assigned: db.prepare('SELECT count(*) AS n FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ?'),
      hasDevice: db.prepare('SELECT 1 FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND serial_number = ?'),
      hasUser: db.prepare('SELECT 1 FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND client_user_id = ?'),
      insert: db.prepare(`INSERT INTO licence_assignments (location_id, adam_id, pricing_param, serial_number, client_user_id, assigned_at, version)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      delDevice: db.prepare('DELETE FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND serial_number = ?'),
      delUser: db.prepare('DELETE FROM licence_assignments WHERE location_id = ? AND adam_id = ? AND pricing_param = ? AND client_user_id = ?'),
      ofDevice: db.prepare(`SELECT a.adam_id, a.pricing_param, p.product_type FROM licence_assignments a JOIN licence_pools p ON p.location_id = a.location_id
        AND p.adam_id = a.adam_id AND p.pricing_param = a.pricing_param WHERE a.location_id = ? AND a.serial_number = ?`),
      ofUser: db.prepare(`SELECT a.adam_id, a.pricing_param, p.product_type FROM licence_assignments a JOIN licence_pools p ON p.location_id = a.location_id
        AND p.adam_id = a.adam_id AND p.pricing_param = a.pricing_param WHERE a.location_id = ? AND a.client_user_id = ?`),
      user: db.prepare('SELECT * FROM vpp_users WHERE location_id = ? AND client_user_id = ?'),
      insertUser: db.prepare(`INSERT INTO vpp_users (location_id, client_user_id, email, managed_apple_id, status, invite_code, version, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'Registered', ?, ?, ?, ?)`),
      reRegister: db.prepare(`UPDATE vpp_users SET status = 'Registered', email = ?, managed_apple_id = ?, invite_code = ?, id_hash = NULL, version = ?,
        updated_at = ? WHERE location_id = ? AND client_user_id = ?`),
      updateUser: db.prepare(`UPDATE vpp_users SET email = coalesce(?, email), managed_apple_id = coalesce(?, managed_apple_id), version = ?, updated_at = ?
        WHERE location_id = ? AND client_user_id = ?`),
      retireUser: db.prepare(`UPDATE vpp_users SET status = 'Retired', invite_code = NULL, version = ?, updated_at = ? WHERE location_id = ? AND client_user_id = ?`),
      byInvite: db.prepare('SELECT * FROM vpp_users WHERE invite_code = ?'),
      associateUser: db.prepare(`UPDATE vpp_users SET status = 'Associated', id_hash = ?, invite_code = NULL, version = ?, updated_at = ?
        WHERE location_id = ? AND client_user_id = ?`),
      orgOf: db.prepare('SELECT org_id FROM locations WHERE id = ?'),
      insertEvent: db.prepare(`INSERT INTO vpp_events (id, location_id, event_type, status, request, num_requested, num_completed, failures, created_at)
        VALUES (@id, @locationId, @eventType, @status, @request, @numRequested, @numCompleted, @failures, @createdAt)`),
      event: db.prepare('SELECT * FROM vpp_events WHERE location_id = ? AND id = ?'),
      eventById: db.prepare('SELECT * FROM vpp_events WHERE id = ?'),
      pending: db.prepare(`SELECT id FROM vpp_events WHERE status = 'PENDING' ORDER BY created_at, rowid LIMIT ?`),
      failPending: db.prepare(`UPDATE vpp_events SET status = 'FAILED', failures = ?, completed_at = ? WHERE id = ? AND status = 'PENDING'`),
      finish: db.prepare('UPDATE vpp_events SET status = ?, num_completed = ?, failures = ?, completed_at = ? WHERE id = ?'),
    };
  }

  /** The synchronous reads of one location, for a decision inside a transaction. */
  private reads(loc: string): LicenceReads {
    const s = this.s;
    const ref = (r: Row) => ({ adamId: r.adam_id as string, pricingParam: r.pricing_param as string, productType: r.product_type as ProductType });
    return {
      total: (a) => ((s.pool.get(loc, a.adamId, a.pricingParam) as Row | undefined)?.total_count as number | undefined) ?? 0,
      assignedCount: (a) => (s.assigned.get(loc, a.adamId, a.pricingParam) as { n: number }).n,
      isAssigned: (a, to) => (to.serialNumber !== undefined
        ? s.hasDevice.get(loc, a.adamId, a.pricingParam, to.serialNumber)
        : s.hasUser.get(loc, a.adamId, a.pricingParam, to.clientUserId)) !== undefined,
      user: (id) => {
        const r = s.user.get(loc, id) as Row | undefined;
        return r && toVppUser(r);
      },
      assignmentsOf: (to) => ((to.serialNumber !== undefined ? s.ofDevice.all(loc, to.serialNumber) : s.ofUser.all(loc, to.clientUserId)) as Row[]).map(ref),
    };
  }

  /** Writes the changes with one new library version (none when nothing is written). */
  private apply(orgId: string, loc: string, c: LicenceChanges, at: Date): void {
    const writes = c.unassign.length + c.assign.length + c.register.length + c.update.length + c.retire.length + c.associate.length;
    if (writes) {
      const r = this.s.bump.get(loc) as { version: number } | undefined;
      if (!r) throw new Error(`no Apps and Books library for location ${loc}`);
      const v = r.version;
      const t = toDb(at);
      for (const k of c.unassign) {
        if (k.serialNumber !== undefined) this.s.delDevice.run(loc, k.adamId, k.pricingParam, k.serialNumber);
        else this.s.delUser.run(loc, k.adamId, k.pricingParam, k.clientUserId);
      }
      for (const k of c.assign) this.s.insert.run(loc, k.adamId, k.pricingParam, ...holderArgs(k as Holder), t, v);
      for (const u of c.register) {
        if (this.s.user.get(loc, u.clientUserId)) this.s.reRegister.run(u.email ?? null, u.managedAppleId ?? null, u.inviteCode, v, t, loc, u.clientUserId);
        else this.s.insertUser.run(loc, u.clientUserId, u.email ?? null, u.managedAppleId ?? null, u.inviteCode, v, t, t);
      }
      for (const u of c.update) this.s.updateUser.run(u.email ?? null, u.managedAppleId ?? null, v, t, loc, u.clientUserId);
      for (const id of c.retire) this.s.retireUser.run(v, t, loc, id);
      for (const a of c.associate) this.s.associateUser.run(a.idHash, v, t, loc, a.clientUserId);
    }
    for (const e of c.events) this.insertEvent({ orgId, type: e.type, payload: JSON.stringify(e.payload) }, at);
  }

  private async tx<T>(fn: () => T): Promise<T> {
    return this.db.transaction(fn).immediate();
  }

  change<T>(orgId: string, loc: string, at: Date, decide: (reads: LicenceReads) => Decision<T>) {
    return this.tx(() => {
      const d = decide(this.reads(loc));
      this.apply(orgId, loc, d.changes, at);
      return d.result;
    });
  }

  changeByInviteCode<T>(inviteCode: string, at: Date, decide: (user: VppUser | undefined, reads: LicenceReads | undefined) => Decision<T>) {
    return this.tx(() => {
      const row = this.s.byInvite.get(inviteCode) as Row | undefined;
      const user = row && toVppUser(row);
      const d = decide(user, user && this.reads(user.locationId));
      if (user) this.apply((this.s.orgOf.get(user.locationId) as Row).org_id, user.locationId, d.changes, at);
      return d.result;
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
  processEvent(id: string, at: Date, decide: (e: VppEvent, reads: LicenceReads) => EventDecision) {
    return this.tx((): VppEvent | undefined => {
      const row = this.s.eventById.get(id) as Row | undefined;
      if (!row) return undefined;
      const e = this.toEvent(row);
      if (e.status !== 'PENDING') return e;
      const orgId = (this.s.orgOf.get(e.locationId) as Row).org_id as string;
      const { changes, outcome } = decide(e, this.reads(e.locationId));
      this.apply(orgId, e.locationId, changes, at);
      this.s.finish.run(outcome.status, outcome.numCompleted, JSON.stringify(outcome.failures), toDb(at), id);
      return { ...e, ...outcome, completedAt: at };
    });
  }
}
