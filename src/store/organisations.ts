import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import type { Account, ApiTokenRecord } from './accounts.js';
import { SqliteAccountRepository } from './accounts.js';

export interface Organisation {
  id: string;
  name: string;
  orgId: string;
  duns?: string;
  email: string;
  phone: string;
  address: string;
  orgType: 'org' | 'edu';
  orgVersion: string;
  consentText: string;
  brandColor: string;
  termsVersionRequired: number;
  termsVersionAccepted: number;
  termsAcceptedBy?: string;
  termsAcceptedAt?: Date;
  /** Apps and Books: its own terms and the billing information, before the first purchase (issue 16). */
  contentTermsAcceptedAt?: Date;
  contentTermsAcceptedBy?: string;
  billing?: Billing;
  createdAt: Date;
}

export interface Billing {
  name: string;
  email: string;
  address: string;
  taxId?: string;
}

export interface TermsVersion {
  version: number;
  publishedAt: Date;
  summary: string;
}

export type OrganisationPatch = Partial<Pick<Organisation, 'name' | 'email' | 'phone' | 'address' | 'consentText' | 'brandColor'>>;

export interface OrganisationRepository {
  create(org: Organisation): Promise<void>;
  /** Sign-up: the organisation, its first account with roles and API token, in one transaction. */
  createWithFirstAccount(org: Organisation, account: Account, token?: { record: ApiTokenRecord; hash: string }): Promise<void>;
  get(id: string): Promise<Organisation | undefined>;
  getByOrgId(orgId: string): Promise<Organisation | undefined>;
  getByDuns(duns: string): Promise<Organisation | undefined>;
  list(): Promise<Organisation[]>;
  count(): Promise<number>;
  update(id: string, patch: OrganisationPatch): Promise<void>;
  acceptTerms(id: string, version: number, accountId: string, at: Date): Promise<void>;
  requireTerms(id: string, version: number): Promise<void>;
  /** The newest published terms version. */
  currentTerms(): Promise<TermsVersion>;
  /** Publishes the next terms version and requires it of every organisation: one transaction. */
  publishTerms(summary: string, at: Date): Promise<TermsVersion>;
  acceptContentTerms(id: string, accountId: string, at: Date): Promise<void>;
  setBilling(id: string, billing: Billing): Promise<void>;
}

type Row = Record<string, any>;
const toOrg = (r: Row): Organisation => ({
  id: r.id, name: r.name, orgId: r.org_id, duns: r.duns ?? undefined, email: r.email, phone: r.phone,
  address: r.address, orgType: r.org_type, orgVersion: r.org_version, consentText: r.consent_text,
  brandColor: r.brand_color, termsVersionRequired: r.terms_version_required,
  termsVersionAccepted: r.terms_version_accepted, termsAcceptedBy: r.terms_accepted_by ?? undefined,
  termsAcceptedAt: fromDbOpt(r.terms_accepted_at), createdAt: new Date(r.created_at),
  contentTermsAcceptedAt: fromDbOpt(r.content_terms_accepted_at), contentTermsAcceptedBy: r.content_terms_accepted_by ?? undefined,
  billing: r.billing ? JSON.parse(r.billing) : undefined,
});
const toTerms = (r: Row): TermsVersion => ({ version: r.version, publishedAt: new Date(r.published_at), summary: r.summary });

const PATCH_COLUMNS: Record<keyof OrganisationPatch, string> = {
  name: 'name', email: 'email', phone: 'phone', address: 'address', consentText: 'consent_text', brandColor: 'brand_color',
};

