import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import type { Role } from '../model/roles.js';

export interface Account {
  id: string;
  orgId: string;
  email: string;
  givenName: string;
  middleName: string;
  familyName: string;
  /** The location the account belongs to, if any. */
  locationId?: string;
  /** Where mail for the person goes (invitations); absent: the Managed Apple ID. */
  contactEmail?: string;
  passwordHash?: string;
  active: boolean;
  roles: Role[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiTokenRecord {
  id: string;
  accountId: string;
  name: string;
  createdAt: Date;
  expiresAt?: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
}

export type AccountPatch = Partial<Pick<Account, 'givenName' | 'middleName' | 'familyName' | 'active' | 'passwordHash'>>;

/** Everything one PATCH of an account changes, validated by the domain beforehand. */
export interface AccountChange extends AccountPatch {
  roles?: Role[];
  /** A new location (`null`: none). */
  locationId?: string | null;
  /** A new contact email (`null`: none). */
  contactEmail?: string | null;
  /** Refuse (and change nothing) if the organisation would be left without an active Administrator. */
  keepAdministratorIn?: string;
}

export type AccountChangeResult = { ok: true } | { ok: false; reason: 'last_administrator' };

export interface AccountRepository {
  create(account: Account): Promise<void>;
  get(id: string): Promise<Account | undefined>;
  getByEmail(email: string): Promise<Account | undefined>;
  listByOrg(orgId: string): Promise<Account[]>;
  update(id: string, patch: AccountPatch, at: Date): Promise<void>;
  setRoles(id: string, roles: Role[], at: Date): Promise<void>;
  /**
   * Applies a whole account change in one transaction: fields, roles, and with a new password
   * hash the end of every portal session of the account. All or nothing.
   */
  change(id: string, change: AccountChange, at: Date): Promise<AccountChangeResult>;
  /** Moves all roles of `fromId` to `toId` and deactivates `fromId`, in one transaction. */
  transferResponsibilities(fromId: string, toId: string, at: Date): Promise<Role[]>;
  delete(id: string): Promise<void>;
  addApiToken(rec: ApiTokenRecord, tokenHash: string): Promise<void>;
  findApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(accountId: string): Promise<ApiTokenRecord[]>;
  touchApiToken(id: string, at: Date): Promise<void>;
  revokeApiToken(id: string, at: Date): Promise<void>;
  addSession(idHash: string, accountId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  findSession(idHash: string): Promise<{ accountId: string; expiresAt: Date } | undefined>;
  deleteSession(idHash: string): Promise<void>;
}

type Row = Record<string, any>;

export class SqliteAccountRepository implements AccountRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO accounts (id, org_id, email, given_name, middle_name, family_name, location_id, contact_email, password_hash, active, created_at, updated_at)
        VALUES (@id, @orgId, @email, @givenName, @middleName, @familyName, @locationId, @contactEmail, @passwordHash, @active, @createdAt, @updatedAt)`),
      insertRole: db.prepare('INSERT OR IGNORE INTO account_roles (account_id, role) VALUES (?, ?)'),
      deleteRoles: db.prepare('DELETE FROM account_roles WHERE account_id = ?'),
      roles: db.prepare('SELECT role FROM account_roles WHERE account_id = ? ORDER BY role'),
      get: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      byEmail: db.prepare('SELECT * FROM accounts WHERE email = ?'),
      byOrg: db.prepare('SELECT * FROM accounts WHERE org_id = ? ORDER BY email'),
      touch: db.prepare('UPDATE accounts SET updated_at = ? WHERE id = ?'),
      deactivate: db.prepare('UPDATE accounts SET active = 0, updated_at = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM accounts WHERE id = ?'),
      addToken: db.prepare(`INSERT INTO api_tokens (id, account_id, name, token_hash, created_at, expires_at)
        VALUES (@id, @accountId, @name, @tokenHash, @createdAt, @expiresAt)`),
      findToken: db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?'),
      listTokens: db.prepare('SELECT * FROM api_tokens WHERE account_id = ? ORDER BY created_at'),
      touchToken: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
      revokeToken: db.prepare('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?'),
      addSession: db.prepare('INSERT INTO portal_sessions (id_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      findSession: db.prepare('SELECT account_id, expires_at FROM portal_sessions WHERE id_hash = ?'),
      deleteSession: db.prepare('DELETE FROM portal_sessions WHERE id_hash = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM portal_sessions WHERE account_id = ?'),
      activeAdministrators: db.prepare(`SELECT count(*) AS n FROM accounts a JOIN account_roles r ON r.account_id = a.id
        WHERE a.org_id = ? AND a.active = 1 AND r.role = 'Administrator'`),
      setLocation: db.prepare('UPDATE accounts SET location_id = ? WHERE id = ?'),
      setContactEmail: db.prepare('UPDATE accounts SET contact_email = ? WHERE id = ?'),
      setFields: db.prepare(`UPDATE accounts SET given_name = coalesce(@givenName, given_name), middle_name = coalesce(@middleName, middle_name),
        family_name = coalesce(@familyName, family_name),
        active = coalesce(@active, active), password_hash = coalesce(@passwordHash, password_hash), updated_at = @updatedAt WHERE id = @id`),
    };
  }
  private toAccount(r: Row): Account {
    return {
      id: r.id, orgId: r.org_id, email: r.email, givenName: r.given_name, middleName: r.middle_name ?? '', familyName: r.family_name,
      locationId: r.location_id ?? undefined, contactEmail: r.contact_email ?? undefined,
      passwordHash: r.password_hash ?? undefined, active: !!r.active,
      roles: (this.s.roles.all(r.id) as { role: Role }[]).map((x) => x.role),
      createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
    };
  }
  private toToken(r: Row): ApiTokenRecord {
    return {
      id: r.id, accountId: r.account_id, name: r.name, createdAt: new Date(r.created_at),
      expiresAt: fromDbOpt(r.expires_at), revokedAt: fromDbOpt(r.revoked_at), lastUsedAt: fromDbOpt(r.last_used_at),
    };
  }
  async create(a: Account) {
    this.db.transaction(() => this.insertSync(a)).immediate();
  }
  /** Inserts the account and its roles; call inside a transaction. */
  insertSync(a: Account) {
    this.s.insert.run({ ...a, middleName: a.middleName ?? '', locationId: a.locationId ?? null, contactEmail: a.contactEmail ?? null, passwordHash: a.passwordHash ?? null, active: a.active ? 1 : 0, createdAt: toDb(a.createdAt), updatedAt: toDb(a.updatedAt) });
    for (const role of a.roles) this.s.insertRole.run(a.id, role);
  }
  addApiTokenSync(rec: ApiTokenRecord, tokenHash: string) {
    this.s.addToken.run({ id: rec.id, accountId: rec.accountId, name: rec.name, tokenHash, createdAt: toDb(rec.createdAt), expiresAt: rec.expiresAt ? toDb(rec.expiresAt) : null });
  }
  async get(id: string) {
    const r = this.s.get.get(id) as Row | undefined;
    return r && this.toAccount(r);
  }
  async getByEmail(email: string) {
    const r = this.s.byEmail.get(email) as Row | undefined;
    return r && this.toAccount(r);
  }
  async listByOrg(orgId: string) {
    return (this.s.byOrg.all(orgId) as Row[]).map((r) => this.toAccount(r));
  }
  async update(id: string, patch: AccountPatch, at: Date) {
    const cols: Record<string, string> = { givenName: 'given_name', middleName: 'middle_name', familyName: 'family_name', active: 'active', passwordHash: 'password_hash' };
    const keys = Object.keys(patch).filter((k) => (patch as Row)[k] !== undefined);
    if (!keys.length) return;
    const params: Row = { id, updatedAt: toDb(at) };
    for (const k of keys) params[k] = k === 'active' ? ((patch as Row)[k] ? 1 : 0) : (patch as Row)[k];
    this.db.prepare(`UPDATE accounts SET ${keys.map((k) => `${cols[k]} = @${k}`).join(', ')}, updated_at = @updatedAt WHERE id = @id`).run(params);
  }
  async setRoles(id: string, roles: Role[], at: Date) {
    this.db.transaction(() => {
      this.s.deleteRoles.run(id);
      for (const role of roles) this.s.insertRole.run(id, role);
      this.s.touch.run(toDb(at), id);
    }).immediate();
  }
  async change(id: string, c: AccountChange, at: Date): Promise<AccountChangeResult> {
    const lastAdministrator = new Error('last_administrator');
    try {
      this.db.transaction(() => {
        this.s.setFields.run({
          id, updatedAt: toDb(at), givenName: c.givenName ?? null, middleName: c.middleName ?? null, familyName: c.familyName ?? null,
          active: c.active === undefined ? null : c.active ? 1 : 0, passwordHash: c.passwordHash ?? null,
        });
        if (c.locationId !== undefined) this.s.setLocation.run(c.locationId, id);
        if (c.contactEmail !== undefined) this.s.setContactEmail.run(c.contactEmail, id);
        if (c.roles) {
          this.s.deleteRoles.run(id);
          for (const role of c.roles) this.s.insertRole.run(id, role);
        }
        // A new password ends every session: whoever held the old one is signed out.
        if (c.passwordHash) this.s.deleteSessionsOf.run(id);
        if (c.keepAdministratorIn && (this.s.activeAdministrators.get(c.keepAdministratorIn) as { n: number }).n === 0) throw lastAdministrator;
      }).immediate();
    } catch (e) {
      if (e === lastAdministrator) return { ok: false, reason: 'last_administrator' };
      throw e;
    }
    return { ok: true };
  }
  async transferResponsibilities(fromId: string, toId: string, at: Date) {
    return this.db.transaction(() => {
      const roles = (this.s.roles.all(fromId) as { role: Role }[]).map((x) => x.role).filter((r) => r !== 'Staff');
      for (const role of roles) this.s.insertRole.run(toId, role);
      this.s.deleteRoles.run(fromId);
      this.s.insertRole.run(fromId, 'Staff');
      this.s.deactivate.run(toDb(at), fromId);
      this.s.touch.run(toDb(at), toId);
      return roles;
    }).immediate();
  }
  async delete(id: string) {
    this.s.delete.run(id);
  }
  async addApiToken(rec: ApiTokenRecord, tokenHash: string) {
    this.addApiTokenSync(rec, tokenHash);
  }
  async findApiToken(tokenHash: string) {
    const r = this.s.findToken.get(tokenHash) as Row | undefined;
    return r && this.toToken(r);
  }
  async listApiTokens(accountId: string) {
    return (this.s.listTokens.all(accountId) as Row[]).map((r) => this.toToken(r));
  }
  async touchApiToken(id: string, at: Date) {
    this.s.touchToken.run(toDb(at), id);
  }
  async revokeApiToken(id: string, at: Date) {
    this.s.revokeToken.run(toDb(at), id);
  }
  async addSession(idHash: string, accountId: string, createdAt: Date, expiresAt: Date) {
    this.s.addSession.run(idHash, accountId, toDb(createdAt), toDb(expiresAt));
  }
  async findSession(idHash: string) {
    const r = this.s.findSession.get(idHash) as Row | undefined;
    return r && { accountId: r.account_id as string, expiresAt: new Date(r.expires_at) };
  }
  async deleteSession(idHash: string) {
    this.s.deleteSession.run(idHash);
  }
}
