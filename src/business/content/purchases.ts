// Buying in volume for a location (one transaction: charge + licences), the organisation's
// consolidated history with licences in use, and moving unassigned licences between locations.
import type { Clock, Ids } from '../../clock.js';
import type { LicenceTransfer, Purchase } from '../../store/content-purchasing.js';
import type { Store } from '../../store/index.js';
import type { Location } from '../../store/locations.js';
import { conflict, forbidden, invalid, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import type { CatalogItem, CatalogService } from './catalog.js';
import type { LibraryService } from './library.js';
import { chargeRefusal, transferRefusal } from './purchase-rules.js';

export const MAX_QUANTITY = 100_000;

export interface ItemSummary {
  adamId: string;
  name: string;
  productType: 'App' | 'Book';
  purchased: number;
  inUse: number;
  available: number;
  locations: Array<{ locationId: string; total: number; inUse: number }>;
}

export class PurchaseService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly catalog: CatalogService,
    private readonly libraries: LibraryService,
  ) {}

  private async location(orgId: string, id: string): Promise<Location> {
    const l = typeof id === 'string' ? await this.store.locations.get(orgId, id) : undefined;
    if (!l) throw notFound('location');
    return l;
  }

  private quantity(q: unknown): number {
    const n = Number(q);
    if (!Number.isInteger(n) || n < 1 || n > MAX_QUANTITY) throw invalid('quantity_invalid', `quantity must be an integer 1..${MAX_QUANTITY}`);
    return n;
  }

  async purchase(actor: Principal, input: { locationId: string; adamId: string; quantity: unknown; cardId?: string }): Promise<{ purchase: Purchase; item: CatalogItem; balanceMinor?: number }> {
    const location = await this.location(actor.orgId, input.locationId);
    // Issue 16: the Apps and Books terms and the billing information come before the first purchase.
    const org = await this.store.organisations.get(actor.orgId);
    if (!org?.contentTermsAcceptedAt) throw forbidden('content_terms_not_accepted', 'an Administrator must accept the Apps and Books terms (POST /organisation/content-terms) before buying');
    if (!org.billing) throw forbidden('billing_information_missing', 'set the billing information (PUT /organisation/billing) before buying');
    const quantity = this.quantity(input.quantity);
    const item = await this.catalog.get(actor.orgId, String(input.adamId ?? ''));
    if (!item) throw notFound('app or book', 'item_not_found');
    if (!item.countries.includes(location.country)) {
      throw invalid('not_available_in_country', `${item.name} is not available in ${location.country}, the country of this location`);
    }
    const currency = this.catalog.currencies[location.country] ?? location.currency;
    const unit = item.prices[location.country]!;
    const total = unit * quantity;
    let paymentMethod: Purchase['paymentMethod'] = total === 0 ? 'free' : 'vpp_credit';
    if (total > 0 && input.cardId !== undefined) {
      const card = await this.store.content.purchasing.getCard(actor.orgId, String(input.cardId));
      if (!card || card.removedAt) throw notFound('card', 'card_not_found');
      paymentMethod = 'card';
    }
    await this.libraries.ensure(location.id);
    const purchase: Purchase = {
      id: this.ids.uuid(), orgId: actor.orgId, locationId: location.id, adamId: item.adamId, productType: item.media === 'app' ? 'App' : 'Book',
      name: item.name, pricingParam: 'STDQ', quantity, unitPriceMinor: unit, totalMinor: total, currency, paymentMethod,
      cardId: paymentMethod === 'card' ? input.cardId : undefined, purchasedBy: actor.accountId, purchasedAt: this.clock.now(),
    };
    const out = await this.store.content.purchasing.purchase(purchase, (credit) => chargeRefusal(credit, purchase.totalMinor, purchase.currency));
    if (!out.ok) {
      if (out.reason === 'currency_mismatch') throw conflict('currency_mismatch', `the location's VPP credit is not in ${currency}`);
      throw conflict('insufficient_credit', 'the location\'s VPP credit does not cover this purchase; redeem a credit code or name a card');
    }
    return { purchase, item, balanceMinor: out.balanceMinor };
  }

  history(actor: Principal, locationId?: string) {
    return this.store.content.purchasing.listPurchases(actor.orgId, locationId);
  }

  /** Every item the organisation owns, with purchased, in-use and available counts across its locations. */
  async summary(actor: Principal): Promise<ItemSummary[]> {
    const pools = await this.store.content.purchasing.orgPools(actor.orgId);
    const byItem = new Map<string, ItemSummary>();
    for (const p of pools) {
      let s = byItem.get(p.adamId);
      if (!s) {
        const item = await this.catalog.lookup(p.adamId);
        s = { adamId: p.adamId, name: item?.name ?? p.adamId, productType: p.productType, purchased: 0, inUse: 0, available: 0, locations: [] };
        byItem.set(p.adamId, s);
      }
      s.purchased += p.totalCount;
      s.inUse += p.assignedCount;
      s.available += p.totalCount - p.assignedCount;
      s.locations.push({ locationId: p.locationId, total: p.totalCount, inUse: p.assignedCount });
    }
    return [...byItem.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async transfer(actor: Principal, input: { fromLocationId: string; toLocationId: string; adamId: string; quantity: unknown }): Promise<LicenceTransfer> {
    const from = await this.location(actor.orgId, input.fromLocationId);
    const to = await this.location(actor.orgId, input.toLocationId);
    if (from.id === to.id) throw invalid('same_location', 'licences move between two different locations');
    const quantity = this.quantity(input.quantity);
    const pool = await this.store.content.purchasing.pool(from.id, String(input.adamId ?? ''), 'STDQ');
    if (!pool) throw notFound('licences of this item at the source location', 'licences_not_found');
    await this.libraries.ensure(to.id);
    const t: LicenceTransfer = {
      id: this.ids.uuid(), orgId: actor.orgId, fromLocationId: from.id, toLocationId: to.id, adamId: pool.adamId, pricingParam: pool.pricingParam,
      quantity, transferredBy: actor.accountId, transferredAt: this.clock.now(),
    };
    const out = await this.store.content.purchasing.transfer(t, pool.productType, (source) => transferRefusal(source, quantity));
    if (!out.ok) throw conflict('not_enough_available', `only ${pool.totalCount - pool.assignedCount} unassigned licences can be transferred`);
    return t;
  }

  transfers(actor: Principal) {
    return this.store.content.purchasing.listTransfers(actor.orgId);
  }
}
