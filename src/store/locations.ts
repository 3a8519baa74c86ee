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
  /** Renames or re-addresses; 'name-taken' when another location of the organisation has the name. */
  update(orgId: string, id: string, change: { name?: string; address?: string }): Promise<'updated' | 'name-taken'>;
  /** What belongs to the location (accounts and content), which keeps it from being deleted. */
  usage(id: string): Promise<LocationUsage>;
  /**
   * Deletes the location if nothing belongs to it, counted and deleted in one transaction:
   * 'in-use' (and the counts) otherwise.
   */
  deleteIfUnused(id: string): Promise<{ deleted: true } | { deleted: false; usage: LocationUsage }>;
}

/** Rows that belong to a location, by kind. */
export interface LocationUsage {
  accounts: number;
  purchases: number;
  licence_pools: number;
  licence_assignments: number;
  content_tokens: number;
  users: number;
}

const USAGE_SQL = `SELECT
  (SELECT count(*) FROM accounts WHERE location_id = @id) AS accounts,
  (SELECT count(*) FROM content_purchases WHERE location_id = @id) AS purchases,
  (SELECT count(*) FROM licence_pools WHERE location_id = @id) AS licence_pools,
  (SELECT count(*) FROM licence_assignments WHERE location_id = @id) AS licence_assignments,
  (SELECT count(*) FROM content_tokens WHERE location_id = @id) AS content_tokens,
  (SELECT count(*) FROM vpp_users WHERE location_id = @id) AS users`;

type Row = Record<string, any>;
const toLocation = (r: Row): Location => ({
  id: r.id, orgId: r.org_id, name: r.name, address: r.address, country: r.country, currency: r.currency, createdAt: new Date(r.created_at),
});

export class SqliteLocationRepository implements LocationRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      update: db.prepare('UPDATE locations SET name = coalesce(@name, name), address = coalesce(@address, address) WHERE org_id = @orgId AND id = @id'),
      usage: db.prepare(USAGE_SQL),
      delete: db.prepare('DELETE FROM locations WHERE id = ?'),
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
  async update(orgId: string, id: string, change: { name?: string; address?: string }): Promise<'updated' | 'name-taken'> {
    try {
      this.s.update.run({ orgId, id, name: change.name ?? null, address: change.address ?? null });
      return 'updated';
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'name-taken';
      throw err;
    }
  }
  async usage(id: string): Promise<LocationUsage> {
    return { ...(this.s.usage.get({ id }) as LocationUsage) };
  }
  async deleteIfUnused(id: string): Promise<{ deleted: true } | { deleted: false; usage: LocationUsage }> {
    return this.db.transaction(() => {
      const usage = { ...(this.s.usage.get({ id }) as LocationUsage) };
      if (Object.values(usage).some((n) => n > 0)) return { deleted: false as const, usage };
      // What is left (an empty library, a zero credit balance, events) goes with it (ON DELETE CASCADE).
      this.s.delete.run(id);
      return { deleted: true as const };
    }).immediate();
  }
}
