// The domains an organisation claims for its Managed Apple IDs, each proven by a DNS TXT record.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';

export interface Domain {
  id: string;
  orgId: string;
  /** Lower case, no trailing dot. */
  name: string;
  /** Published as `orchard-domain-verification=<txtToken>`. */
  txtToken: string;
  verifiedAt?: Date;
  createdAt: Date;
}

export interface DomainRepository {
  /** 'exists' when the organisation already added this name. */
  create(d: Domain): Promise<'created' | 'exists'>;
  get(orgId: string, id: string): Promise<Domain | undefined>;
  listByOrg(orgId: string): Promise<Domain[]>;
  /** The organisation that verified `name`, if any. */
  verifiedOwner(name: string): Promise<Domain | undefined>;
  /** Marks the domain verified; 'claimed' (and nothing changed) when another organisation verified the name first. */
  markVerified(id: string, at: Date): Promise<'verified' | 'claimed'>;
  /** How many accounts of the organisation have a Managed Apple ID in `name`. */
  countAccountsIn(orgId: string, name: string): Promise<number>;
  delete(id: string): Promise<void>;
}

type Row = Record<string, any>;
const toDomain = (r: Row): Domain => ({
  id: r.id, orgId: r.org_id, name: r.name, txtToken: r.txt_token, verifiedAt: fromDbOpt(r.verified_at), createdAt: new Date(r.created_at),
});

export class SqliteDomainRepository implements DomainRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO domains (id, org_id, name, txt_token, verified_at, created_at)
        VALUES (@id, @orgId, @name, @txtToken, @verifiedAt, @createdAt)`),
      get: db.prepare('SELECT * FROM domains WHERE org_id = ? AND id = ?'),
      list: db.prepare('SELECT * FROM domains WHERE org_id = ? ORDER BY name'),
      owner: db.prepare('SELECT * FROM domains WHERE name = ? AND verified_at IS NOT NULL'),
      verified: db.prepare('UPDATE domains SET verified_at = coalesce(verified_at, ?) WHERE id = ?'),
      // The Managed Apple ID's part after the last '@' is the domain (accounts.email is NOCASE).
      countIn: db.prepare("SELECT count(*) AS n FROM accounts WHERE org_id = ? AND lower(substr(email, instr(email, '@') + 1)) = lower(?)"),
      delete: db.prepare('DELETE FROM domains WHERE id = ?'),
    };
  }
  async create(d: Domain): Promise<'created' | 'exists'> {
    try {
      this.s.insert.run({ ...d, verifiedAt: d.verifiedAt ? toDb(d.verifiedAt) : null, createdAt: toDb(d.createdAt) });
      return 'created';
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'exists';
      throw err;
    }
  }
  async get(orgId: string, id: string) {
    const r = this.s.get.get(orgId, id) as Row | undefined;
    return r && toDomain(r);
  }
  async listByOrg(orgId: string) {
    return (this.s.list.all(orgId) as Row[]).map(toDomain);
  }
  async verifiedOwner(name: string) {
    const r = this.s.owner.get(name) as Row | undefined;
    return r && toDomain(r);
  }
  async markVerified(id: string, at: Date): Promise<'verified' | 'claimed'> {
    try {
      this.s.verified.run(toDb(at), id);
      return 'verified';
    } catch (err) {
      // The partial UNIQUE index on verified names: another organisation proved it first.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'claimed';
      throw err;
    }
  }
  async countAccountsIn(orgId: string, name: string) {
    return (this.s.countIn.get(orgId, name) as { n: number }).n;
  }
  async delete(id: string) {
    this.s.delete.run(id);
  }
}
