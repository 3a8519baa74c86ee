// Installing bought apps through Orchard's own MDM: "assign this app to these devices/users"
// associates licences through the same store operations as the Apps and Books API, then says
// per target what the MDM side must queue (InstallApplication with iTunesStoreID and, for
// device licences, Options.PurchaseMethod = 1; RemoveApplication on revocation; InstallMedia for
// books), PROTOCOLS.md Part 2 §6. The MDM wiring plugs in through `connect()`: src/mdm/content-install.ts
// (enrolled devices as the directory, the MDM command queue with push), connected in src/services.ts.
import type { Clock } from '../../clock.js';
import { DAY_MS } from '../../clock.js';
import type { Store } from '../../store/index.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import type { CatalogItem, CatalogService } from './catalog.js';
import type { LibraryService } from './library.js';
import type { LicenceService } from './licences.js';
import { checkPlatform, DEVICE_FAMILIES, type DeviceFamily, type PlatformRefusal } from './platforms.js';

export interface ManagedDevice {
  serialNumber: string;
  family: DeviceFamily;
  osVersion: string;
  /** The device's App Store country when the MDM knows it; else the location's. The app must be available there. */
  country?: string;
}

export interface DeviceSelector {
  serialNumbers?: string[];
  groupIds?: string[];
  families?: DeviceFamily[];
}

/** Provided by the devices/MDM side: resolves serials, groups and families to enrolled devices of the organisation. */
export interface DeviceDirectory {
  resolve(orgId: string, selector: DeviceSelector): Promise<{ devices: ManagedDevice[]; unknownSerials: string[] }>;
}

export type MdmInstallCommand =
  | { RequestType: 'InstallApplication'; iTunesStoreID: number; ManagementFlags: number; Options: { PurchaseMethod: 0 | 1 } }
  | { RequestType: 'InstallMedia'; MediaType: 'Book'; iTunesStoreID: number }
  | { RequestType: 'RemoveApplication'; Identifier: string };

/**
 * Provided by the MDM side: queues a command for a device (or, for a user licence, the device the
 * user named) and pushes; returns the CommandUUID, or undefined when there is no enrolled device to send it to.
 */
export interface InstallQueue {
  enqueue(actor: Principal, target: { serialNumber?: string; clientUserId?: string }, command: MdmInstallCommand, opts: { notBefore?: Date }): Promise<string | undefined>;
}

export type AssignmentRefusal = PlatformRefusal | 'not_device_assignable' | 'books_are_user_only' | 'not_available_in_country'
  | 'not_enough_licences' | 'device_not_found' | 'user_retired';

export interface TargetResult {
  serialNumber?: string;
  clientUserId?: string;
  adamId: string;
  status: 'associated' | 'already_associated' | 'refused' | 'removed' | 'not_assigned';
  /** True when this call consumed a licence for the target. */
  newlyAssociated: boolean;
  reason?: AssignmentRefusal;
  /** What the MDM side must queue for this target (absent when refused). */
  command?: MdmInstallCommand;
  /** Do not send the command before this instant (revocation grace period). */
  notBefore?: Date;
  /** Set when an InstallQueue is connected and the command was queued. */
  commandUuid?: string;
  /** A user not yet bound to an Apple Account: the invitation to send. */
  inviteCode?: string;
}

export interface UserTarget {
  clientUserId: string;
  email?: string;
  managedAppleId?: string;
  country?: string;
  /** The device this user uses, where Orchard queues the install (a user licence installs only where the user is signed in). */
  serialNumber?: string;
}

/** An organisation's settings for installs: the default grace period before RemoveApplication. */
export interface InstallSettings {
  revocationGraceDays: number;
}

export const MAX_GRACE_DAYS = 30;

