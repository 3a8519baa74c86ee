// Orders as the organisation sees them (search by number, serial or date, back to the start of
// the Device Enrollment Program on 1 March 2011), purchase settings, the 24-hour arrival of
// reseller orders, and the sample orders the demo organisation starts with.
import { DAY_MS, type Clock, type Ids } from '../clock.js';
import type { Store } from '../store/index.js';
import type { Order, OrderLine, OrderSearch } from '../store/orders.js';
import type { PurchaseId } from '../store/resellers.js';
import { productDetails, normaliseSerial, type ProductCatalogue } from './catalogue.js';
import { conflict, invalid, notFound } from './errors.js';
import type { Principal } from './principal.js';

/** Orders earlier than this are not in the program (Apple: devices purchased from 1 March 2011). */
export const PROGRAM_START = new Date('2011-03-01T00:00:00Z');
/** A reseller order shows up this long after Apple receives it. */
export const ORDER_DELAY_MS = DAY_MS;

export interface PurchaseSettings {
  organisationId: string;
  customerNumbers: string[];
  resellerIds: string[];
}

export interface FixtureOrder {
  order_number: string;
  order_date: string;
  customer_id?: string;
  po_number?: string;
  devices: Array<Record<string, unknown> & { serial_number: string; asset_tag?: string }>;
}

const PURCHASE_ID = /^[A-Za-z0-9-]{1,32}$/;

/** A date given as YYYY-MM-DD or RFC 3339; `end` makes a bare date cover its whole day. */
export function parseDate(v: unknown, name: string, end = false): Date {
  const s = typeof v === 'string' ? v.trim() : '';
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const d = new Date(bare ? `${s}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : s);
  if (!s || (!bare && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) || Number.isNaN(d.getTime())) {
    throw invalid(`${name}_invalid`, `${name} must be a date (YYYY-MM-DD or RFC 3339)`);
  }
  return d;
}

export class OrderService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly catalogue: ProductCatalogue,
  ) {}

  /** Brings in every reseller order whose 24 hours have passed (cheap when none is due). */
  async deliverDue(): Promise<{ orders: number; devices: number }> {
    const now = this.clock.now();
    if (!(await this.store.orders.anyDue(now))) return { orders: 0, devices: 0 };
    return this.store.orders.deliverDue(now);
  }

  async search(orgId: string, q: { orderNumber?: unknown; serial?: unknown; from?: unknown; to?: unknown; limit?: unknown; sort?: OrderSearch['sort'] }) {
    await this.deliverDue();
    const from = q.from !== undefined ? parseDate(q.from, 'from') : undefined;
    const to = q.to !== undefined ? parseDate(q.to, 'to', true) : undefined;
    if (from && from < PROGRAM_START) throw invalid('date_out_of_range', 'orders can be searched from 2011-03-01 on');
    if (from && to && to < from) throw invalid('date_range_invalid', '`to` is before `from`');
    const limit = q.limit === undefined ? 500 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw invalid('limit_invalid', 'limit must be 1..5000');
    return this.store.orders.search(orgId, {
      ...(q.sort ? { sort: q.sort } : {}),
      orderNumber: typeof q.orderNumber === 'string' && q.orderNumber ? q.orderNumber : undefined,
      serial: q.serial !== undefined && q.serial !== '' ? normaliseSerial(q.serial) : undefined,
      from, to, visibleAt: this.clock.now(), limit,
    });
  }

  /** An order the organisation can see (arrived, not voided), with its devices. */
  async get(orgId: string, orderNumber: string): Promise<{ order: Order; lines: OrderLine[] }> {
    await this.deliverDue();
    const order = await this.store.orders.getByNumber(orgId, orderNumber);
    if (!order || order.voidedAt || order.availableAt > this.clock.now()) throw notFound('order', 'order_not_found');
    return { order, lines: (await this.store.orders.lines(order.id)).filter((l) => !l.returnedAt) };
  }

  async purchaseSettings(orgId: string): Promise<PurchaseSettings> {
    const org = await this.store.organisations.get(orgId);
    if (!org) throw notFound('organisation');
    const ids: PurchaseId[] = await this.store.resellers.purchaseIds(orgId);
    return {
      organisationId: org.orgId,
      customerNumbers: ids.filter((i) => i.kind === 'customer_number').map((i) => i.value),
      resellerIds: ids.filter((i) => i.kind === 'reseller_id').map((i) => i.value),
    };
  }

  private checkIds(v: unknown, name: string): string[] {
    if (!Array.isArray(v) || v.length > 100 || !v.every((x) => typeof x === 'string' && PURCHASE_ID.test(x.trim()))) {
      throw invalid(`${name}_invalid`, `${name} must be a list of at most 100 IDs (letters, digits, dashes)`);
    }
    return [...new Set(v.map((x: string) => x.trim()))];
  }

  async setPurchaseSettings(actor: Principal, input: { customerNumbers?: unknown; resellerIds?: unknown }): Promise<PurchaseSettings> {
    const customers = input.customerNumbers !== undefined ? this.checkIds(input.customerNumbers, 'customer_numbers') : undefined;
    const resellers = input.resellerIds !== undefined ? this.checkIds(input.resellerIds, 'reseller_ids') : undefined;
    if (customers) {
      for (const c of customers) {
        const holder = await this.store.resellers.orgOfCustomerNumber(c);
        if (holder && holder !== actor.orgId) throw conflict('customer_number_taken', `customer number ${c} belongs to another organisation`);
      }
    }
    // Both lists in one transaction: a PATCH is applied whole or not at all.
    await this.store.resellers.replacePurchaseIds(actor.orgId, { customer_number: customers, reseller_id: resellers }, this.clock.now());
    return this.purchaseSettings(actor.orgId);
  }

  /** The demo organisation's sample orders (fixtures/demo-orders.json), delivered at once. */
  async loadFixtureOrders(orgId: string, orders: FixtureOrder[]): Promise<number> {
    const now = this.clock.now();
    const writes = orders.map((o) => ({
      kind: 'create' as const,
      order: {
        id: this.ids.uuid(), orgId, orderNumber: o.order_number, orderDate: parseDate(o.order_date, 'order_date'), orderType: 'OR' as const,
        customerId: o.customer_id ?? '', poNumber: o.po_number ?? '', source: 'fixture' as const, receivedAt: now, availableAt: now,
      },
      lines: o.devices.map((d) => ({
        serialNumber: normaliseSerial(d.serial_number), deliveryNumber: 'D1', assetTag: d.asset_tag ?? '', ...productDetails(this.catalogue, d),
      })),
    }));
    await this.store.orders.apply(writes, now);
    return (await this.store.orders.deliverDue(now)).devices;
  }
}
