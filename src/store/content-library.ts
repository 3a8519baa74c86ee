// A location's Apps and Books library as an MDM sees it: its uId and version counter, the
// client configuration, content tokens (hashed), and the read side of assignments and users.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';

export interface Library {
  locationId: string;
  uid: string;
  version: number;
  mdmInfo?: { id: string; name: string; metadata: string };
  notificationUrl?: string;
  notificationAuthToken?: string;
  notificationTypes: string[];
}

export interface ContentTokenRecord {
  id: string;
  locationId: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  issuedBy: string;
}

export interface Assignment {
  adamId: string;
  pricingParam: string;
  serialNumber?: string;
  clientUserId?: string;
  assignedAt: Date;
  version: number;
}

export type VppUserStatus = 'Registered' | 'Associated' | 'Retired';

export interface VppUser {
  locationId: string;
  clientUserId: string;
  email?: string;
  managedAppleId?: string;
  status: VppUserStatus;
  inviteCode?: string;
  idHash?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssignmentFilter {
  adamId?: string;
  serialNumber?: string;
  clientUserId?: string;
  sinceVersion?: number;
}

export interface UserFilter {
  clientUserId?: string;
  activeOnly?: boolean;
  retiredOnly?: boolean;
  sinceVersion?: number;
}

export interface ClientConfigPatch {
  mdmInfo?: { id: string; name: string; metadata: string };
  notification?: { url: string; authToken: string } | null;
  notificationTypes?: string[];
}

export interface LibraryRepository {
  /** Creates the location's library with `uid` unless it exists; returns the library. */
  ensure(locationId: string, uid: string): Promise<Library>;
  get(locationId: string): Promise<Library | undefined>;
  setClientConfig(locationId: string, patch: ClientConfigPatch): Promise<void>;
  /** Issues a token and revokes every earlier one of the location, in one transaction. */
  issueToken(rec: ContentTokenRecord, tokenHash: string): Promise<void>;
  revokeTokens(locationId: string, at: Date): Promise<number>;
  findToken(tokenHash: string): Promise<ContentTokenRecord | undefined>;
  activeToken(locationId: string): Promise<ContentTokenRecord | undefined>;
  countAssignments(locationId: string, f: AssignmentFilter): Promise<number>;
  listAssignments(locationId: string, f: AssignmentFilter, offset: number, limit: number): Promise<Assignment[]>;
  assignmentsOf(locationId: string, adamId: string): Promise<Assignment[]>;
  countUsers(locationId: string, f: UserFilter): Promise<number>;
  listUsers(locationId: string, f: UserFilter, offset: number, limit: number): Promise<VppUser[]>;
  getUser(locationId: string, clientUserId: string): Promise<VppUser | undefined>;
  userByInviteCode(inviteCode: string): Promise<VppUser | undefined>;
}

type Row = Record<string, any>;
const toLibrary = (r: Row): Library => ({
  locationId: r.location_id, uid: r.uid, version: r.version,
  mdmInfo: r.mdm_id != null ? { id: r.mdm_id, name: r.mdm_name, metadata: r.mdm_metadata } : undefined,
  notificationUrl: r.notification_url ?? undefined, notificationAuthToken: r.notification_auth_token ?? undefined,
  notificationTypes: JSON.parse(r.notification_types),
});
const toToken = (r: Row): ContentTokenRecord => ({
  id: r.id, locationId: r.location_id, issuedAt: new Date(r.issued_at), expiresAt: new Date(r.expires_at), revokedAt: fromDbOpt(r.revoked_at), issuedBy: r.issued_by,
});
const toAssignment = (r: Row): Assignment => ({
  adamId: r.adam_id, pricingParam: r.pricing_param, serialNumber: r.serial_number ?? undefined, clientUserId: r.client_user_id ?? undefined,
  assignedAt: new Date(r.assigned_at), version: r.version,
});
export const toVppUser = (r: Row): VppUser => ({
  locationId: r.location_id, clientUserId: r.client_user_id, email: r.email ?? undefined, managedAppleId: r.managed_apple_id ?? undefined,
  status: r.status, inviteCode: r.invite_code ?? undefined, idHash: r.id_hash ?? undefined, version: r.version,
  createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
});

// Filters are optional columns compared only when given (`? IS NULL OR col = ?`), so one
// prepared statement serves every combination.
const ASSIGNMENT_WHERE = `location_id = @loc AND (@adamId IS NULL OR adam_id = @adamId) AND (@serial IS NULL OR serial_number = @serial)
  AND (@user IS NULL OR client_user_id = @user) AND version > @since`;
const USER_WHERE = `location_id = @loc AND (@user IS NULL OR client_user_id = @user) AND (@active = 0 OR status <> 'Retired')
  AND (@retired = 0 OR status = 'Retired') AND version > @since`;

export class SqliteLibraryRepository implements LibraryRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      ensure: db.prepare('INSERT OR IGNORE INTO vpp_libraries (location_id, uid) VALUES (?, ?)'),
      get: db.prepare('SELECT * FROM vpp_libraries WHERE location_id = ?'),
      setMdm: db.prepare('UPDATE vpp_libraries SET mdm_id = ?, mdm_name = ?, mdm_metadata = ? WHERE location_id = ?'),
      setNotif: db.prepare('UPDATE vpp_libraries SET notification_url = ?, notification_auth_token = ? WHERE location_id = ?'),
      setTypes: db.prepare('UPDATE vpp_libraries SET notification_types = ? WHERE location_id = ?'),
      revoke: db.prepare('UPDATE content_tokens SET revoked_at = ? WHERE location_id = ? AND revoked_at IS NULL'),
      insertToken: db.prepare(`INSERT INTO content_tokens (id, location_id, token_hash, issued_at, expires_at, issued_by)
        VALUES (@id, @locationId, @tokenHash, @issuedAt, @expiresAt, @issuedBy)`),
      findToken: db.prepare('SELECT * FROM content_tokens WHERE token_hash = ?'),
      activeToken: db.prepare('SELECT * FROM content_tokens WHERE location_id = ? AND revoked_at IS NULL ORDER BY issued_at DESC LIMIT 1'),
      countAssignments: db.prepare(`SELECT count(*) AS n FROM licence_assignments WHERE ${ASSIGNMENT_WHERE}`),
      listAssignments: db.prepare(`SELECT * FROM licence_assignments WHERE ${ASSIGNMENT_WHERE} ORDER BY id LIMIT @limit OFFSET @offset`),
      assignmentsOf: db.prepare('SELECT * FROM licence_assignments WHERE location_id = ? AND adam_id = ? ORDER BY id'),
      countUsers: db.prepare(`SELECT count(*) AS n FROM vpp_users WHERE ${USER_WHERE}`),
      listUsers: db.prepare(`SELECT * FROM vpp_users WHERE ${USER_WHERE} ORDER BY created_at, client_user_id LIMIT @limit OFFSET @offset`),
      getUser: db.prepare('SELECT * FROM vpp_users WHERE location_id = ? AND client_user_id = ?'),
      byInvite: db.prepare('SELECT * FROM vpp_users WHERE invite_code = ?'),
    };
  }
  async ensure(locationId: string, uid: string) {
    this.s.ensure.run(locationId, uid);
    return toLibrary(this.s.get.get(locationId) as Row);
  }
  async get(locationId: string) {
    const r = this.s.get.get(locationId) as Row | undefined;
    return r && toLibrary(r);
  }
  async setClientConfig(locationId: string, patch: ClientConfigPatch) {
    this.db.transaction(() => {
      if (patch.mdmInfo) this.s.setMdm.run(patch.mdmInfo.id, patch.mdmInfo.name, patch.mdmInfo.metadata, locationId);
      if (patch.notification !== undefined) this.s.setNotif.run(patch.notification?.url ?? null, patch.notification?.authToken ?? null, locationId);
      if (patch.notificationTypes) this.s.setTypes.run(JSON.stringify(patch.notificationTypes), locationId);
    }).immediate();
  }
  async issueToken(rec: ContentTokenRecord, tokenHash: string) {
    this.db.transaction(() => this.issueTokenSync(rec, tokenHash)).immediate();
  }
  /** issueToken inside the caller's transaction (the upgrade import's content tokens). */
  issueTokenSync(rec: ContentTokenRecord, tokenHash: string) {
    this.s.revoke.run(toDb(rec.issuedAt), rec.locationId);
    this.s.insertToken.run({ ...rec, tokenHash, issuedAt: toDb(rec.issuedAt), expiresAt: toDb(rec.expiresAt) });
  }
  async revokeTokens(locationId: string, at: Date) {
    return this.s.revoke.run(toDb(at), locationId).changes;
  }
  async findToken(tokenHash: string) {
    const r = this.s.findToken.get(tokenHash) as Row | undefined;
    return r && toToken(r);
  }
  async activeToken(locationId: string) {
    const r = this.s.activeToken.get(locationId) as Row | undefined;
    return r && toToken(r);
  }
  private aParams(loc: string, f: AssignmentFilter) {
    return { loc, adamId: f.adamId ?? null, serial: f.serialNumber ?? null, user: f.clientUserId ?? null, since: f.sinceVersion ?? -1 };
  }
  async countAssignments(locationId: string, f: AssignmentFilter) {
    return (this.s.countAssignments.get(this.aParams(locationId, f)) as { n: number }).n;
  }
  async listAssignments(locationId: string, f: AssignmentFilter, offset: number, limit: number) {
    return (this.s.listAssignments.all({ ...this.aParams(locationId, f), offset, limit }) as Row[]).map(toAssignment);
  }
  async assignmentsOf(locationId: string, adamId: string) {
    return (this.s.assignmentsOf.all(locationId, adamId) as Row[]).map(toAssignment);
  }
  private uParams(loc: string, f: UserFilter) {
    return { loc, user: f.clientUserId ?? null, active: f.activeOnly ? 1 : 0, retired: f.retiredOnly ? 1 : 0, since: f.sinceVersion ?? -1 };
  }
  async countUsers(locationId: string, f: UserFilter) {
    return (this.s.countUsers.get(this.uParams(locationId, f)) as { n: number }).n;
  }
  async listUsers(locationId: string, f: UserFilter, offset: number, limit: number) {
    return (this.s.listUsers.all({ ...this.uParams(locationId, f), offset, limit }) as Row[]).map(toVppUser);
  }
  async getUser(locationId: string, clientUserId: string) {
    const r = this.s.getUser.get(locationId, clientUserId) as Row | undefined;
    return r && toVppUser(r);
  }
  async userByInviteCode(inviteCode: string) {
    const r = this.s.byInvite.get(inviteCode) as Row | undefined;
    return r && toVppUser(r);
  }
}