export class ManagedInstallService {
  private directory?: DeviceDirectory;
  private queue?: InstallQueue;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: CatalogService,
    private readonly libraries: LibraryService,
    private readonly licences: LicenceService,
  ) {}

  /** The lead's wiring: where devices come from and where commands go. */
  connect(parts: { directory?: DeviceDirectory; queue?: InstallQueue }): void {
    if (parts.directory) this.directory = parts.directory;
    if (parts.queue) this.queue = parts.queue;
  }

  private async asset(actor: Principal, locationId: string, adamId: string): Promise<{ item: CatalogItem; locationId: string; country: string }> {
    const location = await this.store.locations.get(actor.orgId, String(locationId ?? ''));
    if (!location) throw notFound('location');
    const item = await this.catalog.get(actor.orgId, String(adamId ?? ''));
    if (!item) throw notFound('app or book', 'item_not_found');
    if (!(await this.store.content.purchasing.pool(location.id, item.adamId, 'STDQ'))) {
      throw conflict('no_licences_at_location', `${location.name} owns no licence of ${item.name}`);
    }
    await this.libraries.ensure(location.id);
    return { item, locationId: location.id, country: location.country };
  }

  private installCommand(item: CatalogItem): MdmInstallCommand {
    if (item.media === 'book') return { RequestType: 'InstallMedia', MediaType: 'Book', iTunesStoreID: Number(item.adamId) };
    // ManagementFlags 1: remove the app when the device leaves management. PurchaseMethod 1 (VPP
    // app assignment) is required for device licences; Orchard sends it for user licences too,
    // which only the legacy Apple-ID flow (0) would not (unconfirmed for user licences).
    return { RequestType: 'InstallApplication', iTunesStoreID: Number(item.adamId), ManagementFlags: 1, Options: { PurchaseMethod: 1 } };
  }

  private async dispatch(actor: Principal, results: TargetResult[]): Promise<TargetResult[]> {
    if (!this.queue) return results;
    for (const r of results) {
      if (!r.command) continue;
      r.commandUuid = await this.queue.enqueue(actor, { serialNumber: r.serialNumber, clientUserId: r.clientUserId }, r.command, { notBefore: r.notBefore });
    }
    return results;
  }

  async settings(actor: Principal): Promise<InstallSettings> {
    return (await this.store.content.installSettings.get(actor.orgId)) ?? { revocationGraceDays: 0 };
  }

  async setSettings(actor: Principal, input: { revocationGraceDays: unknown }): Promise<InstallSettings> {
    const days = input.revocationGraceDays;
    if (!Number.isInteger(days) || (days as number) < 0 || (days as number) > MAX_GRACE_DAYS) {
      throw invalid('grace_period_invalid', `revocation_grace_period_days must be 0..${MAX_GRACE_DAYS}`);
    }
    const settings = { revocationGraceDays: days as number };
    await this.store.content.installSettings.put(actor.orgId, settings, this.clock.now(), actor.accountId);
    return settings;
  }

  /** Assigns an app to enrolled devices (device licences). Returns one result per distinct serial, in order. */
  async assignToDevices(actor: Principal, input: { locationId: string; adamId: string; devices: ManagedDevice[] }): Promise<TargetResult[]> {
    const { item, locationId, country } = await this.asset(actor, input.locationId, input.adamId);
    const seen = new Set<string>();
    const devices = input.devices.filter((d) => !seen.has(d.serialNumber) && !!seen.add(d.serialNumber));
    const results = new Map<string, TargetResult>();
    const refuse = (d: ManagedDevice, reason: AssignmentRefusal) =>
      results.set(d.serialNumber, { serialNumber: d.serialNumber, adamId: item.adamId, status: 'refused', newlyAssociated: false, reason });
    const eligible: string[] = [];
    for (const d of devices) {
      if (!(DEVICE_FAMILIES as readonly string[]).includes(d.family)) throw invalid('family_invalid', `unknown device family ${d.family}`);
      if (item.media === 'book') refuse(d, 'books_are_user_only');
      else if (!item.deviceAssignable) refuse(d, 'not_device_assignable');
      else if (!item.countries.includes(d.country ?? country)) refuse(d, 'not_available_in_country');
      else {
        const platform = checkPlatform(item, d);
        if (platform) refuse(d, platform);
        else eligible.push(d.serialNumber);
      }
    }
    if (eligible.length) {
      const out = await this.licences.associate(actor.orgId, locationId, [{ adamId: item.adamId, pricingParam: 'STDQ' }],
        { serialNumbers: eligible, clientUserIds: [] }, this.clock.now(), 'partial');
      const added = new Set(out.added.map((a) => a.serialNumber));
      const short = new Set(out.failures.flatMap((f) => f.serialNumbers ?? []));
      for (const s of eligible) {
        if (short.has(s)) results.set(s, { serialNumber: s, adamId: item.adamId, status: 'refused', newlyAssociated: false, reason: 'not_enough_licences' });
        else results.set(s, {
          serialNumber: s, adamId: item.adamId, status: added.has(s) ? 'associated' : 'already_associated', newlyAssociated: added.has(s),
          command: this.installCommand(item),
        });
      }
    }
    return this.dispatch(actor, devices.map((d) => results.get(d.serialNumber)!));
  }

  /** Resolves serials, groups and families through the connected DeviceDirectory, then assigns. */
  async assignToSelection(actor: Principal, input: { locationId: string; adamId: string; selector: DeviceSelector }): Promise<TargetResult[]> {
    if (!this.directory) throw new DomainError('unavailable', 'device_directory_unavailable', 'device assignment needs the MDM device directory, which is not connected');
    const { devices, unknownSerials } = await this.directory.resolve(actor.orgId, input.selector);
    const results = devices.length ? await this.assignToDevices(actor, { locationId: input.locationId, adamId: input.adamId, devices }) : [];
    return [...results, ...unknownSerials.map((s): TargetResult => ({ serialNumber: s, adamId: String(input.adamId), status: 'refused', newlyAssociated: false, reason: 'device_not_found' }))];
  }

  /** Assigns an app or book to users (user licences): registers users not yet known, who are then invited. */
  async assignToUsers(actor: Principal, input: { locationId: string; adamId: string; users: UserTarget[] }): Promise<TargetResult[]> {
    const { item, locationId } = await this.asset(actor, input.locationId, input.adamId);
    const lib = this.store.content.library;
    const results = new Map<string, TargetResult>();
    const eligible: string[] = [];
    const toRegister: UserTarget[] = [];
    const deviceOf = new Map(input.users.filter((u) => u.serialNumber).map((u) => [u.clientUserId, u.serialNumber!]));
    for (const u of input.users) {
      if (results.has(u.clientUserId) || eligible.includes(u.clientUserId)) continue;
      if (u.country && !item.countries.includes(u.country)) {
        results.set(u.clientUserId, { clientUserId: u.clientUserId, adamId: item.adamId, status: 'refused', newlyAssociated: false, reason: 'not_available_in_country' });
        continue;
      }
      const existing = await lib.getUser(locationId, u.clientUserId);
      if (!existing || existing.status === 'Retired') toRegister.push(u);
      eligible.push(u.clientUserId);
    }
    if (toRegister.length) {
      await this.licences.createUsers(actor.orgId, locationId, toRegister.map((u) => ({ clientUserId: u.clientUserId, email: u.email, managedAppleId: u.managedAppleId })),
        this.clock.now());
    }
    if (eligible.length) {
      const out = await this.licences.associate(actor.orgId, locationId, [{ adamId: item.adamId, pricingParam: 'STDQ' }],
        { serialNumbers: [], clientUserIds: eligible }, this.clock.now(), 'partial');
      const added = new Set(out.added.map((a) => a.clientUserId));
      const short = new Set(out.failures.flatMap((f) => f.clientUserIds ?? []));
      for (const id of eligible) {
        const user = await lib.getUser(locationId, id);
        if (short.has(id)) results.set(id, { clientUserId: id, adamId: item.adamId, status: 'refused', newlyAssociated: false, reason: 'not_enough_licences' });
        else results.set(id, {
          clientUserId: id, serialNumber: deviceOf.get(id), adamId: item.adamId, status: added.has(id) ? 'associated' : 'already_associated',
          newlyAssociated: added.has(id), command: this.installCommand(item), inviteCode: user?.status === 'Registered' ? user.inviteCode : undefined,
        });
      }
    }
    const order = [...new Set(input.users.map((u) => u.clientUserId))];
    return this.dispatch(actor, order.map((id) => results.get(id)!));
  }

  /** Frees device licences and says to queue RemoveApplication, not before the grace period ends. */
  async revokeFromDevices(actor: Principal, input: { locationId: string; adamId: string; serialNumbers: string[]; gracePeriodDays?: number }): Promise<TargetResult[]> {
    const { item, locationId } = await this.asset(actor, input.locationId, input.adamId);
    if (item.media === 'book') throw conflict('not_revocable', 'books cannot be revoked');
    const grace = input.gracePeriodDays ?? (await this.settings(actor)).revocationGraceDays;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_DAYS) throw invalid('grace_period_invalid', `grace_period_days must be 0..${MAX_GRACE_DAYS}`);
    const serials = [...new Set(input.serialNumbers)];
    const out = await this.licences.disassociate(actor.orgId, locationId, [{ adamId: item.adamId, pricingParam: 'STDQ' }],
      { serialNumbers: serials, clientUserIds: [] }, this.clock.now());
    const removed = new Set(out.removed.map((r) => r.serialNumber));
    const notBefore = new Date(this.clock.now().getTime() + grace * DAY_MS);
    return this.dispatch(actor, serials.map((s): TargetResult => removed.has(s)
      ? { serialNumber: s, adamId: item.adamId, status: 'removed', newlyAssociated: false, command: { RequestType: 'RemoveApplication', Identifier: item.bundleId! }, notBefore }
      : { serialNumber: s, adamId: item.adamId, status: 'not_assigned', newlyAssociated: false }));
  }

  /** Migrates a user licence to the device licence of an enrolled device, found by serial through the DeviceDirectory. */
  async migrateUserToSerial(actor: Principal, input: { locationId: string; adamId: string; clientUserId: string; serialNumber: string }): Promise<TargetResult> {
    if (!this.directory) throw new DomainError('unavailable', 'device_directory_unavailable', 'device assignment needs the MDM device directory, which is not connected');
    const { devices } = await this.directory.resolve(actor.orgId, { serialNumbers: [input.serialNumber] });
    const device = devices[0];
    if (!device) return { serialNumber: input.serialNumber, adamId: String(input.adamId), status: 'refused', newlyAssociated: false, reason: 'device_not_found' };
    return this.migrateUserToDevice(actor, { locationId: input.locationId, adamId: input.adamId, clientUserId: input.clientUserId, device });
  }

  /** Moves a user-licensed app to device licensing on one device (same licence count); re-send InstallApplication with PurchaseMethod 1. */
  async migrateUserToDevice(actor: Principal, input: { locationId: string; adamId: string; clientUserId: string; device: ManagedDevice }): Promise<TargetResult> {
    const { item, locationId } = await this.asset(actor, input.locationId, input.adamId);
    const d = input.device;
    const base = { serialNumber: d.serialNumber, adamId: item.adamId, newlyAssociated: false };
    if (item.media === 'book') return { ...base, status: 'refused', reason: 'books_are_user_only' };
    if (!item.deviceAssignable) return { ...base, status: 'refused', reason: 'not_device_assignable' };
    const platform = checkPlatform(item, d);
    if (platform) return { ...base, status: 'refused', reason: platform };
    const moved = await this.licences.moveUserToDevice(actor.orgId, locationId, { adamId: item.adamId, pricingParam: 'STDQ' },
      input.clientUserId, d.serialNumber, this.clock.now());
    if (moved === 'not_assigned') throw conflict('not_assigned', 'this user holds no licence of this app at this location');
    const [r] = await this.dispatch(actor, [{ ...base, status: moved === 'moved' ? 'associated' : 'already_associated', command: this.installCommand(item) }]);
    return r!;
  }
}
