// The plan of an upgrade import (issue 16): the export (export-format.ts) read against the
// organisation, every row it would write composed by the service that owns its kind (servers and
// their tokens, content tokens, accounts, invitations), and every refusal with its pointer into
// the file. Reads only: the import writes the plan in one transaction (service.ts).
import type { Clock, Ids } from '../../clock.js';
import type { Account } from '../../store/accounts.js';
import type { Device, DefaultFamily } from '../../store/device-types.js';
import type { Store } from '../../store/index.js';
import type { Location } from '../../store/locations.js';
import type { Order, OrderLine } from '../../store/orders.js';
import type { UpgradeImportCounts, UpgradeImportWrites } from '../../store/upgrade-imports.js';
import type { AccountService } from '../accounts.js';
import type { CatalogService } from '../content/catalog.js';
import type { ContentTokenService } from '../content/tokens.js';
import { DomainError } from '../errors.js';
import type { InvitationService } from '../invitations.js';
import type { ServerService } from '../mdm-servers.js';
import type { Principal } from '../principal.js';
import { checkExport, exportDigest, type UpgradeExport } from './export-format.js';

/** Volume purchasers become Content Managers (Apple: upgrading to Apple Business Manager) of their location. */
export const PURCHASER_ROLE = 'ContentManager' as const;

/** One reason the file cannot be imported, at its place in the file. */
export interface UpgradeRefusal {
  pointer: string;
  code: string;
  message: string;
  /** invalid: the file must change; conflict: the organisation (or another) already holds it. */
  kind: 'invalid' | 'conflict';
}

export interface UpgradePlan {
  digest: string;
  counts: UpgradeImportCounts;
  refusals: UpgradeRefusal[];
}

export interface Planned extends UpgradePlan {
  doc: UpgradeExport;
  writes: UpgradeImportWrites;
  /** The import of the same file already made, if any. */
  alreadyImported?: string;
}

export interface UpgradeImportDeps {
  accounts: AccountService;
  invitations: InvitationService;
  servers: ServerService;
  catalog: CatalogService;
  contentTokens: ContentTokenService;
}

const emptyCounts = (): UpgradeImportCounts => ({
  servers: 0, devices: 0, orders: 0, purchases: 0, licences: 0, content_tokens: 0, invitations: 0, existing_accounts: 0,
});

