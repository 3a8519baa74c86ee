// Orders and their device lines. Reseller orders show up (and their devices arrive) 24 hours
// after receipt: `deliverDue(now)` moves every due order's devices into the organisation,
// assigning each to its family's default server, in one transaction with the op records.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import { DeviceWriter } from './device-writes.js';
import { keysetSql, type KeyValue } from './keyset.js';
import type { DeviceFamily } from './device-types.js';
import type { ResellerTransaction } from './resellers.js';

export type OrderType = 'OR' | 'OV' | 'RE' | 'VD';

export interface Order {
  id: string;
  orgId: string;
  orderNumber: string;
  orderDate: Date;
  /** The last reseller action on it: OR order, OV override, RE return, VD void. */
  orderType: OrderType;
  customerId: string;
  resellerId?: string;
  poNumber: string;
  transactionId?: string;
  source: 'reseller' | 'fixture';
  receivedAt: Date;
  availableAt: Date;
  deliveredAt?: Date;
  voidedAt?: Date;
}

export interface OrderLine {
  serialNumber: string;
  deliveryNumber: string;
  shipDate?: Date;
  assetTag: string;
  family: DeviceFamily;
  model: string;
  description: string;
  color: string;
  os: string;
  returnedAt?: Date;
}

export type OrderWrite =
  | { kind: 'create'; order: Order; lines: OrderLine[] }
  | { kind: 'override'; orderId: string; lines: OrderLine[]; transactionId: string }
  | { kind: 'return'; orderId: string; serials: string[]; transactionId: string }
  | { kind: 'void'; orderId: string; transactionId: string };

/** The sorts of an organisation's order list (the admin API's names → columns, all NOT NULL). */
export const ORDER_SORT_COLUMNS = { order_number: 'order_number', order_date: 'order_date', received_at: 'received_at' } as const;
export type OrderSort = keyof typeof ORDER_SORT_COLUMNS;

export interface OrderSearch {
  /** The order (default: newest order date first) and the page's place in it (src/store/keyset.ts). */
  sort?: { by: OrderSort; descending: boolean; after?: [KeyValue, KeyValue] };
  orderNumber?: string;
  serial?: string;
  from?: Date;
  to?: Date;
  /** Only orders available at this instant (pending reseller orders are not shown yet). */
  visibleAt: Date;
  limit?: number;
}

export interface OrderRepository {
  get(orgId: string, id: string): Promise<Order | undefined>;
  getByNumber(orgId: string, orderNumber: string): Promise<Order | undefined>;
  search(orgId: string, q: OrderSearch): Promise<Array<Order & { deviceCount: number }>>;
  lines(orderId: string): Promise<OrderLine[]>;
  /** Which organisation holds the serial now, or will when a pending order arrives. */
  serialHolder(serial: string): Promise<{ orgId: string; orderNumber?: string } | undefined>;
  /** Applies a reseller transaction's writes (or a fixture's), all or nothing, with the transaction's record. */
  apply(writes: OrderWrite[], at: Date, transaction?: ResellerTransaction): Promise<void>;
  /** Delivers every order available by `now` and not delivered yet. */
  deliverDue(now: Date): Promise<{ orders: number; devices: number }>;
  /** True when some order is due: a cheap check before listing. */
  anyDue(now: Date): Promise<boolean>;
}

type Row = Record<string, any>;
const toOrder = (r: Row): Order => ({
  id: r.id, orgId: r.org_id, orderNumber: r.order_number, orderDate: new Date(r.order_date), orderType: r.order_type,
  customerId: r.customer_id, resellerId: r.reseller_id ?? undefined, poNumber: r.po_number, transactionId: r.transaction_id ?? undefined,
  source: r.source, receivedAt: new Date(r.received_at), availableAt: new Date(r.available_at),
  deliveredAt: fromDbOpt(r.delivered_at), voidedAt: fromDbOpt(r.voided_at),
});
const toLine = (r: Row): OrderLine => ({
  serialNumber: r.serial_number, deliveryNumber: r.delivery_number, shipDate: fromDbOpt(r.ship_date), assetTag: r.asset_tag,
  family: r.family, model: r.model, description: r.description, color: r.color, os: r.os, returnedAt: fromDbOpt(r.returned_at),
});

