// Devices of an organisation: listing and search, assignment to MDM servers (by serials, by
// order numbers, or by an uploaded CSV of serials), release, manual addition as Apple
// Configurator does, the CSV download, and the assignment check (per device and per server).
import { DAY_MS, type Clock } from '../clock.js';
import { DEVICE_FAMILIES, type Device, type DeviceFamily } from '../store/device-types.js';
import type { DeviceFilter } from '../store/devices.js';
import type { Store } from '../store/index.js';
import { isFamily, normaliseSerial, productDetails, type ProductCatalogue } from './catalogue.js';
import { parseSerialCsv, toCsv } from './device-csv.js';
import { conflict, DomainError, invalid, notFound } from './errors.js';
import type { OrderService } from './orders.js';
import type { Principal } from './principal.js';
import type { ServerService } from './mdm-servers.js';
import { storedText } from './text.js';

/** A device's DEP profile status (devices.profile_status). */
const PROFILE_STATUSES = ['empty', 'assigned', 'pushed', 'removed'] as const;

/** Apple Configurator: a manually added device can be released from the device for 30 days. */
export const PROVISIONAL_DAYS = 30;
/** Serials per assignment call: enough for a whole fleet in one request. */
export const MAX_SERIALS = 100_000;

export interface DeviceSelection {
  serials?: unknown;
  orderNumbers?: unknown;
  /** CSV text: one serial per line, optional header. */
  csv?: string;
}