export class SqliteOrganisationRepository implements OrganisationRepository {
  private readonly stmts;
  private readonly accounts: SqliteAccountRepository;
  constructor(private readonly db: Db) {
    this.accounts = new SqliteAccountRepository(db);
    this.stmts = {
      insert: db.prepare(`INSERT INTO organisations (id, name, org_id, duns, email, phone, address, org_type, org_version,
        consent_text, brand_color, terms_version_required, terms_version_accepted, created_at)
        VALUES (@id, @name, @orgId, @duns, @email, @phone, @address, @orgType, @orgVersion, @consentText, @brandColor,
        @termsVersionRequired, @termsVersionAccepted, @createdAt)`),
      get: db.prepare('SELECT * FROM organisations WHERE id = ?'),
      byOrgId: db.prepare('SELECT * FROM organisations WHERE org_id = ?'),
      byDuns: db.prepare('SELECT * FROM organisations WHERE duns = ?'),
      list: db.prepare('SELECT * FROM organisations ORDER BY created_at'),
      count: db.prepare('SELECT count(*) AS n FROM organisations'),
      accept: db.prepare(`UPDATE organisations SET terms_version_accepted = @version, terms_accepted_by = @accountId,
        terms_accepted_at = @at WHERE id = @id`),
      require: db.prepare('UPDATE organisations SET terms_version_required = ? WHERE id = ?'),
      currentTerms: db.prepare('SELECT * FROM terms_versions ORDER BY version DESC LIMIT 1'),
      insertTerms: db.prepare('INSERT INTO terms_versions (version, published_at, summary) VALUES (@version, @publishedAt, @summary)'),
      requireAll: db.prepare('UPDATE organisations SET terms_version_required = ? WHERE terms_version_required < ?'),
      contentTerms: db.prepare('UPDATE organisations SET content_terms_accepted_at = @at, content_terms_accepted_by = @accountId WHERE id = @id'),
      billing: db.prepare('UPDATE organisations SET billing = @billing WHERE id = @id'),
    };
  }
  async create(o: Organisation) {
    this.insertSync(o);
  }
  /** For other repositories' transactions (sign-up activation): the row, its terms and billing as given. */
  insertSync(o: Organisation) {
    this.stmts.insert.run({ ...o, duns: o.duns ?? null, createdAt: toDb(o.createdAt) });
    if (o.termsAcceptedBy && o.termsAcceptedAt) this.stmts.accept.run({ id: o.id, version: o.termsVersionAccepted, accountId: o.termsAcceptedBy, at: toDb(o.termsAcceptedAt) });
    if (o.contentTermsAcceptedAt) this.stmts.contentTerms.run({ id: o.id, accountId: o.contentTermsAcceptedBy ?? null, at: toDb(o.contentTermsAcceptedAt) });
    if (o.billing) this.stmts.billing.run({ id: o.id, billing: JSON.stringify(o.billing) });
  }
  async createWithFirstAccount(org: Organisation, account: Account, token?: { record: ApiTokenRecord; hash: string }) {
    this.db.transaction(() => {
      this.insertSync(org);
      this.accounts.insertSync(account);
      if (token) this.accounts.addApiTokenSync(token.record, token.hash);
    }).immediate();
  }
  async get(id: string) {
    const r = this.stmts.get.get(id) as Row | undefined;
    return r && toOrg(r);
  }
  async getByOrgId(orgId: string) {
    const r = this.stmts.byOrgId.get(orgId) as Row | undefined;
    return r && toOrg(r);
  }
  async getByDuns(duns: string) {
    const r = this.stmts.byDuns.get(duns) as Row | undefined;
    return r && toOrg(r);
  }
  async list() {
    return (this.stmts.list.all() as Row[]).map(toOrg);
  }
  async count() {
    return (this.stmts.count.get() as { n: number }).n;
  }
  async update(id: string, patch: OrganisationPatch) {
    const keys = (Object.keys(patch) as (keyof OrganisationPatch)[]).filter((k) => patch[k] !== undefined);
    if (!keys.length) return;
    const set = keys.map((k) => `${PATCH_COLUMNS[k]} = @${k}`).join(', ');
    this.db.prepare(`UPDATE organisations SET ${set} WHERE id = @id`).run({ ...patch, id });
  }
  async acceptTerms(id: string, version: number, accountId: string, at: Date) {
    this.stmts.accept.run({ id, version, accountId, at: toDb(at) });
  }
  async requireTerms(id: string, version: number) {
    this.stmts.require.run(version, id);
  }
  async currentTerms() {
    return toTerms(this.stmts.currentTerms.get() as Row);
  }
  async publishTerms(summary: string, at: Date) {
    return this.db.transaction(() => {
      const version = (this.stmts.currentTerms.get() as Row).version + 1;
      this.stmts.insertTerms.run({ version, publishedAt: toDb(at), summary });
      this.stmts.requireAll.run(version, version);
      return { version, publishedAt: at, summary };
    }).immediate();
  }
  async acceptContentTerms(id: string, accountId: string, at: Date) {
    this.stmts.contentTerms.run({ id, accountId, at: toDb(at) });
  }
  async setBilling(id: string, billing: Billing) {
    this.stmts.billing.run({ id, billing: JSON.stringify(billing) });
  }
}
