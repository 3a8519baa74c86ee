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
  createdAt: Date;
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
}

type Row = Record<string, any>;
const toOrg = (r: Row): Organisation => ({
  id: r.id, name: r.name, orgId: r.org_id, duns: r.duns ?? undefined, email: r.email, phone: r.phone,
  address: r.address, orgType: r.org_type, orgVersion: r.org_version, consentText: r.consent_text,
  brandColor: r.brand_color, termsVersionRequired: r.terms_version_required,
  termsVersionAccepted: r.terms_version_accepted, termsAcceptedBy: r.terms_accepted_by ?? undefined,
  termsAcceptedAt: fromDbOpt(r.terms_accepted_at), createdAt: new Date(r.created_at),
});

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
    };
  }
  async create(o: Organisation) {
    this.stmts.insert.run({ ...o, duns: o.duns ?? null, createdAt: toDb(o.createdAt) });
  }
  async createWithFirstAccount(org: Organisation, account: Account, token?: { record: ApiTokenRecord; hash: string }) {
    this.db.transaction(() => {
      this.stmts.insert.run({ ...org, duns: org.duns ?? null, createdAt: toDb(org.createdAt) });
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
}
