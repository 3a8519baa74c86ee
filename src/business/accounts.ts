// People: accounts (Managed Apple IDs) of an organisation and their roles, API tokens and
// portal sessions. The rule that only an Administrator may make or edit an Administrator
// lives here, next to the matrix it refines.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Ids } from '../clock.js';
import { DAY_MS } from '../clock.js';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import type { Account, ApiTokenRecord } from '../store/accounts.js';
import type { Store } from '../store/index.js';
import { conflict, forbidden, invalid, notFound, DomainError } from './errors.js';
import { can, isRole, type Role } from './permissions.js';
import type { Principal } from './principal.js';

export const API_TOKEN_PREFIX = 'orch_';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const tokenHash = (value: string) => createHash('sha256').update(value).digest('hex');

export interface NewAccount {
  email: string;
  givenName?: string;
  familyName?: string;
  password?: string;
  roles: Role[];
}

export class AccountService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids) {}

  private checkRoles(actor: Principal | 'system', roles: unknown): Role[] {
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
      throw invalid('roles_invalid', 'roles must be a non-empty list of Administrator, PeopleManager, DeviceManager, ContentManager, Staff');
    }
    const unique = [...new Set(roles)] as Role[];
    if (unique.includes('Administrator') && actor !== 'system' && !can(actor.roles, 'accounts.administer')) {
      throw forbidden('administrator_required', 'only an Administrator can grant the Administrator role');
    }
    return unique;
  }

  private guardTarget(actor: Principal, target: Account) {
    if (target.orgId !== actor.orgId) throw notFound('account');
    if (target.roles.includes('Administrator') && !can(actor.roles, 'accounts.administer')) {
      throw forbidden('administrator_required', 'only an Administrator can change an Administrator');
    }
  }

  async create(actor: Principal | 'system', orgId: string, input: NewAccount): Promise<Account> {
    const account = await this.prepare(actor, orgId, input);
    await this.store.accounts.create(account);
    return account;
  }

  /** Validates a new account and builds it, without storing it. */
  async prepare(actor: Principal | 'system', orgId: string, input: NewAccount): Promise<Account> {
    const email = String(input.email ?? '').trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw invalid('email_invalid', 'email must be an email address');
    const roles = this.checkRoles(actor, input.roles);
    if (input.password !== undefined) this.checkPassword(input.password);
    if (await this.store.accounts.getByEmail(email)) throw conflict('email_taken', 'an account with this Managed Apple ID exists');
    const now = this.clock.now();
    const account: Account = {
      id: this.ids.uuid(), orgId, email, givenName: input.givenName ?? '', familyName: input.familyName ?? '',
      passwordHash: input.password ? await hashPassword(input.password) : undefined, active: true, roles,
      createdAt: now, updatedAt: now,
    };
    return account;
  }

  /** Whether `password` may be set (creation and setPassword share it). */
  private checkPassword(password: unknown): asserts password is string {
    if (typeof password !== 'string' || password.length < 8) throw invalid('password_invalid', 'password must be at least 8 characters');
  }

  /**
   * Sets an account's password: the one method that sets a password after creation (the admin
   * reset route, `orchard admin reset-password`). An actor may do it for the accounts it may edit;
   * 'system' is the server operator, at the data directory.
   */
  async setPassword(actor: Principal | 'system', accountId: string, password: string): Promise<Account> {
    const target = await this.store.accounts.get(accountId);
    if (!target || (actor !== 'system' && target.orgId !== actor.orgId)) throw notFound('account');
    if (actor !== 'system') this.guardTarget(actor, target);
    this.checkPassword(password);
    await this.store.accounts.update(accountId, { passwordHash: await hashPassword(password) }, this.clock.now());
    return (await this.store.accounts.get(accountId))!;
  }

  async get(actor: Principal, id: string): Promise<Account> {
    const a = await this.store.accounts.get(id);
    if (!a || a.orgId !== actor.orgId) throw notFound('account');
    return a;
  }

  list(actor: Principal): Promise<Account[]> {
    return this.store.accounts.listByOrg(actor.orgId);
  }

  async update(actor: Principal, id: string, patch: { givenName?: string; familyName?: string; active?: boolean; roles?: Role[]; password?: string }) {
    const target = await this.get(actor, id);
    this.guardTarget(actor, target);
    const now = this.clock.now();
    if (patch.active === false && target.id === actor.accountId) throw invalid('cannot_deactivate_self', 'you cannot deactivate your own account');
    if (patch.roles !== undefined) {
      const roles = this.checkRoles(actor, patch.roles);
      if (target.roles.includes('Administrator') && !roles.includes('Administrator')) await this.keepOneAdministrator(actor.orgId, target.id);
      await this.store.accounts.setRoles(id, roles, now);
    }
    if (patch.active === false && target.roles.includes('Administrator')) await this.keepOneAdministrator(actor.orgId, target.id);
    await this.store.accounts.update(id, {
      givenName: patch.givenName, familyName: patch.familyName, active: patch.active,
      passwordHash: patch.password ? await hashPassword(patch.password) : undefined,
    }, now);
    return this.get(actor, id);
  }

  async remove(actor: Principal, id: string) {
    const target = await this.get(actor, id);
    this.guardTarget(actor, target);
    if (target.id === actor.accountId) throw invalid('cannot_delete_self', 'you cannot delete your own account');
    if (target.roles.includes('Administrator')) await this.keepOneAdministrator(actor.orgId, target.id);
    await this.store.accounts.delete(id);
  }

  /** An organisation must keep at least one active Administrator. */
  private async keepOneAdministrator(orgId: string, leavingId: string) {
    const admins = (await this.store.accounts.listByOrg(orgId)).filter((a) => a.active && a.roles.includes('Administrator') && a.id !== leavingId);
    if (!admins.length) throw conflict('last_administrator', 'the organisation must keep at least one active Administrator');
  }

  /** Moves every role of one account to another and deactivates the first (Apple's 'transfer responsibilities'). */
  async transferResponsibilities(actor: Principal, fromId: string, toId: string) {
    const from = await this.get(actor, fromId);
    const to = await this.get(actor, toId);
    if (from.id === to.id) throw invalid('same_account', 'choose another account to receive the responsibilities');
    if (!to.active) throw invalid('account_inactive', 'the receiving account is not active');
    const moved = await this.store.accounts.transferResponsibilities(from.id, to.id, this.clock.now());
    return { from: await this.get(actor, from.id), to: await this.get(actor, to.id), moved };
  }

  // ---- API tokens -------------------------------------------------------------------------

  /** Issues a bearer token for `accountId`; the value is returned once and only its hash kept. */
  async issueApiToken(accountId: string, name: string, ttlDays?: number): Promise<{ token: string; record: ApiTokenRecord }> {
    const made = this.makeApiToken(accountId, name, ttlDays);
    await this.store.accounts.addApiToken(made.record, made.hash);
    return made;
  }

  /** Builds a new API token (value, record, hash) without storing it. */
  makeApiToken(accountId: string, name: string, ttlDays?: number): { token: string; record: ApiTokenRecord; hash: string } {
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const record: ApiTokenRecord = {
      id: this.ids.uuid(), accountId, name: name || 'API token', createdAt: now,
      expiresAt: ttlDays ? new Date(now.getTime() + ttlDays * DAY_MS) : undefined,
    };
    return { token, record, hash: tokenHash(token) };
  }

  async revokeApiToken(actor: Principal, accountId: string, tokenId: string) {
    await this.get(actor, accountId);
    const tokens = await this.store.accounts.listApiTokens(accountId);
    if (!tokens.some((t) => t.id === tokenId)) throw notFound('API token');
    await this.store.accounts.revokeApiToken(tokenId, this.clock.now());
  }

  // ---- authentication -------------------------------------------------------------------

  private async principalOf(accountId: string, via: Principal['via']): Promise<Principal | undefined> {
    const a = await this.store.accounts.get(accountId);
    if (!a || !a.active) return undefined;
    return { accountId: a.id, orgId: a.orgId, email: a.email, roles: a.roles, via };
  }

  async authenticateApiToken(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const rec = await this.store.accounts.findApiToken(tokenHash(token));
    const now = this.clock.now();
    if (!rec || rec.revokedAt || (rec.expiresAt && rec.expiresAt <= now)) return undefined;
    await this.store.accounts.touchApiToken(rec.id, now);
    return this.principalOf(rec.accountId, 'api-token');
  }

  async login(email: string, password: string): Promise<{ sessionId: string; principal: Principal; expiresAt: Date }> {
    const a = await this.store.accounts.getByEmail(String(email ?? ''));
    const ok = await verifyPassword(String(password ?? ''), a?.passwordHash);
    if (!a || !ok || !a.active) throw new DomainError('unauthenticated', 'login_failed', 'wrong Managed Apple ID or password');
    const sessionId = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.store.accounts.addSession(tokenHash(sessionId), a.id, now, expiresAt);
    return { sessionId, principal: (await this.principalOf(a.id, 'session'))!, expiresAt };
  }

  async authenticateSession(sessionId: string): Promise<Principal | undefined> {
    const s = await this.store.accounts.findSession(tokenHash(sessionId));
    if (!s || s.expiresAt <= this.clock.now()) return undefined;
    return this.principalOf(s.accountId, 'session');
  }

  logout(sessionId: string) {
    return this.store.accounts.deleteSession(tokenHash(sessionId));
  }
}
