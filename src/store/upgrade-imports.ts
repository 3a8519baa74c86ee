// Upgrade imports (issue 16): an old Device Enrollment Program / Volume Purchase Program account
// brought into one organisation. `apply` writes the whole import in one transaction through the
// synchronous writers of the repositories that own each row (servers and their tokens, orders,
// devices and their op records, purchases and licence pools, content tokens, accounts with their
// invitations and mails), with the import's own record; a digest already imported, or a serial
// number taken meanwhile, writes nothing.
import type { Db } from './db.js';
import { toDb } from './db.js';
import type { Account } from './accounts.js';
import type { ContentTokenRecord, SqliteLibraryRepository } from './content-library.js';
import type { Purchase, SqlitePurchasingRepository } from './content-purchasing.js';
import { DeviceWriter } from './device-writes.js';
import type { DefaultFamily, Device } from './device-types.js';
import type { Invitation, SqliteInvitationRepository } from './invitations.js';
import type { MdmServer, ServerTokenRecord, SqliteMdmServerRepository } from './mdm-servers.js';
import type { Order, OrderLine, SqliteOrderRepository } from './orders.js';
import type { OutboxMail } from './outbox.js';

/** What one import brought, by kind. */
export interface UpgradeImportCounts {
  servers: number;
  devices: number;
  orders: number;
  purchases: number;
  licences: number;
  content_tokens: number;
  invitations: number;
  /** Volume purchasers who already had an account of the organisation: not invited again. */
  existing_accounts: number;
}

export interface UpgradeImportRecord {
  id: string;
  orgId: string;
  importedBy: string;
  importedByEmail?: string;
  importedAt: Date;
  sourceDigest: string;
  sourceName: string;
  counts: UpgradeImportCounts;
}

/** Every row an import writes, built and checked by the domain (src/business/upgrade-import/). */
export interface UpgradeImportWrites {
  record: UpgradeImportRecord;
  servers: Array<{ server: MdmServer; token: ServerTokenRecord }>;
  defaults: Array<{ family: DefaultFamily; serverId: string }>;
  orders: Array<{ order: Order; lines: OrderLine[] }>;
  devices: Array<{ device: Device; serverId?: string; assignedBy: string }>;
  purchases: Purchase[];
  contentTokens: Array<{ record: ContentTokenRecord; tokenHash: string }>;
  invitations: Array<{ account: Account; invitation: Invitation; tokenHash: string; mail: OutboxMail }>;
}

export type UpgradeApplyOutcome =
  | { applied: true }
  | { applied: false; reason: 'already_imported'; importId: string }
  | { applied: false; reason: 'serial_taken'; serialNumber: string }
  /** A name, order number, token or Managed Apple ID of the file taken by another writer since the plan. */
  | { applied: false; reason: 'taken_meanwhile' };

export interface UpgradeImportRepository {
  /** All or nothing: the import's rows and its record, unless the digest was imported or a serial is taken meanwhile. */
  apply(w: UpgradeImportWrites): Promise<UpgradeApplyOutcome>;
  findByDigest(orgId: string, digest: string): Promise<UpgradeImportRecord | undefined>;
  get(orgId: string, id: string): Promise<UpgradeImportRecord | undefined>;
  list(orgId: string): Promise<UpgradeImportRecord[]>;
}

export interface UpgradeImportWriters {
  mdmServers: SqliteMdmServerRepository;
  orders: SqliteOrderRepository;
  purchasing: SqlitePurchasingRepository;
  library: SqliteLibraryRepository;
  invitations: SqliteInvitationRepository;
}

type Row = Record<string, any>;
const toRecord = (r: Row): UpgradeImportRecord => ({
  id: r.id, orgId: r.org_id, importedBy: r.imported_by, importedByEmail: r.imported_by_email ?? undefined, importedAt: new Date(r.imported_at),
  sourceDigest: r.source_digest, sourceName: r.source_name, counts: JSON.parse(r.counts),
});

/** Rolls the transaction back with a reason the method answers. */
class Refused extends Error {
  constructor(readonly outcome: Exclude<UpgradeApplyOutcome, { applied: true }>) {
    super(outcome.reason);
  }
}

export class SqliteUpgradeImportRepository implements UpgradeImportRepository {
  private readonly s;
  private readonly w: DeviceWriter;
  constructor(private readonly db: Db, private readonly writers: UpgradeImportWriters) {
    this.w = new DeviceWriter(db);
    this.s = {
      insert: db.prepare(`INSERT INTO upgrade_imports (id, org_id, imported_by, imported_by_email, imported_at, source_digest, source_name, counts)
        VALUES (@id, @orgId, @importedBy, @importedByEmail, @importedAt, @sourceDigest, @sourceName, @counts)`),
      byDigest: db.prepare('SELECT * FROM upgrade_imports WHERE org_id = ? AND source_digest = ?'),
      get: db.prepare('SELECT * FROM upgrade_imports WHERE org_id = ? AND id = ?'),
      list: db.prepare('SELECT * FROM upgrade_imports WHERE org_id = ? ORDER BY imported_at DESC, rowid DESC'),
    };
  }

  async apply(x: UpgradeImportWrites): Promise<UpgradeApplyOutcome> {
    const { mdmServers, orders, purchasing, library, invitations } = this.writers;
    const r = x.record;
    try {
      this.db.transaction(() => {
        const done = this.s.byDigest.get(r.orgId, r.sourceDigest) as Row | undefined;
        if (done) throw new Refused({ applied: false, reason: 'already_imported', importId: done.id });
        for (const { server, token } of x.servers) {
          mdmServers.createSync(server);
          mdmServers.issueTokenSync(token);
        }
        for (const d of x.defaults) mdmServers.setDefaultSync(r.orgId, d.family, d.serverId);
        for (const o of x.orders) orders.insertOrderSync(o.order, o.lines);
        for (const d of x.devices) {
          // Checked before, checked again here: a serial another writer took meanwhile refuses the whole import.
          if (this.w.current(d.device.serialNumber)?.released === false) throw new Refused({ applied: false, reason: 'serial_taken', serialNumber: d.device.serialNumber });
          this.w.insert(d.device);
          if (d.serverId) this.w.assign(d.device.serialNumber, d.serverId, d.device.addedAt, d.assignedBy);
        }
        for (const p of x.purchases) purchasing.purchaseSync(p, () => undefined);
        for (const t of x.contentTokens) library.issueTokenSync(t.record, t.tokenHash);
        for (const i of x.invitations) invitations.issueSync(i.invitation, i.tokenHash, i.mail, i.account);
        this.s.insert.run({
          id: r.id, orgId: r.orgId, importedBy: r.importedBy, importedByEmail: r.importedByEmail ?? null, importedAt: toDb(r.importedAt),
          sourceDigest: r.sourceDigest, sourceName: r.sourceName, counts: JSON.stringify(r.counts),
        });
      }).immediate();
    } catch (err) {
      if (err instanceof Refused) return err.outcome;
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return { applied: false, reason: 'taken_meanwhile' };
      throw err;
    }
    return { applied: true };
  }

  async findByDigest(orgId: string, digest: string) {
    const row = this.s.byDigest.get(orgId, digest) as Row | undefined;
    return row && toRecord(row);
  }

  async get(orgId: string, id: string) {
    const row = this.s.get.get(orgId, id) as Row | undefined;
    return row && toRecord(row);
  }

  async list(orgId: string) {
    return (this.s.list.all(orgId) as Row[]).map(toRecord);
  }
}