export class UpgradePlanner {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids, private readonly d: UpgradeImportDeps) {}

  /**
   * The file checked against the format, then against the organisation and every other one: the
   * rows it would write (with `compose`, the invitations' mails too) and every refusal, at its
   * place in the file (`root` prefixes the pointers). Nothing is written.
   */
  async build(actor: Principal, input: unknown, root: string, compose: boolean): Promise<Planned> {
    const doc = checkExport(input, root);
    const digest = exportDigest(doc);
    const orgId = actor.orgId;
    const now = this.clock.now();
    const counts = emptyCounts();
    const refusals: UpgradeRefusal[] = [];
    const refuse = (pointer: string, code: string, message: string, kind: UpgradeRefusal['kind'] = 'invalid') => { refusals.push({ pointer: `${root}${pointer}`, code, message, kind }); };
    /** A refusal a service raised (its own code and message), placed at `pointer`. */
    const refuseError = (pointer: string, err: unknown) => {
      if (!(err instanceof DomainError)) throw err;
      refuse(pointer, err.code, err.message, err.kind === 'conflict' ? 'conflict' : 'invalid');
    };
    const writes: UpgradeImportWrites = {
      record: { id: this.ids.uuid(), orgId, importedBy: actor.accountId, importedByEmail: actor.email, importedAt: now, sourceDigest: digest, sourceName: doc.account_name, counts },
      servers: [], defaults: [], orders: [], devices: [], purchases: [], contentTokens: [], invitations: [],
    };

    const done = await this.store.upgradeImports.findByDigest(orgId, digest);
    if (done) refuse('', 'upgrade_already_imported', `this file was already imported into the organisation (import ${done.id}, ${done.importedAt.toISOString()})`, 'conflict');

    // ---- Device Enrollment Program: servers, then devices and their orders ----
    const serverIds = new Map<string, string>();
    const defaults = new Map<DefaultFamily, number>();
    const dep = doc.device_enrollment;
    for (const [i, s] of dep.servers.entries()) {
      const at = `/device_enrollment/servers/${i}`;
      if (serverIds.has(s.name)) { refuse(`${at}/name`, 'server_name_duplicate', `the file names two servers ${s.name}`); continue; }
      if (await this.store.mdmServers.getByName(orgId, s.name)) refuse(`${at}/name`, 'server_name_taken', `the organisation has an MDM server named ${s.name}: rename one of them`, 'conflict');
      try {
        const { server, token } = this.d.servers.compose(orgId, actor.email, { name: s.name, publicKey: s.public_key });
        serverIds.set(s.name, server.id);
        writes.servers.push({ server, token });
      } catch (err) {
        serverIds.set(s.name, '');
        refuseError(`${at}/public_key`, err);
      }
      for (const family of s.default_for ?? []) {
        if (defaults.has(family)) refuse(`${at}/default_for`, 'default_family_duplicate', `two servers of the file are the default for ${family}`);
        defaults.set(family, i);
        const id = serverIds.get(s.name);
        if (id) writes.defaults.push({ family, serverId: id });
      }
    }
    counts.servers = writes.servers.length;

    const serials = new Set<string>();
    const orders = new Map<string, { order: Order; lines: OrderLine[]; date: string }>();
    for (const [i, dv] of dep.devices.entries()) {
      const at = `/device_enrollment/devices/${i}`;
      if (serials.has(dv.serial_number)) { refuse(`${at}/serial_number`, 'serial_duplicate', `the file lists ${dv.serial_number} twice`); continue; }
      serials.add(dv.serial_number);
      const holder = await this.store.orders.serialHolder(dv.serial_number);
      if (holder && holder.orgId !== orgId) refuse(`${at}/serial_number`, 'serial_taken', `${dv.serial_number} belongs to another organisation: it must be released there first`, 'conflict');
      else if (holder) refuse(`${at}/serial_number`, 'serial_exists', `${dv.serial_number} is already a device of the organisation: remove it from the file`, 'conflict');
      let serverId: string | undefined;
      if (dv.mdm_server) {
        serverId = serverIds.get(dv.mdm_server) ?? (await this.store.mdmServers.getByName(orgId, dv.mdm_server))?.id;
        if (serverId === undefined) refuse(`${at}/mdm_server`, 'server_unknown', `no server named ${dv.mdm_server} in the file or the organisation`);
      }
      let o = orders.get(dv.order_number);
      if (!o) {
        if (await this.store.orders.getByNumber(orgId, dv.order_number)) refuse(`${at}/order_number`, 'order_exists', `the organisation has an order ${dv.order_number}`, 'conflict');
        const orderDate = new Date(`${dv.order_date}T00:00:00Z`);
        o = {
          date: dv.order_date, lines: [],
          order: {
            id: this.ids.uuid(), orgId, orderNumber: dv.order_number, orderDate, orderType: 'OR', customerId: '', poNumber: '', source: 'fixture',
            receivedAt: now, availableAt: now, deliveredAt: now,
          },
        };
        orders.set(dv.order_number, o);
      } else if (o.date !== dv.order_date) {
        refuse(`${at}/order_date`, 'order_date_mismatch', `order ${dv.order_number} is dated ${o.date} by an earlier device of the file`);
      }
      const line: OrderLine = {
        serialNumber: dv.serial_number, deliveryNumber: '', assetTag: '', family: dv.device_family, model: dv.model,
        description: dv.description ?? '', color: dv.color ?? '', os: dv.os ?? '',
      };
      o.lines.push(line);
      const device: Device = {
        serialNumber: dv.serial_number, orgId, family: dv.device_family, model: dv.model, description: line.description, color: line.color, os: line.os,
        assetTag: '', orderNumber: dv.order_number, orderDate: o.order.orderDate, source: 'order', addedAt: now, updatedAt: now, supervised: false, profileStatus: 'empty',
      };
      writes.devices.push({ device, serverId: serverId || undefined, assignedBy: actor.email });
    }
    writes.orders = [...orders.values()].map(({ order, lines }) => ({ order, lines }));
    counts.devices = writes.devices.length;
    counts.orders = writes.orders.length;

    // ---- Volume Purchase Program: locations with their sTokens and purchases, then purchasers ----
    const locations = new Map((await this.store.locations.listByOrg(orgId)).map((l) => [l.name, l] as [string, Location]));
    const seenLocations = new Set<string>();
    const vpp = doc.volume_purchase;
    for (const [i, l] of vpp.locations.entries()) {
      const at = `/volume_purchase/locations/${i}`;
      if (seenLocations.has(l.name)) { refuse(`${at}/name`, 'location_duplicate', `the file lists location ${l.name} twice: merge its purchases`); continue; }
      seenLocations.add(l.name);
      const location = locations.get(l.name);
      if (!location) { refuse(`${at}/name`, 'location_unknown', `the organisation has no location named ${l.name}: create it first (POST /api/v1/locations) or rename it in the file`); continue; }
      if (l.s_token) {
        try {
          const t = this.d.contentTokens.adopt(location, l.s_token, actor.accountId);
          if (await this.store.content.library.findToken(t.tokenHash)) refuse(`${at}/s_token`, 's_token_taken', 'this sToken is already a content token in Orchard', 'conflict');
          writes.contentTokens.push(t);
        } catch (err) {
          refuseError(`${at}/s_token`, err);
        }
      }
      for (const [j, p] of l.purchases.entries()) {
        const item = await this.d.catalog.get(orgId, p.adam_id);
        if (!item) { refuse(`${at}/purchases/${j}/adam_id`, 'product_unknown', `${p.adam_id} is not a product of the App Store catalogue or an approved custom app of the organisation`); continue; }
        writes.purchases.push({
          id: this.ids.uuid(), orgId, locationId: location.id, adamId: item.adamId, productType: item.media === 'app' ? 'App' : 'Book', name: item.name,
          pricingParam: p.pricing_param ?? 'STDQ', quantity: p.licence_count, unitPriceMinor: 0, totalMinor: 0, currency: location.currency,
          paymentMethod: 'free', purchasedBy: actor.accountId, purchasedAt: now,
        });
        counts.licences += p.licence_count;
      }
    }
    counts.purchases = writes.purchases.length;
    counts.content_tokens = writes.contentTokens.length;

    const org = await this.store.organisations.get(orgId);
    const people = new Set<string>();
    const newAccounts: Account[] = [];
    for (const [i, p] of vpp.purchasers.entries()) {
      const at = `/volume_purchase/purchasers/${i}`;
      const appleId = (p.managed_apple_id ?? p.email).toLowerCase();
      const idPointer = p.managed_apple_id ? `${at}/managed_apple_id` : `${at}/email`;
      if (people.has(appleId)) { refuse(idPointer, 'purchaser_duplicate', `the file lists ${appleId} twice`); continue; }
      people.add(appleId);
      const existing = await this.store.accounts.getByEmail(appleId);
      if (existing && existing.orgId === orgId) { counts.existing_accounts++; continue; }
      if (existing) { refuse(idPointer, 'email_taken', `${appleId} is an account of another organisation: choose another Managed Apple ID`, 'conflict'); continue; }
      let locationId: string | undefined;
      if (p.location) {
        locationId = locations.get(p.location)?.id;
        if (!locationId) { refuse(`${at}/location`, 'location_unknown', `the organisation has no location named ${p.location}`); continue; }
      }
      try {
        newAccounts.push(await this.d.accounts.prepare(actor, orgId, {
          email: appleId, givenName: p.given_name, familyName: p.family_name, locationId,
          contactEmail: p.email.toLowerCase() !== appleId ? p.email : undefined, roles: [PURCHASER_ROLE],
        }));
      } catch (err) {
        refuseError(idPointer, err);
      }
    }
    counts.invitations = newAccounts.length;

    if (compose && !refusals.length) {
      for (const account of newAccounts) writes.invitations.push({ account, ...(await this.d.invitations.compose(account, org?.name ?? 'your organisation')) });
    }
    return { doc, digest, counts, refusals, writes, alreadyImported: done?.id };
  }
}