export class DeviceService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly orders: OrderService,
    private readonly servers: ServerService,
    private readonly catalogue: ProductCatalogue,
  ) {}

  async list(orgId: string, q: {
    family?: unknown; orderNumber?: unknown; mdmServer?: unknown; serial?: unknown; model?: unknown; profileStatus?: unknown; after?: unknown; limit?: unknown;
    sort?: DeviceFilter['sort'];
  }) {
    await this.orders.deliverDue();
    const f: DeviceFilter = {};
    if (q.family !== undefined) {
      if (!isFamily(q.family)) throw invalid('family_invalid', `family must be one of ${DEVICE_FAMILIES.join(', ')}`);
      f.family = q.family;
    }
    if (q.orderNumber !== undefined) f.orderNumbers = String(q.orderNumber).split(',').filter(Boolean);
    if (q.mdmServer !== undefined) {
      const m = String(q.mdmServer);
      f.mdmServer = m === 'none' ? 'none' : (await this.servers.resolve(orgId, m)).id;
    }
    if (q.serial !== undefined) f.serialPrefix = String(q.serial).trim().toUpperCase().slice(0, 20);
    if (q.model !== undefined && q.model !== '') f.model = String(q.model);
    if (q.profileStatus !== undefined) {
      if (!PROFILE_STATUSES.includes(q.profileStatus as never)) throw invalid('profile_status_invalid', `profile_status must be one of ${PROFILE_STATUSES.join(', ')}`);
      f.profileStatus = String(q.profileStatus);
    }
    if (q.sort) f.sort = q.sort;
    if (q.after !== undefined) f.afterSerial = String(q.after);
    const limit = q.limit === undefined ? 1000 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw invalid('limit_invalid', 'limit must be 1..10000');
    const devices = await this.store.devices.list(orgId, { ...f, limit: limit + 1 });
    const more = devices.length > limit;
    return { devices: devices.slice(0, limit), next: more ? devices[limit - 1]!.serialNumber : undefined };
  }

  async get(orgId: string, serial: string): Promise<Device> {
    await this.orders.deliverDue();
    const d = await this.store.devices.get(orgId, serial.trim().toUpperCase());
    if (!d) throw notFound('device', 'device_not_found');
    return d;
  }

  /** The serials a selection names; order numbers must be orders the organisation can see. */
  async select(orgId: string, sel: DeviceSelection): Promise<string[]> {
    const given = [sel.serials, sel.orderNumbers, sel.csv].filter((x) => x !== undefined).length;
    if (given !== 1) throw invalid('selection_invalid', 'give exactly one of serial_numbers, order_numbers or a CSV of serial numbers');
    await this.orders.deliverDue();
    if (sel.csv !== undefined) return parseSerialCsv(sel.csv, MAX_SERIALS);
    if (sel.serials !== undefined) {
      if (!Array.isArray(sel.serials) || sel.serials.length === 0 || sel.serials.length > MAX_SERIALS) {
        throw invalid('serial_numbers_invalid', `serial_numbers must be a list of 1 to ${MAX_SERIALS} serial numbers`);
      }
      return [...new Set(sel.serials.map(normaliseSerial))];
    }
    const numbers = sel.orderNumbers;
    if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > 1000 || !numbers.every((n) => typeof n === 'string' && n)) {
      throw invalid('order_numbers_invalid', 'order_numbers must be a list of 1 to 1000 order numbers');
    }
    for (const n of new Set(numbers as string[])) await this.orders.get(orgId, n);
    return this.store.devices.serialsOfOrders(orgId, numbers as string[]);
  }

  /** Another organisation's serial gets the same answer as one that does not exist. */
  private unknown(serials: string[]) {
    return new DomainError('not-found', 'device_not_found',
      `${serials.length} serial number(s) are not devices of this organisation; nothing was changed`, { serial_numbers: serials.slice(0, 50) });
  }

  async assign(actor: Principal, serverId: string, sel: DeviceSelection) {
    const server = await this.servers.getForOrg(actor.orgId, serverId);
    const serials = await this.select(actor.orgId, sel);
    const r = await this.store.devices.assign(actor.orgId, server.id, serials, this.clock.now(), actor.email);
    if (r.unknown.length) throw this.unknown(r.unknown);
    return { server, ...r };
  }

  async unassign(actor: Principal, serverId: string, sel: DeviceSelection) {
    const server = await this.servers.getForOrg(actor.orgId, serverId);
    const serials = await this.select(actor.orgId, sel);
    const r = await this.store.devices.unassign(actor.orgId, server.id, serials, this.clock.now());
    if (r.unknown.length) throw this.unknown(r.unknown);
    return { server, ...r };
  }

  /** Releases permanently: out of every list; only manual addition brings it back. */
  async release(actor: Principal, sel: DeviceSelection): Promise<string[]> {
    const serials = await this.select(actor.orgId, sel);
    const r = await this.store.devices.release(actor.orgId, serials, this.clock.now());
    if (r.unknown.length) throw this.unknown(r.unknown);
    return serials;
  }

  /** Apple Configurator's addition: supervised, MDM-enrolled, provisional for 30 days. */
  async addManual(actor: Principal, input: Record<string, unknown>): Promise<Device> {
    const serial = normaliseSerial(input.serial_number);
    const details = productDetails(this.catalogue, {
      productCode: input.product_code, family: input.family, model: input.model, description: input.description, color: input.color, os: input.os,
    });
    const assetTag = input.asset_tag === undefined ? '' : String(input.asset_tag).slice(0, 64);
    const now = this.clock.now();
    const device: Device = {
      serialNumber: serial, orgId: actor.orgId, ...details, assetTag, orderNumber: '', source: 'manual', addedAt: now, updatedAt: now,
      supervised: true, provisionalUntil: new Date(now.getTime() + PROVISIONAL_DAYS * DAY_MS), profileStatus: 'empty',
    };
    const defaults = await this.servers.defaults(actor.orgId);
    const server = defaults[details.family === 'iPod' ? 'iPhone' : details.family];
    // Another organisation's device answers as a conflict without saying whose it is.
    const outcome = await this.store.devices.addManual(device, server, now);
    if (outcome === 'exists') throw conflict('device_exists', 'this serial number is already enrolled in Apple Business Manager');
    return this.get(actor.orgId, serial);
  }

  async setAssetTag(actor: Principal, serial: string, assetTag: unknown): Promise<Device> {
    const tag = storedText('asset_tag', assetTag, { max: 64, code: 'asset_tag_invalid' });
    if (!(await this.store.devices.setAssetTag(actor.orgId, serial.toUpperCase(), tag, this.clock.now()))) throw notFound('device', 'device_not_found');
    return this.get(actor.orgId, serial);
  }

  /** CSV of the devices of the given orders, or of every available device ('all'). */
  async exportCsv(orgId: string, orderNumbers: string[] | 'all'): Promise<string> {
    await this.orders.deliverDue();
    if (orderNumbers !== 'all') for (const n of orderNumbers) await this.orders.get(orgId, n);
    const devices = await this.store.devices.list(orgId, { ...(orderNumbers === 'all' ? {} : { orderNumbers }), limit: 100_000 });
    const names = new Map((await this.servers.list(orgId)).map((s) => [s.id, s.name]));
    return toCsv(
      ['Serial Number', 'Device Family', 'Model', 'Order Number', 'MDM Server', 'Date Assigned'],
      devices.map((d) => [d.serialNumber, d.family, d.model, d.orderNumber, d.mdmServerId ? names.get(d.mdmServerId) ?? '' : '', d.assignedAt?.toISOString() ?? '']),
    );
  }

  /** Totals per server and family, for "verify assignments". */
  async serverTotals(orgId: string) {
    const servers = await this.servers.list(orgId);
    const totals = await this.store.devices.assignmentTotals(orgId);
    return servers.map((s) => {
      const byFamily = Object.fromEntries(DEVICE_FAMILIES.map((f) => [f, 0])) as Record<DeviceFamily, number>;
      for (const t of totals) if (t.serverId === s.id) byFamily[t.family] = t.count;
      return { server: s, byFamily, total: Object.values(byFamily).reduce((a, b) => a + b, 0) };
    });
  }
}
