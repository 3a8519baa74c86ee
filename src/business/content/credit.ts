// Paying for content: a location's VPP credit (a balance in the location's currency, added by
// redeeming credit codes) and company cards, recorded by label and last four digits only.
import { createHash } from 'node:crypto';
import type { Clock, Ids } from '../../clock.js';
import type { CompanyCard } from '../../store/content-purchasing.js';
import type { Store } from '../../store/index.js';
import type { Location } from '../../store/locations.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import { toMinor } from './money.js';
import { redeemRefusal } from './purchase-rules.js';

/** Codes are compared without case, spaces or dashes: "vppusd-demo 0100" = "VPPUSD-DEMO-0100". */
export const normaliseCode = (code: string) => String(code ?? '').toUpperCase().replace(/[\s-]/g, '');
const hashCode = (code: string) => createHash('sha256').update(normaliseCode(code)).digest('hex');

export interface CreditCodeFixture {
  codes: Array<{ code: string; currency: string; amount: string }>;
}

export class CreditService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids) {}

  private async location(orgId: string, id: string): Promise<Location> {
    const l = await this.store.locations.get(orgId, id);
    if (!l) throw notFound('location');
    return l;
  }

  async balance(actor: Principal, locationId: string) {
    const l = await this.location(actor.orgId, locationId);
    const b = await this.store.content.purchasing.balance(l.id);
    return { location: l, currency: b?.currency ?? l.currency, balanceMinor: b?.balanceMinor ?? 0 };
  }

  async redeem(actor: Principal, locationId: string, code: string) {
    const l = await this.location(actor.orgId, locationId);
    if (!normaliseCode(code)) throw invalid('code_required', 'a credit code is required');
    const out = await this.store.content.purchasing.redeem(hashCode(code), l.id, l.currency, actor.accountId, this.clock.now(),
      (c, credit) => redeemRefusal(c, credit, l.currency));
    if (!out.ok) {
      if (out.reason === 'unknown_code') throw invalid('credit_code_invalid', 'this credit code is not valid');
      if (out.reason === 'already_redeemed') throw conflict('credit_code_redeemed', 'this credit code was already redeemed');
      throw invalid('credit_code_currency_mismatch', `this credit code is not in ${l.currency}, the currency of this location`);
    }
    return { location: l, currency: l.currency, balanceMinor: out.balanceMinor };
  }

  /** Issues new credit codes (Apple sells them; Orchard mints them for the demo and tests). Codes are returned once. */
  async mintCodes(currency: string, amount: string, count: number): Promise<string[]> {
    const cur = String(currency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(cur)) throw invalid('currency_invalid', 'currency must be an ISO 4217 code');
    const minor = toMinor(amount, cur);
    if (minor <= 0) throw invalid('amount_invalid', 'a credit code is worth more than zero');
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw invalid('count_invalid', 'count must be 1..1000');
    const codes = Array.from({ length: count }, () => `VPP${cur}-${this.ids.hex(4).toUpperCase()}-${this.ids.hex(4).toUpperCase()}`);
    await this.store.content.purchasing.importCodes(codes.map((c) => ({ codeHash: hashCode(c), currency: cur, amountMinor: minor })), this.clock.now());
    return codes;
  }

  /** Loads the demo codes of fixtures/vpp-credit-codes.json (hashed); codes already known are kept as they are. */
  async importCodes(fixture: CreditCodeFixture): Promise<number> {
    const rows = fixture.codes.map((c) => ({ codeHash: hashCode(c.code), currency: c.currency, amountMinor: toMinor(c.amount, c.currency) }));
    return this.store.content.purchasing.importCodes(rows, this.clock.now());
  }

  async addCard(actor: Principal, input: { label: string; last4: string }): Promise<CompanyCard> {
    const label = String(input.label ?? '').trim();
    if (!label || label.length > 100) throw invalid('label_invalid', 'a card needs a label of at most 100 characters');
    // Only the last four digits are ever accepted: Orchard never sees or keeps a card number.
    if (!/^\d{4}$/.test(String(input.last4 ?? ''))) throw invalid('last4_invalid', 'last4 must be exactly the last four digits of the card');
    const card: CompanyCard = { id: this.ids.uuid(), orgId: actor.orgId, label, last4: input.last4, createdAt: this.clock.now(), createdBy: actor.accountId };
    await this.store.content.purchasing.addCard(card);
    return card;
  }

  listCards(actor: Principal) {
    return this.store.content.purchasing.listCards(actor.orgId);
  }

  async removeCard(actor: Principal, id: string) {
    if (!(await this.store.content.purchasing.removeCard(actor.orgId, id, this.clock.now()))) throw notFound('card');
  }
}
