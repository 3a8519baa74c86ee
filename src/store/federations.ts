// Federations (issue 16): a verified domain linked to an OpenID Connect provider, the sign-ins
// in flight (state, nonce, PKCE verifier; used once), and the accounts they map to. The client
// secret is sealed at rest (sealed-columns.ts) and opened only when a sign-in needs it.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import type { Account, SqliteAccountRepository } from './accounts.js';
import { lazyProperty, type ColumnSealer } from './sealed-columns.js';

export interface Federation {
  id: string;
  orgId: string;
  domainId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  enabledAt?: Date;
  /** When an administrator turned sign-in off (enabledAt is then unset); cleared by enabling again. */
  disabledAt?: Date;
  createdAt: Date;
  updatedAt?: Date;
}

/** What PATCH /federations/{id} may change. */
export interface FederationChanges {
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface OidcLogin {
  state: string;
  federationId: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: Date;
}

export interface FederationRepository {
  create(f: Federation): Promise<'created' | 'exists'>;
  get(id: string): Promise<Federation | undefined>;
  listByOrg(orgId: string): Promise<Federation[]>;
  enable(id: string, at: Date): Promise<void>;
  /** Changes the provider's settings and drops the sign-ins in flight (started under the old ones), in one transaction. */
  update(id: string, changes: FederationChanges, at: Date): Promise<void>;
  /** Turns sign-in off; the accounts stay. Sign-ins in flight are kept, to be refused as disabled (they expire in minutes). */
  disable(id: string, at: Date): Promise<void>;
  /** Marks the organisation's accounts in `domain` as federated (mapped by Managed Apple ID at first sign-in); how many. */
  migrateAccounts(orgId: string, domain: string): Promise<number>;
  /** The organisation's accounts in `domain` not yet federated. */
  unfederatedAccounts(orgId: string, domain: string): Promise<Array<{ id: string; email: string }>>;
  addLogin(l: OidcLogin): Promise<void>;
  /** Reads and deletes a sign-in in flight: a state works once. */
  takeLogin(state: string): Promise<OidcLogin | undefined>;
  accountBySubject(subject: string): Promise<string | undefined>;
  /** Links a migrated account to the provider's subject. */
  linkSubject(accountId: string, subject: string): Promise<void>;
  /** Creates the account of a first federated sign-in, mapped to `subject`, in one transaction. */
  createFederatedAccount(account: Account, subject: string): Promise<void>;
}

type Row = Record<string, any>;
const toFederation = (r: Row, sealer: ColumnSealer): Federation => lazyProperty({
  id: r.id, orgId: r.org_id, domainId: r.domain_id, issuer: r.issuer, clientId: r.client_id,
  enabledAt: fromDbOpt(r.enabled_at), disabledAt: fromDbOpt(r.disabled_at), createdAt: new Date(r.created_at), updatedAt: fromDbOpt(r.updated_at),
}, 'clientSecret', () => sealer.text(r.client_secret as string));
const IN_DOMAIN = "org_id = ? AND lower(substr(email, instr(email, '@') + 1)) = lower(?)";

export class SqliteFederationRepository implements FederationRepository {
  private readonly s;
  constructor(private readonly db: Db, private readonly accounts: SqliteAccountRepository, private readonly sealer: ColumnSealer) {
    this.s = {
      insert: db.prepare(`INSERT INTO federations (id, org_id, domain_id, issuer, client_id, client_secret, created_at)
        VALUES (@id, @orgId, @domainId, @issuer, @clientId, @clientSecret, @createdAt)`),
      get: db.prepare('SELECT * FROM federations WHERE id = ?'),
      list: db.prepare('SELECT * FROM federations WHERE org_id = ? ORDER BY created_at'),
      enable: db.prepare('UPDATE federations SET enabled_at = coalesce(enabled_at, ?), disabled_at = NULL WHERE id = ?'),
      update: db.prepare(`UPDATE federations SET issuer = coalesce(@issuer, issuer), client_id = coalesce(@clientId, client_id),
        client_secret = coalesce(@clientSecret, client_secret), updated_at = @at WHERE id = @id`),
      disable: db.prepare('UPDATE federations SET enabled_at = NULL, disabled_at = ? WHERE id = ? AND enabled_at IS NOT NULL'),
      dropLogins: db.prepare('DELETE FROM oidc_logins WHERE federation_id = ?'),
      migrate: db.prepare(`UPDATE accounts SET federated = 1 WHERE federated = 0 AND ${IN_DOMAIN}`),
      unfederated: db.prepare(`SELECT id, email FROM accounts WHERE federated = 0 AND ${IN_DOMAIN} ORDER BY email`),
      addLogin: db.prepare('INSERT INTO oidc_logins (state, federation_id, nonce, code_verifier, expires_at) VALUES (@state, @federationId, @nonce, @codeVerifier, @expiresAt)'),
      getLogin: db.prepare('SELECT * FROM oidc_logins WHERE state = ?'),
      deleteLogin: db.prepare('DELETE FROM oidc_logins WHERE state = ?'),
      bySubject: db.prepare('SELECT id FROM accounts WHERE federated_subject = ?'),
      link: db.prepare('UPDATE accounts SET federated_subject = ?, federated = 1 WHERE id = ?'),
    };
  }
  async create(f: Federation): Promise<'created' | 'exists'> {
    try {
      this.s.insert.run({ id: f.id, orgId: f.orgId, domainId: f.domainId, issuer: f.issuer, clientId: f.clientId, clientSecret: this.sealer.seal(f.clientSecret), createdAt: toDb(f.createdAt) });
      return 'created';
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'exists';
      throw err;
    }
  }
  async get(id: string) {
    const r = this.s.get.get(id) as Row | undefined;
    return r && toFederation(r, this.sealer);
  }
  async listByOrg(orgId: string) {
    return (this.s.list.all(orgId) as Row[]).map((r) => toFederation(r, this.sealer));
  }
  async enable(id: string, at: Date) {
    this.s.enable.run(toDb(at), id);
  }
  async update(id: string, c: FederationChanges, at: Date) {
    const sealed = c.clientSecret === undefined ? null : this.sealer.seal(c.clientSecret);
    this.db.transaction(() => {
      this.s.update.run({ id, issuer: c.issuer ?? null, clientId: c.clientId ?? null, clientSecret: sealed, at: toDb(at) });
      this.s.dropLogins.run(id);
    }).immediate();
  }
  async disable(id: string, at: Date) {
    this.s.disable.run(toDb(at), id);
  }
  async migrateAccounts(orgId: string, domain: string) {
    return this.s.migrate.run(orgId, domain).changes;
  }
  async unfederatedAccounts(orgId: string, domain: string) {
    return this.s.unfederated.all(orgId, domain) as Array<{ id: string; email: string }>;
  }
  async addLogin(l: OidcLogin) {
    this.s.addLogin.run({ ...l, expiresAt: toDb(l.expiresAt) });
  }
  async takeLogin(state: string) {
    return this.db.transaction(() => {
      const r = this.s.getLogin.get(state) as Row | undefined;
      if (!r) return undefined;
      this.s.deleteLogin.run(state);
      return { state: r.state, federationId: r.federation_id, nonce: r.nonce, codeVerifier: r.code_verifier, expiresAt: new Date(r.expires_at) } as OidcLogin;
    }).immediate();
  }
  async accountBySubject(subject: string) {
    return (this.s.bySubject.get(subject) as { id: string } | undefined)?.id;
  }
  async linkSubject(accountId: string, subject: string) {
    this.s.link.run(subject, accountId);
  }
  async createFederatedAccount(account: Account, subject: string) {
    this.db.transaction(() => {
      this.accounts.insertSync(account);
      this.s.link.run(subject, account.id);
    }).immediate();
  }
}
