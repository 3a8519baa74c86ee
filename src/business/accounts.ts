// People: accounts (Managed Apple IDs) of an organisation and their roles, API tokens and
// portal sessions. The rule that only an Administrator may make or edit an Administrator
// lives here, next to the matrix it refines.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Ids } from '../clock.js';
import { DAY_MS } from '../clock.js';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import type { Account, ApiTokenRecord } from '../store/accounts.js';
import type { Store } from '../store/index.js';
import type { DomainService } from './domains.js';
import { conflict, forbidden, invalid, notFound, DomainError } from './errors.js';
import { acceptablePassword } from './password-policy.js';
import { can, isRole, type Role } from './permissions.js';
import type { Principal } from './principal.js';
import { SignInThrottle, type SignInKey } from './sign-in-throttle.js';
import { isXmlText, optionalText } from './text.js';

export const API_TOKEN_PREFIX = 'orch_';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const tokenHash = (value: string) => createHash('sha256').update(value).digest('hex');

/** Given and family names: free text that ends up in profiles and views. */
const PERSON_NAME = { max: 200 };

/** What a PATCH of an account may change; values are checked here, not trusted from the face. */
export interface AccountUpdate {
  givenName?: unknown;
  middleName?: unknown;
  familyName?: unknown;
  /** A location id of the organisation, or null for none. */
  locationId?: unknown;
  contactEmail?: unknown;
  active?: unknown;
  roles?: unknown;
  password?: unknown;
}

/** Sends a new account (not yet stored) its invitation, creating it in the same transaction (invitations.ts). */
export type InviteNewAccount = (account: Account, orgName: string) => Promise<unknown>;

let unknownHash: Promise<string> | undefined;
/** A hash no password is known for, verified against when the identifier names no account. */
const unknownAccountHash = () => (unknownHash ??= hashPassword(randomBytes(32).toString('base64url')));

export interface NewAccount {
  email: string;
  givenName?: string;
  middleName?: unknown;
  familyName?: string;
  locationId?: unknown;
  /** Where mail for the person goes (the invitation); absent: the Managed Apple ID. */
  contactEmail?: unknown;
  password?: string;
  roles: Role[];
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
/** A contact email (`null`: none; undefined: not given), or a 400 naming contact_email. */
function checkContactEmail(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value.trim())) {
    throw invalid('contact_email_invalid', 'contact_email must be an email address (or null)', { field: 'contact_email' });
  }
  return value.trim();
}

/** How precisely an API token's `last_used_at` is kept. */
const TOKEN_USE_RESOLUTION_MS = 60_000;

export class AccountService {
  private readonly throttle: SignInThrottle;
  constructor(
    private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids, private readonly domains: DomainService,
    private readonly inviteNewAccount?: InviteNewAccount,
  ) {
    this.throttle = new SignInThrottle(clock);
  }

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

  /**
   * Creates an account. One made by an admin without a password is invited: the account, its
   * invitation and the mail are written together (the person sets the password from the link).
   */
  async create(actor: Principal | 'system', orgId: string, input: NewAccount): Promise<Account> {
    const account = await this.prepare(actor, orgId, input);
    if (actor !== 'system' && !account.passwordHash && this.inviteNewAccount) {
      const org = await this.store.organisations.get(orgId);
      await this.inviteNewAccount(account, org?.name ?? 'your organisation');
    } else await this.store.accounts.create(account);
    return account;
  }

