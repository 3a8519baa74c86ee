// The reseller side of orders, modelled on Apple's reseller enrolment API ("Apple Business
// Manager / Apple School Manager reseller enrolment": bulk-enroll-devices, check-transaction-
// status, show-order-details). Each order of a transaction is checked on its own and changes
// nothing when it fails; accepted orders show up in the organisation 24 hours later.
import { createHash } from 'node:crypto';
import type { Clock, Ids } from '../clock.js';
import { timingSafeEqualStr } from '../crypto/random.js';
import type { Store } from '../store/index.js';
import type { Order, OrderLine, OrderType, OrderWrite } from '../store/orders.js';
import type { Reseller } from '../store/resellers.js';
import { normaliseSerial, productDetails, type ProductCatalogue } from './catalogue.js';
import { DomainError, forbidden, invalid } from './errors.js';
import { ORDER_DELAY_MS, parseDate, PROGRAM_START } from './orders.js';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const ORDER_NUMBER = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_DEVICES_PER_TRANSACTION = 100_000;

export interface OrderOutcome {
  orderNumber: string;
  orderPostStatus: 'COMPLETE' | 'ERROR';
  errorCode?: string;
  errorMessage?: string;
}

/** A refusal of one order: a stable code and a sentence for the reseller. */
class OrderError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class ResellerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly catalogue: ProductCatalogue,
  ) {}

  /** Registers a reseller and returns its credential (shown once; only its hash is kept). */
  async create(resellerId: string, name: string): Promise<{ reseller: Reseller; secret: string }> {
    if (!/^[A-Za-z0-9-]{1,32}$/.test(resellerId)) throw invalid('reseller_id_invalid', 'a reseller ID is 1 to 32 letters, digits or dashes');
    const secret = `rs_${this.ids.hex(32)}`;
    const reseller = { resellerId, name, secretHash: hash(secret), createdAt: this.clock.now() };
    await this.store.resellers.create(reseller);
    return { reseller, secret };
  }

  async authenticate(resellerId: string, secret: string): Promise<Reseller | undefined> {
    const r = await this.store.resellers.get(resellerId);
    return r && timingSafeEqualStr(r.secretHash, hash(secret)) ? r : undefined;
  }

  /**
   * A request may name its reseller (`depResellerId`); a reseller acts only as itself, so a name
   * other than the one that authenticated is refused as forbidden (every endpoint, one answer).
   */
  checkActsAs(reseller: Reseller, depResellerId: unknown): void {
    if (depResellerId !== undefined && depResellerId !== reseller.resellerId) {
      throw forbidden('dep_reseller_id_mismatch', 'depResellerId is not the reseller that authenticated');
    }
  }

  /** bulk-enroll-devices: records the transaction and answers its id. */
  async bulkEnroll(reseller: Reseller, body: Record<string, any>): Promise<{ transactionId: string; outcomes: OrderOutcome[]; status: string }> {
    this.checkActsAs(reseller, body.depResellerId);
    const orders = body.orders;
    if (!Array.isArray(orders) || orders.length === 0 || orders.length > 1000) throw invalid('ORDERS_REQUIRED', 'orders must be a list of 1 to 1000 orders');
    const transactionId = typeof body.transactionId === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(body.transactionId)
      ? `${reseller.resellerId}_${body.transactionId}` : this.ids.uuid();
    if (await this.store.resellers.getTransaction(transactionId)) throw invalid('TRANSACTION_ID_REUSED', 'this transactionId was used before');
    const now = this.clock.now();
    const writes: OrderWrite[] = [];
    const outcomes: OrderOutcome[] = [];
    const claimed = new Set<string>();
    let devices = 0;
    for (const o of orders) {
      const orderNumber = typeof o?.orderNumber === 'string' ? o.orderNumber : '';
      try {
        const w = await this.planOrder(reseller, o ?? {}, transactionId, now, claimed);
        devices += w.kind === 'create' || w.kind === 'override' ? w.lines.length : 0;
        if (devices > MAX_DEVICES_PER_TRANSACTION) throw new OrderError('TOO_MANY_DEVICES', `at most ${MAX_DEVICES_PER_TRANSACTION} devices per transaction`);
        writes.push(w);
        outcomes.push({ orderNumber, orderPostStatus: 'COMPLETE' });
      } catch (err) {
        if (err instanceof OrderError) outcomes.push({ orderNumber, orderPostStatus: 'ERROR', errorCode: err.code, errorMessage: err.message });
        else if (err instanceof DomainError) outcomes.push({ orderNumber, orderPostStatus: 'ERROR', errorCode: err.code.toUpperCase(), errorMessage: err.message });
        else throw err;
      }
    }
    const failed = outcomes.filter((x) => x.orderPostStatus === 'ERROR').length;
    const status = failed === 0 ? 'COMPLETE' : failed === outcomes.length ? 'ERROR' : 'COMPLETE_WITH_ERRORS';
    await this.store.orders.apply(writes, now, { id: transactionId, resellerId: reseller.resellerId, receivedAt: now, status, result: outcomes });
    return { transactionId, outcomes, status };
  }

  /** One order of a transaction, checked against the store and the orders before it. */
  private async planOrder(reseller: Reseller, o: Record<string, any>, transactionId: string, now: Date, claimed: Set<string>): Promise<OrderWrite> {
    const orderNumber = o.orderNumber;
    if (typeof orderNumber !== 'string' || !ORDER_NUMBER.test(orderNumber)) throw new OrderError('ORDER_NUMBER_INVALID', 'orderNumber must be 1 to 64 letters, digits, dots, dashes or underscores');
    const type = o.orderType as OrderType;
    if (!['OR', 'OV', 'RE', 'VD'].includes(type)) throw new OrderError('ORDER_TYPE_INVALID', 'orderType must be OR, OV, RE or VD');
    const orgId = await this.customerOrg(reseller, o.customerId);
    if (claimed.has(`order:${orgId}:${orderNumber}`)) throw new OrderError('ORDER_REPEATED', 'the order appears twice in this transaction');
    claimed.add(`order:${orgId}:${orderNumber}`);
    const existing = await this.store.orders.getByNumber(orgId, orderNumber);
    if (type === 'OR') {
      if (existing) throw new OrderError('ORDER_EXISTS', `order ${orderNumber} was already posted; use OV to change it`);
      const orderDate = this.orderDate(o.orderDate, now);
      const lines = await this.lines(orgId, o, undefined, claimed);
      const order: Order = {
        id: this.ids.uuid(), orgId, orderNumber, orderDate, orderType: 'OR', customerId: String(o.customerId),
        resellerId: reseller.resellerId, poNumber: typeof o.poNumber === 'string' ? o.poNumber.slice(0, 64) : '', transactionId,
        source: 'reseller', receivedAt: now, availableAt: new Date(now.getTime() + ORDER_DELAY_MS),
      };
      return { kind: 'create', order, lines };
    }
    if (!existing || existing.voidedAt || existing.resellerId !== reseller.resellerId) {
      throw new OrderError('ORDER_NOT_FOUND', `order ${orderNumber} was not posted by this reseller for this customer`);
    }
    if (type === 'VD') return { kind: 'void', orderId: existing.id, transactionId };
    if (type === 'OV') return { kind: 'override', orderId: existing.id, lines: await this.lines(orgId, o, existing.id, claimed), transactionId };
    const current = new Set((await this.store.orders.lines(existing.id)).filter((l) => !l.returnedAt).map((l) => l.serialNumber));
    const serials = this.deviceEntries(o).map((d) => normaliseSerial(d.deviceId));
    const stray = serials.find((s) => !current.has(s));
    if (stray) throw new OrderError('DEVICE_NOT_IN_ORDER', `device ${stray} is not in order ${orderNumber}`);
    return { kind: 'return', orderId: existing.id, serials, transactionId };
  }

  /**
   * The organisation an order is for: `customerId` is its organisation ID (then it must list
   * this reseller) or one of its Apple customer numbers. Anything else is unknown.
   */
  private async customerOrg(reseller: Reseller, customerId: unknown): Promise<string> {
    if (typeof customerId !== 'string' || !customerId) throw new OrderError('CUSTOMER_ID_REQUIRED', 'customerId is required');
    const byNumber = await this.store.resellers.orgOfCustomerNumber(customerId);
    if (byNumber) return byNumber;
    const org = await this.store.organisations.getByOrgId(customerId);
    if (org && (await this.store.resellers.listsReseller(org.id, reseller.resellerId))) return org.id;
    // Same answer whether the organisation is missing or has not added this reseller.
    throw new OrderError('CUSTOMER_NOT_FOUND', `no organisation with customerId ${customerId} accepts orders from reseller ${reseller.resellerId}`);
  }

  private orderDate(v: unknown, now: Date): Date {
    let d: Date;
    try {
      d = parseDate(v, 'orderDate');
    } catch {
      throw new OrderError('ORDER_DATE_INVALID', 'orderDate must be an RFC 3339 date-time');
    }
    if (d < PROGRAM_START) throw new OrderError('ORDER_DATE_INVALID', 'orders from before 2011-03-01 are not in the program');
    if (d.getTime() > now.getTime() + 86_400_000) throw new OrderError('ORDER_DATE_INVALID', 'orderDate is in the future');
    return d;
  }

  private deviceEntries(o: Record<string, any>): Array<Record<string, any> & { _delivery: Record<string, any> }> {
    if (!Array.isArray(o.deliveries) || o.deliveries.length === 0) throw new OrderError('DELIVERIES_REQUIRED', 'deliveries must be a non-empty list');
    const out: Array<Record<string, any> & { _delivery: Record<string, any> }> = [];
    for (const d of o.deliveries) {
      if (!d || !Array.isArray(d.devices) || d.devices.length === 0) throw new OrderError('DEVICES_REQUIRED', 'each delivery needs a non-empty devices list');
      for (const dev of d.devices) out.push({ ...(dev ?? {}), _delivery: d });
    }
    return out;
  }

  /** The order's devices: each a valid serial, known product, not another order's or organisation's. */
  private async lines(orgId: string, o: Record<string, any>, orderId: string | undefined, claimed: Set<string>): Promise<OrderLine[]> {
    const lines: OrderLine[] = [];
    for (const d of this.deviceEntries(o)) {
      let serial: string;
      try {
        serial = normaliseSerial(d.deviceId);
      } catch {
        throw new OrderError('DEVICE_ID_INVALID', `deviceId ${JSON.stringify(d.deviceId)} is not a serial number`);
      }
      if (claimed.has(`serial:${serial}`)) throw new OrderError('DEVICE_REPEATED', `device ${serial} appears twice in this transaction`);
      claimed.add(`serial:${serial}`);
      const holder = await this.store.orders.serialHolder(serial);
      const ours = holder && holder.orgId === orgId && orderId && holder.orderNumber === (await this.orderNumberOf(orgId, orderId));
      if (holder && !ours) throw new OrderError('DEVICE_NOT_AVAILABLE', `device ${serial} is already enrolled in another order`);
      const delivery = d._delivery;
      lines.push({
        serialNumber: serial, deliveryNumber: typeof delivery.deliveryNumber === 'string' ? delivery.deliveryNumber.slice(0, 64) : '',
        shipDate: delivery.shipDate ? this.shipDate(delivery.shipDate) : undefined,
        assetTag: typeof d.assetTag === 'string' ? d.assetTag.slice(0, 64) : '', ...productDetails(this.catalogue, d),
      });
    }
    return lines;
  }

  private async orderNumberOf(orgId: string, orderId: string) {
    return (await this.store.orders.get(orgId, orderId))?.orderNumber;
  }

  private shipDate(v: unknown): Date {
    try {
      return parseDate(v, 'shipDate');
    } catch {
      throw new OrderError('SHIP_DATE_INVALID', 'shipDate must be an RFC 3339 date-time');
    }
  }

  /** check-transaction-status: only the reseller that posted it may read it. */
  async transaction(reseller: Reseller, id: unknown) {
    const tx = typeof id === 'string' ? await this.store.resellers.getTransaction(id) : undefined;
    if (!tx || tx.resellerId !== reseller.resellerId) return undefined;
    return tx;
  }

  /** show-order-details: the reseller's own orders, pending ones included. */
  async orderDetails(reseller: Reseller, customerId: unknown, orderNumbers: unknown) {
    if (!Array.isArray(orderNumbers) || orderNumbers.length === 0 || orderNumbers.length > 100) {
      throw invalid('ORDER_NUMBERS_REQUIRED', 'orderNumbers must be a list of 1 to 100 order numbers');
    }
    let orgId: string;
    try {
      orgId = await this.customerOrg(reseller, customerId);
    } catch (err) {
      if (err instanceof OrderError) throw invalid(err.code, err.message);
      throw err;
    }
    const out: Array<{ orderNumber: string; order?: Order; lines?: OrderLine[] }> = [];
    for (const n of orderNumbers) {
      const order = typeof n === 'string' ? await this.store.orders.getByNumber(orgId, n) : undefined;
      if (!order || order.resellerId !== reseller.resellerId) out.push({ orderNumber: String(n) });
      else out.push({ orderNumber: order.orderNumber, order, lines: await this.store.orders.lines(order.id) });
    }
    return out;
  }
}
