// Buying content: a location's VPP credit and credit codes, recorded company cards,
// purchases (charge + licences in one transaction), licence pools and transfers.
// Each change writes its outbox event in the same transaction (DESIGN.md, Events).
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import { insertEventStatement } from './events.js';

export interface CompanyCard {
  id: string;
  orgId: string;
  label: string;
  last4: string;
  createdAt: Date;
  createdBy: string;
  removedAt?: Date;
}

export type PaymentMethod = 'vpp_credit' | 'card' | 'free';
export type ProductType = 'App' | 'Book';

export interface Purchase {
  id: string;
  orgId: string;
  locationId: string;
  adamId: string;
  productType: ProductType;
  name: string;
  pricingParam: string;
  quantity: number;
  unitPriceMinor: number;
  totalMinor: number;
  currency: string;
  paymentMethod: PaymentMethod;
  cardId?: string;
  purchasedBy: string;
  purchasedAt: Date;
}

export interface LicenceTransfer {
  id: string;
  orgId: string;
  fromLocationId: string;
  toLocationId: string;
  adamId: string;
  pricingParam: string;
  quantity: number;
  transferredBy: string;
  transferredAt: Date;
}

export interface LicencePool {
  locationId: string;
  adamId: string;
  pricingParam: string;
  productType: ProductType;
  totalCount: number;
  assignedCount: number;
}

/** Why a purchase or transfer could not be written; the service turns these into domain errors. */
export type PurchaseRefusal = 'insufficient_credit' | 'currency_mismatch' | 'not_enough_available';
export type RedeemRefusal = 'unknown_code' | 'already_redeemed' | 'currency_mismatch';
export type RedeemOutcome = { ok: true; balanceMinor: number } | { ok: false; reason: RedeemRefusal };
export interface CreditBalance { currency: string; balanceMinor: number }
export interface CreditCode { currency: string; amountMinor: number; redeemed: boolean }

export interface PurchasingRepository {
  balance(locationId: string): Promise<{ currency: string; balanceMinor: number } | undefined>;
  importCodes(codes: Array<{ codeHash: string; currency: string; amountMinor: number }>, at: Date): Promise<number>;
  /**
   * Redeems a code into the location's credit (opened in `currency` if absent), unless `refuse`
   * (the domain's rule) refuses it on the code and the credit as they are; all or nothing.
   */
  redeem(codeHash: string, locationId: string, currency: string, by: string, at: Date,
    refuse: (code: CreditCode | undefined, credit: CreditBalance | undefined) => RedeemRefusal | undefined): Promise<RedeemOutcome>;
  addCard(card: CompanyCard): Promise<void>;
  listCards(orgId: string): Promise<CompanyCard[]>;
  getCard(orgId: string, id: string): Promise<CompanyCard | undefined>;
  removeCard(orgId: string, id: string, at: Date): Promise<boolean>;
  /**
   * Charges the credit (when paid with VPP credit, unless `refuse` refuses the charge on the
   * credit as it is) and adds the licences; all or nothing.
   */
  purchase(p: Purchase, refuse: (credit: CreditBalance | undefined) => PurchaseRefusal | undefined): Promise<{ ok: true; balanceMinor?: number } | { ok: false; reason: PurchaseRefusal }>;
  listPurchases(orgId: string, locationId?: string): Promise<Purchase[]>;
  /** Moves licences between two locations of one organisation, unless `refuse` refuses on the source pool as it is. */
  transfer(t: LicenceTransfer, productType: ProductType,
    refuse: (from: LicencePool | undefined) => 'not_enough_available' | undefined): Promise<{ ok: true } | { ok: false; reason: 'not_enough_available' }>;
  listTransfers(orgId: string): Promise<LicenceTransfer[]>;
  pools(locationId: string): Promise<LicencePool[]>;
  pool(locationId: string, adamId: string, pricingParam: string): Promise<LicencePool | undefined>;
  /** Pools of every location of the organisation, for the consolidated history. */
  orgPools(orgId: string): Promise<LicencePool[]>;
}

type Row = Record<string, any>;
const toCard = (r: Row): CompanyCard => ({
  id: r.id, orgId: r.org_id, label: r.label, last4: r.last4, createdAt: new Date(r.created_at), createdBy: r.created_by, removedAt: fromDbOpt(r.removed_at),
});
const toPurchase = (r: Row): Purchase => ({
  id: r.id, orgId: r.org_id, locationId: r.location_id, adamId: r.adam_id, productType: r.product_type, name: r.name, pricingParam: r.pricing_param,
  quantity: r.quantity, unitPriceMinor: r.unit_price_minor, totalMinor: r.total_minor, currency: r.currency, paymentMethod: r.payment_method,
  cardId: r.card_id ?? undefined, purchasedBy: r.purchased_by, purchasedAt: new Date(r.purchased_at),
});
const toTransfer = (r: Row): LicenceTransfer => ({
  id: r.id, orgId: r.org_id, fromLocationId: r.from_location_id, toLocationId: r.to_location_id, adamId: r.adam_id, pricingParam: r.pricing_param,
  quantity: r.quantity, transferredBy: r.transferred_by, transferredAt: new Date(r.transferred_at),
});
const toPool = (r: Row): LicencePool => ({
  locationId: r.location_id, adamId: r.adam_id, pricingParam: r.pricing_param, productType: r.product_type, totalCount: r.total_count, assignedCount: r.assigned,
});