export class SqliteOrderRepository implements OrderRepository {
  private readonly s;
  private readonly w: DeviceWriter;
  /** One prepared search per sort and page position (at most 3 sorts × 2 directions × 2). */
  private readonly searches = new Map<string, Statement<unknown[]>>();
  constructor(private readonly db: Db) {
    this.w = new DeviceWriter(db);
    this.s = {
      get: db.prepare('SELECT * FROM orders WHERE org_id = ? AND id = ?'),
      getById: db.prepare('SELECT * FROM orders WHERE id = ?'),
      byNumber: db.prepare('SELECT * FROM orders WHERE org_id = ? AND order_number = ?'),
      lines: db.prepare('SELECT * FROM order_devices WHERE order_id = ? ORDER BY delivery_number, serial_number'),
      activeLines: db.prepare('SELECT * FROM order_devices WHERE order_id = ? AND returned_at IS NULL ORDER BY serial_number'),
      insertOrder: db.prepare(`INSERT INTO orders (id, org_id, order_number, order_date, order_type, customer_id, reseller_id, po_number,
        transaction_id, source, received_at, available_at) VALUES (@id, @orgId, @orderNumber, @orderDate, @orderType, @customerId,
        @resellerId, @poNumber, @transactionId, @source, @receivedAt, @availableAt)`),
      insertLine: db.prepare(`INSERT INTO order_devices (order_id, serial_number, delivery_number, ship_date, asset_tag, family, model,
        description, color, os) VALUES (@orderId, @serialNumber, @deliveryNumber, @shipDate, @assetTag, @family, @model, @description, @color, @os)`),
      deleteLines: db.prepare('DELETE FROM order_devices WHERE order_id = ?'),
      returnLine: db.prepare('UPDATE order_devices SET returned_at = ? WHERE order_id = ? AND serial_number = ? AND returned_at IS NULL'),
      touch: db.prepare('UPDATE orders SET order_type = ?, transaction_id = ? WHERE id = ?'),
      void: db.prepare("UPDATE orders SET voided_at = ?, order_type = 'VD', transaction_id = ? WHERE id = ?"),
      due: db.prepare('SELECT * FROM orders WHERE delivered_at IS NULL AND voided_at IS NULL AND available_at <= ? ORDER BY available_at, id'),
      anyDue: db.prepare('SELECT 1 FROM orders WHERE delivered_at IS NULL AND voided_at IS NULL AND available_at <= ? LIMIT 1'),
      delivered: db.prepare('UPDATE orders SET delivered_at = ? WHERE id = ?'),
      insertTx: db.prepare(`INSERT INTO reseller_transactions (id, reseller_id, received_at, status, result)
        VALUES (@id, @resellerId, @receivedAt, @status, @result)`),
      deviceOrg: db.prepare('SELECT org_id, order_number FROM devices WHERE serial_number = ? AND released_at IS NULL'),
      pendingLine: db.prepare(`SELECT o.org_id, o.order_number FROM order_devices l JOIN orders o ON o.id = l.order_id
        WHERE l.serial_number = ? AND l.returned_at IS NULL AND o.delivered_at IS NULL AND o.voided_at IS NULL LIMIT 1`),
    };
  }

  async get(orgId: string, id: string) {
    const r = this.s.get.get(orgId, id) as Row | undefined;
    return r && toOrder(r);
  }
  async getByNumber(orgId: string, orderNumber: string) {
    const r = this.s.byNumber.get(orgId, orderNumber) as Row | undefined;
    return r && toOrder(r);
  }
  async search(orgId: string, q: OrderSearch) {
    const ks = keysetSql({
      column: `o.${ORDER_SORT_COLUMNS[q.sort?.by ?? 'order_date']}`, descending: q.sort ? q.sort.descending : true, tie: 'o.order_number',
      ...(q.sort?.after ? { after: q.sort.after } : {}),
    });
    const sql = `SELECT o.*, (SELECT count(*) FROM order_devices l WHERE l.order_id = o.id AND l.returned_at IS NULL) AS n
        FROM orders o WHERE o.org_id = ? AND o.available_at <= ? AND o.voided_at IS NULL
        AND (? IS NULL OR o.order_number = ?)
        AND (? IS NULL OR EXISTS (SELECT 1 FROM order_devices l WHERE l.order_id = o.id AND l.serial_number = ?))
        AND (? IS NULL OR o.order_date >= ?) AND (? IS NULL OR o.order_date <= ?)
        ${ks.where ? `AND ${ks.where}` : ''} ORDER BY ${ks.orderBy} LIMIT ?`;
    let st = this.searches.get(sql);
    if (!st) this.searches.set(sql, (st = this.db.prepare<unknown[]>(sql)));
    const from = q.from ? toDb(q.from) : null; const to = q.to ? toDb(q.to) : null;
    const rows = st.all(orgId, toDb(q.visibleAt), q.orderNumber ?? null, q.orderNumber ?? null, q.serial ?? null, q.serial ?? null,
      from, from, to, to, ...ks.params, Math.max(1, Math.min(q.limit ?? 500, 5000))) as Row[];
    return rows.map((r) => ({ ...toOrder(r), deviceCount: r.n as number }));
  }
  async lines(orderId: string) {
    return (this.s.lines.all(orderId) as Row[]).map(toLine);
  }
  async serialHolder(serial: string) {
    const r = (this.s.deviceOrg.get(serial) ?? this.s.pendingLine.get(serial)) as Row | undefined;
    return r && { orgId: r.org_id as string, orderNumber: r.order_number as string };
  }

