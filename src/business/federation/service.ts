// Federated authentication (issue 16) over OpenID Connect: a verified domain linked to a
// provider; conflicts shown before enabling (Managed Apple IDs in the domain not yet migrated,
// personal Apple IDs in it, another organisation's claim); sign-in through the provider, whose
// first use creates a Staff account and later uses map to it. An account disabled at the
// provider is refused there (the provider ends the sign-in before a code is issued); one
// deactivated here is refused here. Every refusal is audited.
import type { Clock, Ids } from '../../clock.js';
import type { Account } from '../../store/accounts.js';
import type { Federation } from '../../store/federations.js';
import type { Store } from '../../store/index.js';
import type { DomainService } from '../domains.js';
import { domainOf } from '../domains.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import { describeOidcFailure, newNonce, newPkceVerifier, newState, type OidcClient } from './oidc-client.js';

const LOGIN_TTL_MS = 10 * 60 * 1000;
/** Clock skew allowed on the ID token's iat (openid-client allows 30 s on exp and nbf). */
const IAT_LEEWAY_MS = 60 * 1000;

const disabledError = () => conflict('federation_disabled', 'sign-in through this identity provider is turned off by the organisation\'s administrator');

/** The provider's issuer URL, without a trailing slash: https, or http (used only on loopback by the client). */
function issuerOf(v: unknown): string {
  let issuer: URL;
  try {
    issuer = new URL(String(v));
  } catch {
    throw invalid('issuer_invalid', 'issuer must be the provider\'s issuer URL', { field: 'issuer' });
  }
  if (!['https:', 'http:'].includes(issuer.protocol)) throw invalid('issuer_invalid', 'issuer must be an https URL', { field: 'issuer' });
  return issuer.href.replace(/\/$/, '');
}

function credential(field: 'client_id' | 'client_secret', v: unknown): string {
  if (typeof v !== 'string' || !v || v.length > 1000) throw invalid(`${field}_invalid`, `${field} must be a non-empty string of at most 1000 characters`, { field });
  return v;
}

export interface FederationConflicts {
  managed_apple_ids: string[];
  personal_apple_ids: string[];
  claimed_by_another_organisation: boolean;
}