  /** Validates a new account and builds it, without storing it. */
  async prepare(actor: Principal | 'system', orgId: string, input: NewAccount): Promise<Account> {
    const email = String(input.email ?? '').trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254 || !isXmlText(email)) throw invalid('email_invalid', 'email must be an email address', { field: 'email' });
    const roles = this.checkRoles(actor, input.roles);
    const givenName = optionalText('given_name', input.givenName, PERSON_NAME) ?? '';
    const middleName = optionalText('middle_name', input.middleName, PERSON_NAME) ?? '';
    const familyName = optionalText('family_name', input.familyName, PERSON_NAME) ?? '';
    const locationId = (await this.checkLocation(orgId, input.locationId)) ?? undefined;
    const contactEmail = checkContactEmail(input.contactEmail) ?? undefined;
    const password = input.password === undefined ? undefined : acceptablePassword(input.password, email);
    // 'system' (the sign-up's first Administrator, the operator's CLI) may use any domain; an
    // organisation's admins only its verified ones.
    await this.domains.checkManagedAppleId(orgId, email, actor === 'system');
    if (await this.store.accounts.getByEmail(email)) throw conflict('email_taken', 'an account with this Managed Apple ID exists');
    const now = this.clock.now();
    const account: Account = {
      id: this.ids.uuid(), orgId, email, givenName, middleName, familyName, locationId, contactEmail,
      passwordHash: password === undefined ? undefined : await hashPassword(password), active: true, roles,
      createdAt: now, updatedAt: now,
    };
    return account;
  }

  /** A location of the organisation (`null`: none; undefined: not given), or a 400 naming location_id. */
  private async checkLocation(orgId: string, value: unknown): Promise<string | null | undefined> {
    if (value === undefined || value === null) return value;
    if (typeof value !== 'string' || !(await this.store.locations.get(orgId, value))) {
      throw invalid('location_invalid', 'location_id must be the id of a location of the organisation (or null)', { field: 'location_id' });
    }
    return value;
  }

  async get(actor: Principal, id: string): Promise<Account> {
    const a = await this.store.accounts.get(id);
    if (!a || a.orgId !== actor.orgId) throw notFound('account');
    return a;
  }

  list(actor: Principal): Promise<Account[]> {
    return this.store.accounts.listByOrg(actor.orgId);
  }

  /**
   * Changes an account: the whole input is checked first, then everything is written in one
   * transaction (fields, roles, password, and the end of its sessions on a new password).
   */
  async update(actor: Principal, id: string, patch: AccountUpdate) {
    const target = await this.get(actor, id);
    this.guardTarget(actor, target);
    const givenName = optionalText('given_name', patch.givenName, PERSON_NAME);
    const middleName = optionalText('middle_name', patch.middleName, PERSON_NAME);
    const familyName = optionalText('family_name', patch.familyName, PERSON_NAME);
    const locationId = await this.checkLocation(target.orgId, patch.locationId);
    const contactEmail = checkContactEmail(patch.contactEmail);
    if (patch.active !== undefined && typeof patch.active !== 'boolean') throw invalid('active_invalid', 'active must be true or false', { field: 'active' });
    const active = patch.active as boolean | undefined;
    const roles = patch.roles === undefined ? undefined : this.checkRoles(actor, patch.roles);
    const password = patch.password === undefined ? undefined : acceptablePassword(patch.password, target.email);
    if (active === false && target.id === actor.accountId) throw invalid('cannot_deactivate_self', 'you cannot deactivate your own account');
    const losesAdministrator = target.roles.includes('Administrator') && ((roles && !roles.includes('Administrator')) || active === false);
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const result = await this.store.accounts.change(id, {
      givenName, middleName, familyName, locationId, contactEmail, active, roles, passwordHash, keepAdministratorIn: losesAdministrator ? target.orgId : undefined,
    }, this.clock.now());
    if (!result.ok) throw conflict('last_administrator', 'the organisation must keep at least one active Administrator');
    return this.get(actor, id);
  }

  /**
   * Sets a new password (an administrator's reset, the CLI's reset): the policy applies, and
   * every portal session of the account ends. `system` is the server operator's CLI.
   */
  async setPassword(actor: Principal | 'system', id: string, password: unknown): Promise<Account> {
    const target = await this.store.accounts.get(id);
    if (!target || (actor !== 'system' && target.orgId !== actor.orgId)) throw notFound('account');
    if (actor !== 'system') this.guardTarget(actor, target);
    const passwordHash = await hashPassword(acceptablePassword(password, target.email));
    await this.store.accounts.change(id, { passwordHash }, this.clock.now());
    return (await this.store.accounts.get(id))!;
  }

  /** Resends an account's invitation through `resend`, with the rules of editing that account. */
  async reinvite<T>(actor: Principal, id: string, resend: (account: Account) => Promise<T>): Promise<T> {
    const target = await this.get(actor, id);
    this.guardTarget(actor, target);
    return resend(target);
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
    // `last_used_at` says when a token was last used to the minute: writing it on every call was
    // a SQLite write per admin read (5% of a busy server's CPU, finding 10).
    if (!rec.lastUsedAt || now.getTime() - rec.lastUsedAt.getTime() >= TOKEN_USE_RESOLUTION_MS) await this.store.accounts.touchApiToken(rec.id, now);
    return this.principalOf(rec.accountId, 'api-token');
  }

  /**
   * The one check of a Managed Apple ID and password (portal sign-in, the enrolment web sign-in):
   * throttled per identifier and per source address, every refusal audited with the identifier
   * tried (never the password). `orgId`: the account must belong to that organisation.
   */
  async checkSignIn(email: unknown, password: unknown, source?: string, orgId?: string): Promise<Account> {
    const identifier = String(email ?? '').trim().slice(0, 320);
    const keys: SignInKey[] = [{ kind: 'identifier', value: identifier.toLowerCase() }];
    if (source) keys.push({ kind: 'source', value: source });
    const attempt = this.throttle.begin(keys);
    const a = await this.store.accounts.getByEmail(identifier);
    if (attempt.retryAfterMs > 0) {
      const retryAfterSeconds = Math.ceil(attempt.retryAfterMs / 1000);
      await this.auditSignIn(a?.orgId, identifier, source, 'denied', { reason: 'locked', retry_after_seconds: retryAfterSeconds });
      throw new DomainError('rate-limited', 'sign_in_locked', `too many failed sign-ins: try again in ${retryAfterSeconds} s`, { retry_after_seconds: retryAfterSeconds });
    }
    // An unknown identifier costs the same scrypt as a known one: the time says nothing about existence.
    const ok = await verifyPassword(typeof password === 'string' ? password : '', a?.passwordHash ?? (await unknownAccountHash()));
    if (!a || !a.passwordHash || !ok || !a.active || (orgId !== undefined && a.orgId !== orgId)) {
      await this.auditSignIn(a?.orgId, identifier, source, 'failed', { reason: 'wrong_credentials', failures: attempt.failures });
      throw new DomainError('unauthenticated', 'login_failed', 'wrong Managed Apple ID or password');
    }
    this.throttle.succeeded(keys);
    return a;
  }

  private auditSignIn(orgId: string | undefined, identifier: string, source: string | undefined, outcome: 'denied' | 'failed', detail: Record<string, unknown>) {
    return this.store.audit.append({
      orgId, actor: 'anonymous', action: 'sign_in', target: identifier, outcome,
      detail: { identifier, ...(source ? { source } : {}), ...detail }, at: this.clock.now(),
    });
  }

  async login(email: unknown, password: unknown, source?: string): Promise<{ sessionId: string; principal: Principal; expiresAt: Date }> {
    return this.openSession(await this.checkSignIn(email, password, source));
  }

  /** A portal session for an account that proved who it is (password, or a federated sign-in). */
  async openSession(a: Account): Promise<{ sessionId: string; principal: Principal; expiresAt: Date }> {
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