  private insertLines(orderId: string, lines: OrderLine[]) {
    for (const l of lines) this.s.insertLine.run({ orderId, ...l, shipDate: l.shipDate ? toDb(l.shipDate) : null, returnedAt: undefined });
  }

  private arrive(o: Order, l: OrderLine, at: Date) {
    const cur = this.w.current(l.serialNumber);
    // A released device comes back only by manual addition; one already present stays as it is.
    if (cur) return false;
    this.w.arrive({
      serialNumber: l.serialNumber, orgId: o.orgId, family: l.family, model: l.model, description: l.description, color: l.color,
      os: l.os, assetTag: l.assetTag, orderNumber: o.orderNumber, orderDate: o.orderDate, source: 'order', addedAt: at,
      updatedAt: at, supervised: false, profileStatus: 'empty',
    }, at);
    return true;
  }

  /** Removes a delivered order's device from the organisation if it is still that order's. */
  private leave(o: Order, serial: string, at: Date) {
    const r = this.s.deviceOrg.get(serial) as Row | undefined;
    if (r && r.org_id === o.orgId && r.order_number === o.orderNumber) this.w.remove(serial, at);
  }

  /** Inserts an order and its lines in the caller's transaction; with `deliveredAt`, already delivered (its devices are the caller's to write). */
  insertOrderSync(o: Order, lines: OrderLine[]) {
    this.s.insertOrder.run({ ...o, resellerId: o.resellerId ?? null, transactionId: o.transactionId ?? null,
      orderDate: toDb(o.orderDate), receivedAt: toDb(o.receivedAt), availableAt: toDb(o.availableAt) });
    this.insertLines(o.id, lines);
    if (o.deliveredAt) this.s.delivered.run(toDb(o.deliveredAt), o.id);
  }

  async apply(writes: OrderWrite[], at: Date, transaction?: ResellerTransaction) {
    this.db.transaction(() => {
      for (const w of writes) {
        if (w.kind === 'create') {
          this.insertOrderSync(w.order, w.lines);
          continue;
        }
        const o = toOrder(this.s.getById.get(w.orderId) as Row);
        if (w.kind === 'override') {
          const before = new Map((this.s.activeLines.all(o.id) as Row[]).map((r) => [r.serial_number as string, toLine(r)]));
          this.s.deleteLines.run(o.id);
          this.insertLines(o.id, w.lines);
          this.s.touch.run('OV', w.transactionId, o.id);
          if (!o.deliveredAt) continue;
          const after = new Set(w.lines.map((l) => l.serialNumber));
          for (const serial of before.keys()) if (!after.has(serial)) this.leave(o, serial, at);
          for (const l of w.lines) {
            const old = before.get(l.serialNumber);
            if (!old) this.arrive(o, l, at);
            else if (old.assetTag !== l.assetTag) this.w.setAssetTag(l.serialNumber, l.assetTag, at);
          }
        } else if (w.kind === 'return') {
          for (const serial of w.serials) {
            this.s.returnLine.run(toDb(at), o.id, serial);
            if (o.deliveredAt) this.leave(o, serial, at);
          }
          this.s.touch.run('RE', w.transactionId, o.id);
        } else {
          this.s.void.run(toDb(at), w.transactionId, o.id);
          if (o.deliveredAt) for (const r of this.s.activeLines.all(o.id) as Row[]) this.leave(o, r.serial_number, at);
        }
      }
      if (transaction) {
        this.s.insertTx.run({ ...transaction, receivedAt: toDb(transaction.receivedAt), result: JSON.stringify(transaction.result) });
      }
    }).immediate();
  }

  async anyDue(now: Date) {
    return this.s.anyDue.get(toDb(now)) !== undefined;
  }

  async deliverDue(now: Date) {
    return this.db.transaction(() => {
      let orders = 0;
      let devices = 0;
      for (const r of this.s.due.all(toDb(now)) as Row[]) {
        const o = toOrder(r);
        for (const l of this.s.activeLines.all(o.id) as Row[]) if (this.arrive(o, toLine(l), now)) devices++;
        this.s.delivered.run(toDb(now), o.id);
        orders++;
      }
      return { orders, devices };
    }).immediate();
  }
}
