import type { Db } from './db.js';
import { toDb } from './db.js';

export interface Location {
  id: string;
  orgId: string;
  name: string;
  address: string;
  country: string;
  currency: string;
  createdAt: Date;
}

export interface LocationRepository {
  /** Inserts the location; 'name-taken' when the organisation has one of this name already. */
  create(l: Location): Promise<'created' | 'name-taken'>;
  get(orgId: string, id: string): Promise<Location | undefined>;
  /** By id alone, for callers that learn the organisation from the location (content tokens). */
  getById(id: string): Promise<Location | undefined>;
  listByOrg(orgId: string): Promise<Location[]>;
}

type Row = Record<string, any>;
const toLocation = (r: Row): Location => ({
  id: r.id, orgId: r.org_id, name: r.name, address: r.address, country: r.country, currency: r.currency, createdAt: new Date(r.created_at),
});

export class SqliteLocationRepository implements LocationRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO locations (id, org_id, name, address, country, currency, created_at)
        VALUES (@id, @orgId, @name, @address, @country, @currency, @createdAt)`),
      get: db.prepare('SELECT * FROM locations WHERE org_id = ? AND id = ?'),
      getById: db.prepare('SELECT * FROM locations WHERE id = ?'),
      list: db.prepare('SELECT * FROM locations WHERE org_id = ? ORDER BY name'),
    };
  }
  async create(l: Location): Promise<'created' | 'name-taken'> {
    try {
      this.s.insert.run({ ...l, createdAt: toDb(l.createdAt) });
      return 'created';
    } catch (err) {
      // UNIQUE (org_id, name): the store's answer to a second location of the same name, which
      // the domain raises as a conflict (better-sqlite3 names the constraint in `code`).
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'name-taken';
      throw err;
    }
  }
  async get(orgId: string, id: string) {
    const r = this.s.get.get(orgId, id) as Row | undefined;
    return r && toLocation(r);
  }
  async getById(id: string) {
    const r = this.s.getById.get(id) as Row | undefined;
    return r && toLocation(r);
  }
  async listByOrg(orgId: string) {
    return (this.s.list.all(orgId) as Row[]).map(toLocation);
  }
}