const POOL_SELECT = `SELECT p.*, (SELECT count(*) FROM licence_assignments a WHERE a.location_id = p.location_id AND a.adam_id = p.adam_id
  AND a.pricing_param = p.pricing_param) AS assigned FROM licence_pools p`;

export class SqlitePurchasingRepository implements PurchasingRepository {
  private readonly s;
  private readonly insertEvent;
  constructor(private readonly db: Db) {
    this.insertEvent = insertEventStatement(db);
    this.s = {
      balance: db.prepare('SELECT currency, balance_minor FROM vpp_credit WHERE location_id = ?'),
      ensureCredit: db.prepare('INSERT OR IGNORE INTO vpp_credit (location_id, currency, balance_minor) VALUES (?, ?, 0)'),
      credit: db.prepare('UPDATE vpp_credit SET balance_minor = balance_minor + ? WHERE location_id = ?'),
      importCode: db.prepare('INSERT OR IGNORE INTO vpp_credit_codes (code_hash, currency, amount_minor, issued_at) VALUES (?, ?, ?, ?)'),
      code: db.prepare('SELECT * FROM vpp_credit_codes WHERE code_hash = ?'),
      redeemCode: db.prepare('UPDATE vpp_credit_codes SET redeemed_at = ?, redeemed_location_id = ?, redeemed_by = ? WHERE code_hash = ? AND redeemed_at IS NULL'),
      addCard: db.prepare(`INSERT INTO company_cards (id, org_id, label, last4, created_at, created_by) VALUES (@id, @orgId, @label, @last4, @createdAt, @createdBy)`),
      cards: db.prepare('SELECT * FROM company_cards WHERE org_id = ? AND removed_at IS NULL ORDER BY label'),
      card: db.prepare('SELECT * FROM company_cards WHERE org_id = ? AND id = ?'),
      removeCard: db.prepare('UPDATE company_cards SET removed_at = ? WHERE org_id = ? AND id = ? AND removed_at IS NULL'),
      insertPurchase: db.prepare(`INSERT INTO content_purchases (id, org_id, location_id, adam_id, product_type, name, pricing_param, quantity,
        unit_price_minor, total_minor, currency, payment_method, card_id, purchased_by, purchased_at) VALUES (@id, @orgId, @locationId, @adamId,
        @productType, @name, @pricingParam, @quantity, @unitPriceMinor, @totalMinor, @currency, @paymentMethod, @cardId, @purchasedBy, @purchasedAt)`),
      addLicences: db.prepare(`INSERT INTO licence_pools (location_id, adam_id, pricing_param, product_type, total_count) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (location_id, adam_id, pricing_param) DO UPDATE SET total_count = total_count + excluded.total_count`),
      takeLicences: db.prepare('UPDATE licence_pools SET total_count = total_count - ? WHERE location_id = ? AND adam_id = ? AND pricing_param = ?'),
      purchases: db.prepare('SELECT * FROM content_purchases WHERE org_id = ? ORDER BY purchased_at, id'),
      purchasesAt: db.prepare('SELECT * FROM content_purchases WHERE org_id = ? AND location_id = ? ORDER BY purchased_at, id'),
      insertTransfer: db.prepare(`INSERT INTO licence_transfers (id, org_id, from_location_id, to_location_id, adam_id, pricing_param, quantity,
        transferred_by, transferred_at) VALUES (@id, @orgId, @fromLocationId, @toLocationId, @adamId, @pricingParam, @quantity, @transferredBy, @transferredAt)`),
      transfers: db.prepare('SELECT * FROM licence_transfers WHERE org_id = ? ORDER BY transferred_at, id'),
      pools: db.prepare(`${POOL_SELECT} WHERE p.location_id = ? ORDER BY p.adam_id, p.pricing_param`),
      pool: db.prepare(`${POOL_SELECT} WHERE p.location_id = ? AND p.adam_id = ? AND p.pricing_param = ?`),
      orgPools: db.prepare(`${POOL_SELECT} JOIN locations l ON l.id = p.location_id WHERE l.org_id = ? ORDER BY p.adam_id, l.name`),
    };
  }
  async balance(locationId: string) {
    return this.creditOf(locationId);
  }
  async importCodes(codes: Array<{ codeHash: string; currency: string; amountMinor: number }>, at: Date) {
    let n = 0;
    this.db.transaction(() => {
      for (const c of codes) n += this.s.importCode.run(c.codeHash, c.currency, c.amountMinor, toDb(at)).changes;
    }).immediate();
    return n;
  }
  async redeem(codeHash: string, locationId: string, currency: string, by: string, at: Date,
    refuse: (code: CreditCode | undefined, credit: CreditBalance | undefined) => RedeemRefusal | undefined): Promise<RedeemOutcome> {
    return this.db.transaction((): RedeemOutcome => {
      const code = this.s.code.get(codeHash) as Row | undefined;
      const reason = refuse(code && { currency: code.currency, amountMinor: code.amount_minor, redeemed: !!code.redeemed_at }, this.creditOf(locationId));
      if (reason || !code) return { ok: false, reason: reason ?? 'unknown_code' };
      this.s.ensureCredit.run(locationId, currency);
      this.s.redeemCode.run(toDb(at), locationId, by, codeHash);
      this.s.credit.run(code.amount_minor, locationId);
      return { ok: true, balanceMinor: (this.s.balance.get(locationId) as Row).balance_minor };
    }).immediate();
  }
  async addCard(card: CompanyCard) {
    this.s.addCard.run({ ...card, createdAt: toDb(card.createdAt) });
  }
  async listCards(orgId: string) {
    return (this.s.cards.all(orgId) as Row[]).map(toCard);
  }
  async getCard(orgId: string, id: string) {
    const r = this.s.card.get(orgId, id) as Row | undefined;
    return r && toCard(r);
  }
  async removeCard(orgId: string, id: string, at: Date) {
    return this.s.removeCard.run(toDb(at), orgId, id).changes > 0;
  }
  private creditOf(locationId: string): CreditBalance | undefined {
    const r = this.s.balance.get(locationId) as Row | undefined;
    return r && { currency: r.currency, balanceMinor: r.balance_minor };
  }
  async purchase(p: Purchase, refuse: (credit: CreditBalance | undefined) => PurchaseRefusal | undefined) {
    return this.db.transaction(() => this.purchaseSync(p, refuse)).immediate();
  }
  /** purchase inside the caller's transaction (the upgrade import's licences, paid 'free'). */
  purchaseSync(p: Purchase, refuse: (credit: CreditBalance | undefined) => PurchaseRefusal | undefined): { ok: true; balanceMinor?: number } | { ok: false; reason: PurchaseRefusal } {
    let balanceMinor: number | undefined;
    if (p.paymentMethod === 'vpp_credit') {
      const credit = this.creditOf(p.locationId);
      const reason = refuse(credit);
      if (reason || !credit) return { ok: false, reason: reason ?? 'insufficient_credit' };
      this.s.credit.run(-p.totalMinor, p.locationId);
      balanceMinor = credit.balanceMinor - p.totalMinor;
    }
    this.s.insertPurchase.run({ ...p, cardId: p.cardId ?? null, purchasedAt: toDb(p.purchasedAt) });
    this.s.addLicences.run(p.locationId, p.adamId, p.pricingParam, p.productType, p.quantity);
    this.insertEvent({ orgId: p.orgId, type: 'content.purchased', payload: JSON.stringify({
      purchase_id: p.id, location_id: p.locationId, adam_id: p.adamId, quantity: p.quantity, total_minor: p.totalMinor, currency: p.currency,
    }) }, p.purchasedAt);
    return { ok: true, balanceMinor };
  }
  async listPurchases(orgId: string, locationId?: string) {
    const rows = (locationId ? this.s.purchasesAt.all(orgId, locationId) : this.s.purchases.all(orgId)) as Row[];
    return rows.map(toPurchase);
  }
  async transfer(t: LicenceTransfer, productType: ProductType, refuse: (from: LicencePool | undefined) => 'not_enough_available' | undefined) {
    return this.db.transaction((): { ok: true } | { ok: false; reason: 'not_enough_available' } => {
      const from = this.s.pool.get(t.fromLocationId, t.adamId, t.pricingParam) as Row | undefined;
      const reason = refuse(from && toPool(from));
      if (reason) return { ok: false, reason };
      this.s.takeLicences.run(t.quantity, t.fromLocationId, t.adamId, t.pricingParam);
      this.s.addLicences.run(t.toLocationId, t.adamId, t.pricingParam, productType, t.quantity);
      this.s.insertTransfer.run({ ...t, transferredAt: toDb(t.transferredAt) });
      this.insertEvent({ orgId: t.orgId, type: 'content.licences_transferred', payload: JSON.stringify({
        transfer_id: t.id, from_location_id: t.fromLocationId, to_location_id: t.toLocationId, adam_id: t.adamId, quantity: t.quantity,
      }) }, t.transferredAt);
      return { ok: true };
    }).immediate();
  }
  async listTransfers(orgId: string) {
    return (this.s.transfers.all(orgId) as Row[]).map(toTransfer);
  }
  async pools(locationId: string) {
    return (this.s.pools.all(locationId) as Row[]).map(toPool);
  }
  async pool(locationId: string, adamId: string, pricingParam: string) {
    const r = this.s.pool.get(locationId, adamId, pricingParam) as Row | undefined;
    return r && toPool(r);
  }
  async orgPools(orgId: string) {
    return (this.s.orgPools.all(orgId) as Row[]).map(toPool);
  }
}