export class FederationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly domains: DomainService,
    private readonly oidc: OidcClient,
    /** Where the provider sends the browser back: the portal's page, which posts its query to /api/v1/federation/callback. */
    readonly redirectUri: string,
  ) {}

  async create(actor: Principal, input: { domainId?: unknown; issuer?: unknown; clientId?: unknown; clientSecret?: unknown }): Promise<Federation> {
    if (typeof input.domainId !== 'string') throw invalid('domain_id_invalid', 'domain_id must be the id of a domain', { field: 'domain_id' });
    const domain = await this.domains.get(actor, input.domainId);
    if (!domain.verifiedAt) throw invalid('domain_not_verified', `${domain.name} is not verified: verify it before linking it to a provider`, { field: 'domain_id' });
    const issuer = issuerOf(input.issuer);
    const f: Federation = {
      id: this.ids.uuid(), orgId: actor.orgId, domainId: domain.id, issuer, clientId: credential('client_id', input.clientId),
      clientSecret: credential('client_secret', input.clientSecret), createdAt: this.clock.now(),
    };
    if (await this.store.federations.create(f) === 'exists') throw conflict('federation_exists', `${domain.name} is already linked to a provider`);
    return f;
  }

  /**
   * Rotates the client secret and/or changes the client id or issuer (validated as at creation);
   * the sign-ins in flight are dropped. Accounts stay mapped: after an issuer change, federated
   * accounts are mapped again by their Managed Apple ID at their next sign-in.
   */
  async update(actor: Principal, id: string, input: { issuer?: unknown; clientId?: unknown; clientSecret?: unknown }): Promise<Federation> {
    const f = await this.get(actor, id);
    const changes = {
      ...(input.issuer !== undefined ? { issuer: issuerOf(input.issuer) } : {}),
      ...(input.clientId !== undefined ? { clientId: credential('client_id', input.clientId) } : {}),
      ...(input.clientSecret !== undefined ? { clientSecret: credential('client_secret', input.clientSecret) } : {}),
    };
    if (!Object.keys(changes).length) throw invalid('federation_changes_missing', 'give at least one of issuer, client_id, client_secret');
    await this.store.federations.update(f.id, changes, this.clock.now());
    return this.get(actor, id);
  }

  /** Turns sign-in through the provider off (sign-ins then answer 409 federation_disabled); the accounts stay. Enable turns it back on. */
  async disable(actor: Principal, id: string): Promise<Federation> {
    const f = await this.get(actor, id);
    if (!f.enabledAt) throw conflict('federation_not_enabled', 'sign-in through this provider is not enabled');
    await this.store.federations.disable(f.id, this.clock.now());
    return this.get(actor, id);
  }

  async get(actor: Principal, id: string): Promise<Federation> {
    const f = await this.store.federations.get(id);
    if (!f || f.orgId !== actor.orgId) throw notFound('federation');
    return f;
  }

  list(actor: Principal) {
    return this.store.federations.listByOrg(actor.orgId);
  }

  async conflicts(actor: Principal, id: string): Promise<FederationConflicts> {
    const f = await this.get(actor, id);
    const domain = await this.domains.get(actor, f.domainId);
    const owner = await this.store.domains.verifiedOwner(domain.name);
    return {
      managed_apple_ids: (await this.store.federations.unfederatedAccounts(actor.orgId, domain.name)).map((a) => a.email),
      personal_apple_ids: this.domains.personalAppleIdsIn(domain.name),
      claimed_by_another_organisation: !!owner && owner.orgId !== actor.orgId,
    };
  }

  /** Migrates the domain's existing Managed Apple IDs to federated names: each maps to the provider's account of the same address. */
  async migrate(actor: Principal, id: string): Promise<number> {
    const f = await this.get(actor, id);
    const domain = await this.domains.get(actor, f.domainId);
    return this.store.federations.migrateAccounts(actor.orgId, domain.name);
  }

  /** Enables sign-in; refused (409 federation_conflicts, with them) while Managed Apple IDs are not migrated or another organisation claims the domain. */
  async enable(actor: Principal, id: string): Promise<Federation> {
    const c = await this.conflicts(actor, id);
    if (c.managed_apple_ids.length || c.claimed_by_another_organisation) {
      throw conflict('federation_conflicts', 'resolve the conflicts first: migrate the existing Managed Apple IDs (POST …/migrate)', { conflicts: c });
    }
    await this.store.federations.enable(id, this.clock.now());
    return this.get(actor, id);
  }

  /** Starts a sign-in: the provider's authorization URL (PKCE S256, state, nonce), remembered for 10 minutes, once. */
  async start(federationId: unknown): Promise<string> {
    const f = typeof federationId === 'string' ? await this.store.federations.get(federationId) : undefined;
    if (f?.disabledAt) throw disabledError();
    if (!f || !f.enabledAt) throw notFound('federation');
    const checks = { state: newState(), nonce: newNonce(), codeVerifier: newPkceVerifier() };
    await this.store.federations.addLogin({ ...checks, federationId: f.id, expiresAt: new Date(this.clock.now().getTime() + LOGIN_TTL_MS) });
    return this.oidc.authorizationUrl(f, this.redirectUri, checks);
  }

  /**
   * Finishes a sign-in from the provider's redirect (its query string): state (once, unexpired),
   * code exchange with PKCE, the ID token's signature, issuer, audience, expiry and nonce; then
   * maps or creates the account. Any failure is audited and answers 401 federation_refused.
   */
  async finish(query: unknown, source?: string): Promise<Account> {
    const params = new URLSearchParams(typeof query === 'string' ? query : '');
    const login = await this.store.federations.takeLogin(params.get('state') ?? '');
    const f = login && await this.store.federations.get(login.federationId);
    if (f?.disabledAt) return this.refuse(f.orgId, 'federation_disabled', disabledError().message);
    if (!login || !f || !f.enabledAt) return this.refuse(f?.orgId, 'unknown_state', 'the sign-in is unknown or was already used: start again');
    if (login.expiresAt <= this.clock.now()) return this.refuse(f.orgId, 'expired_state', 'the sign-in took too long: start again');
    let claims;
    try {
      claims = await this.oidc.exchange(f, new URL(`${this.redirectUri}?${params}`), login);
    } catch (err) {
      // The audit names the failed check: a claim (iss, aud, exp, nonce, sub), alg, signature, grant…
      const { error, check, problem } = describeOidcFailure(err);
      return this.refuse(f.orgId, 'provider_response_rejected', 'the identity provider\'s answer was refused', { error, check, problem });
    }
    // openid-client checks only that iat is a number: a token minted for later use is refused here.
    if (claims.issuedAt && claims.issuedAt.getTime() > this.clock.now().getTime() + IAT_LEEWAY_MS) {
      return this.refuse(f.orgId, 'provider_response_rejected', 'the identity provider\'s answer was refused', { error: 'iat_in_future', check: 'iat', problem: `the ID token was issued at ${claims.issuedAt.toISOString()}, in the future` });
    }
    const domain = (await this.store.domains.listByOrg(f.orgId)).find((d) => d.id === f.domainId);
    const email = claims.email?.toLowerCase();
    if (!domain || !email || !claims.emailVerified || domainOf(email) !== domain.name) {
      return this.refuse(f.orgId, 'email_not_in_domain', `the provider's account has no verified address in ${domain?.name ?? 'the domain'}`, { email: email ?? null });
    }
    const subject = `${f.issuer} ${claims.sub}`;
    const mapped = await this.store.federations.accountBySubject(subject);
    let account = mapped ? await this.store.accounts.get(mapped) : undefined;
    // One issuer can serve many organisations (Google Workspace's is shared): a subject linked in
    // another organisation never signs in here, whatever address the provider now gives it.
    if (account && account.orgId !== f.orgId) return this.refuse(f.orgId, 'subject_in_another_organisation', 'this provider account is linked to another organisation');
    if (!account) {
      const existing = await this.store.accounts.getByEmail(email);
      if (existing) {
        if (existing.orgId !== f.orgId || !(await this.store.federations.unfederatedAccounts(f.orgId, domain.name)).every((a) => a.id !== existing.id)) {
          return this.refuse(f.orgId, 'not_migrated', `${email} exists and was not migrated to federated sign-in`);
        }
        await this.store.federations.linkSubject(existing.id, subject);
        account = (await this.store.accounts.get(existing.id))!;
      } else {
        const now = this.clock.now();
        account = {
          id: this.ids.uuid(), orgId: f.orgId, email, givenName: claims.givenName ?? '', middleName: claims.middleName ?? '', familyName: claims.familyName ?? '',
          active: true, roles: ['Staff'], createdAt: now, updatedAt: now,
        };
        await this.store.federations.createFederatedAccount(account, subject);
      }
    }
    if (!account.active) return this.refuse(f.orgId, 'account_inactive', 'this account is deactivated in Orchard');
    await this.store.audit.append({ orgId: f.orgId, actor: account.id, actorEmail: account.email, action: 'federated_sign_in', target: account.email, outcome: 'success', detail: { issuer: f.issuer, ...(source ? { source } : {}) }, at: this.clock.now() });
    return account;
  }

  private async refuse(orgId: string | undefined, reason: string, message: string, detail: Record<string, unknown> = {}): Promise<never> {
    await this.store.audit.append({ orgId, actor: 'anonymous', action: 'federated_sign_in', outcome: 'denied', detail: { reason, ...detail }, at: this.clock.now() });
    throw new DomainError('unauthenticated', 'federation_refused', message, { reason });
  }
}
