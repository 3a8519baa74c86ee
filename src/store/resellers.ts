// Resellers (each with its own hashed credential), their transactions, and the purchase
// settings that let an organisation's orders in: Apple customer numbers and reseller IDs.
import type { Db } from './db.js';
import { toDb } from './db.js';

export interface Reseller {
  resellerId: string;
  name: string;
  secretHash: string;
  createdAt: Date;
}

export type PurchaseIdKind = 'customer_number' | 'reseller_id';

export interface PurchaseId {
  kind: PurchaseIdKind;
  value: string;
  addedAt: Date;
}

export interface ResellerTransaction {
  id: string;
  resellerId: string;
  receivedAt: Date;
  status: 'COMPLETE' | 'COMPLETE_WITH_ERRORS' | 'ERROR';
  /** Per-order outcome, as check-transaction-status reports it. */
  result: unknown;
}

export interface ResellerRepository {
  create(r: Reseller): Promise<void>;
  get(resellerId: string): Promise<Reseller | undefined>;
  getTransaction(id: string): Promise<ResellerTransaction | undefined>;
  purchaseIds(orgId: string): Promise<PurchaseId[]>;
  /** Replaces the organisation's purchase IDs of that kind. */
  setPurchaseIds(orgId: string, kind: PurchaseIdKind, values: string[], at: Date): Promise<void>;
  /** Replaces the organisation's purchase IDs of every kind given, in one transaction. */
  replacePurchaseIds(orgId: string, byKind: Partial<Record<PurchaseIdKind, string[]>>, at: Date): Promise<void>;
  /** The organisation that lists this customer number, if any. */
  orgOfCustomerNumber(value: string): Promise<string | undefined>;
  listsReseller(orgId: string, resellerId: string): Promise<boolean>;
}

type Row = Record<string, any>;

export class SqliteResellerRepository implements ResellerRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare('INSERT INTO resellers (reseller_id, name, secret_hash, created_at) VALUES (?, ?, ?, ?)'),
      get: db.prepare('SELECT * FROM resellers WHERE reseller_id = ?'),
      tx: db.prepare('SELECT * FROM reseller_transactions WHERE id = ?'),
      ids: db.prepare('SELECT * FROM org_purchase_ids WHERE org_id = ? ORDER BY kind, value'),
      clear: db.prepare('DELETE FROM org_purchase_ids WHERE org_id = ? AND kind = ?'),
      add: db.prepare('INSERT OR IGNORE INTO org_purchase_ids (org_id, kind, value, added_at) VALUES (?, ?, ?, ?)'),
      customer: db.prepare("SELECT org_id FROM org_purchase_ids WHERE kind = 'customer_number' AND value = ?"),
      lists: db.prepare("SELECT 1 FROM org_purchase_ids WHERE org_id = ? AND kind = 'reseller_id' AND value = ?"),
    };
  }
  async create(r: Reseller) {
    this.s.insert.run(r.resellerId, r.name, r.secretHash, toDb(r.createdAt));
  }
  async get(resellerId: string) {
    const r = this.s.get.get(resellerId) as Row | undefined;
    return r && { resellerId: r.reseller_id, name: r.name, secretHash: r.secret_hash, createdAt: new Date(r.created_at) };
  }
  async getTransaction(id: string) {
    const r = this.s.tx.get(id) as Row | undefined;
    return r && { id: r.id, resellerId: r.reseller_id, receivedAt: new Date(r.received_at), status: r.status, result: JSON.parse(r.result) };
  }
  async purchaseIds(orgId: string) {
    return (this.s.ids.all(orgId) as Row[]).map((r) => ({ kind: r.kind as PurchaseIdKind, value: r.value as string, addedAt: new Date(r.added_at) }));
  }
  async setPurchaseIds(orgId: string, kind: PurchaseIdKind, values: string[], at: Date) {
    this.db.transaction(() => {
      this.s.clear.run(orgId, kind);
      for (const v of values) this.s.add.run(orgId, kind, v, toDb(at));
    }).immediate();
  }
  async replacePurchaseIds(orgId: string, byKind: Partial<Record<PurchaseIdKind, string[]>>, at: Date) {
    this.db.transaction(() => {
      for (const [kind, values] of Object.entries(byKind) as [PurchaseIdKind, string[] | undefined][]) {
        if (!values) continue;
        this.s.clear.run(orgId, kind);
        for (const v of values) this.s.add.run(orgId, kind, v, toDb(at));
      }
    }).immediate();
  }
  async orgOfCustomerNumber(value: string) {
    return (this.s.customer.get(value) as Row | undefined)?.org_id as string | undefined;
  }
  async listsReseller(orgId: string, resellerId: string) {
    return this.s.lists.get(orgId, resellerId) !== undefined;
  }
}
