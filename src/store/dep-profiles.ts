// ADE profiles and their assignment to devices. Assigning, removing and the device's fetch of
// its profile ("pushed") change fields an MDM server sees, so each writes a `modified` op in
// device_ops in the same transaction (CONTRACT-devices.md; sync-devices).
import type { Db } from './db.js';
import { fromDb, toDb } from './db.js';
import type { DeviceOutcome } from './device-types.js';
import { insertDeviceOpStatement } from './device-writes.js';

/** What an MDM server defines (developer.apple.com/documentation/devicemanagement/profile). */
export interface DepProfileInput {
  profileName: string;
  url?: string;
  configurationWebUrl?: string;
  allowPairing: boolean;
  isSupervised: boolean;
  isMultiUser: boolean;
  isMandatory: boolean;
  awaitDeviceConfigured: boolean;
  isMdmRemovable: boolean;
  autoAdvanceSetup: boolean;
  doNotUseProfileFromBackup: boolean;
  isReturnToService: boolean;
  supportPhoneNumber?: string;
  supportEmailAddress?: string;
  orgMagic?: string;
  department?: string;
  language?: string;
  region?: string;
  anchorCerts: string[];
  supervisingHostCerts: string[];
  skipSetupItems: string[];
}

export interface DepProfile extends DepProfileInput {
  profileUuid: string;
  serverId: string;
  orgId: string;
  createdAt: Date;
}

/** Per-device outcome of an assignment or removal. */
export type AssignOutcome = DeviceOutcome;

export interface DepProfileRepository {
  create(p: DepProfile): Promise<void>;
  get(profileUuid: string): Promise<DepProfile | undefined>;
  /** Defines a profile and assigns it to `serials` in one transaction. */
  createAndAssign(p: DepProfile, serials: string[], at: Date): Promise<Record<string, AssignOutcome>>;
  /** Assigns a profile to devices of `serverId`; others are not accessible. */
  assign(serverId: string, profileUuid: string, serials: string[], at: Date): Promise<Record<string, AssignOutcome>>;
  /** Removes the profile (only `profileUuid` when given: another one → other-profile) from devices of `serverId`. */
  remove(serverId: string, serials: string[], profileUuid: string | undefined, at: Date): Promise<Record<string, AssignOutcome>>;
  /** The device fetched its profile (enrolment): status `pushed`, push time set, op recorded. */
  markPushed(serialNumber: string, at: Date): Promise<{ serverId: string; profileUuid: string } | undefined>;
}

type Row = Record<string, any>;
const bool = (v: unknown) => v === 1;
const opt = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

const toProfile = (r: Row): DepProfile => ({
  profileUuid: r.profile_uuid, serverId: r.server_id, orgId: r.org_id, profileName: r.profile_name,
  url: opt(r.url), configurationWebUrl: opt(r.configuration_web_url), allowPairing: bool(r.allow_pairing),
  isSupervised: bool(r.is_supervised), isMultiUser: bool(r.is_multi_user), isMandatory: bool(r.is_mandatory),
  awaitDeviceConfigured: bool(r.await_device_configured), isMdmRemovable: bool(r.is_mdm_removable),
  autoAdvanceSetup: bool(r.auto_advance_setup), doNotUseProfileFromBackup: bool(r.do_not_use_profile_from_backup),
  isReturnToService: bool(r.is_return_to_service), supportPhoneNumber: opt(r.support_phone_number),
  supportEmailAddress: opt(r.support_email_address), orgMagic: opt(r.org_magic), department: opt(r.department),
  language: opt(r.language), region: opt(r.region), anchorCerts: JSON.parse(r.anchor_certs),
  supervisingHostCerts: JSON.parse(r.supervising_host_certs), skipSetupItems: JSON.parse(r.skip_setup_items),
  createdAt: fromDb(r.created_at),
});

const b = (v: boolean) => (v ? 1 : 0);
const toRow = (p: DepProfile) => ({
  profile_uuid: p.profileUuid, server_id: p.serverId, org_id: p.orgId, profile_name: p.profileName, url: p.url ?? null,
  configuration_web_url: p.configurationWebUrl ?? null, allow_pairing: b(p.allowPairing), is_supervised: b(p.isSupervised),
  is_multi_user: b(p.isMultiUser), is_mandatory: b(p.isMandatory), await_device_configured: b(p.awaitDeviceConfigured),
  is_mdm_removable: b(p.isMdmRemovable), auto_advance_setup: b(p.autoAdvanceSetup),
  do_not_use_profile_from_backup: b(p.doNotUseProfileFromBackup), is_return_to_service: b(p.isReturnToService),
  support_phone_number: p.supportPhoneNumber ?? null, support_email_address: p.supportEmailAddress ?? null,
  org_magic: p.orgMagic ?? null, department: p.department ?? null, language: p.language ?? null, region: p.region ?? null,
  anchor_certs: JSON.stringify(p.anchorCerts), supervising_host_certs: JSON.stringify(p.supervisingHostCerts),
  skip_setup_items: JSON.stringify(p.skipSetupItems), created_at: toDb(p.createdAt),
});

const COLUMNS = Object.keys(toRow({ anchorCerts: [], supervisingHostCerts: [], skipSetupItems: [], createdAt: new Date(0) } as unknown as DepProfile));

export class SqliteDepProfileRepository implements DepProfileRepository {
  private readonly stmts;
  private readonly insertOp;
  constructor(private readonly db: Db) {
    this.insertOp = insertDeviceOpStatement(db);
    this.stmts = {
      insert: db.prepare(`INSERT INTO dep_profiles (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`),
      get: db.prepare('SELECT * FROM dep_profiles WHERE profile_uuid = ?'),
      device: db.prepare('SELECT serial_number, mdm_server_id, profile_uuid FROM devices WHERE serial_number = ? AND released_at IS NULL'),
      assign: db.prepare(`UPDATE devices SET profile_uuid = @profileUuid, profile_status = 'assigned',
        profile_assign_time = @at, profile_push_time = NULL, updated_at = @at WHERE serial_number = @serial`),
      remove: db.prepare(`UPDATE devices SET profile_uuid = NULL, profile_status = 'removed', updated_at = @at WHERE serial_number = @serial`),
      pushed: db.prepare(`UPDATE devices SET profile_status = 'pushed', profile_push_time = @at, updated_at = @at
        WHERE serial_number = @serial AND profile_uuid IS NOT NULL AND mdm_server_id IS NOT NULL AND released_at IS NULL
        RETURNING mdm_server_id, profile_uuid`),
    };
  }

  async create(p: DepProfile) {
    this.stmts.insert.run(toRow(p));
  }

  async get(profileUuid: string) {
    const r = this.stmts.get.get(profileUuid) as Row | undefined;
    return r && toProfile(r);
  }

  /**
   * One change per named device, each that is made recorded as a `modified` op. A device not on
   * `serverId` (unknown, released, or another server's) is not accessible and left alone.
   */
  private perDevice(serverId: string, serials: string[], at: Date, change: (d: Row) => AssignOutcome): Record<string, AssignOutcome> {
    const out: Record<string, AssignOutcome> = {};
    for (const serial of serials) {
      const d = this.stmts.device.get(serial) as Row | undefined;
      const outcome = !d || d.mdm_server_id !== serverId ? 'not-accessible' : change(d);
      if (outcome === 'done') this.insertOp(serverId, serial, 'modified', at);
      out[serial] = outcome;
    }
    return out;
  }

  private assignSync(serverId: string, profileUuid: string, serials: string[], at: Date) {
    return this.perDevice(serverId, serials, at, (d) => {
      this.stmts.assign.run({ profileUuid, at: toDb(at), serial: d.serial_number });
      return 'done';
    });
  }

  async createAndAssign(p: DepProfile, serials: string[], at: Date) {
    return this.db.transaction(() => {
      this.stmts.insert.run(toRow(p));
      return this.assignSync(p.serverId, p.profileUuid, serials, at);
    }).immediate();
  }

  async assign(serverId: string, profileUuid: string, serials: string[], at: Date) {
    return this.db.transaction(() => this.assignSync(serverId, profileUuid, serials, at)).immediate();
  }

  async remove(serverId: string, serials: string[], profileUuid: string | undefined, at: Date) {
    return this.db.transaction(() => this.perDevice(serverId, serials, at, (d) => {
      if (profileUuid !== undefined && d.profile_uuid !== profileUuid) return 'other-profile';
      this.stmts.remove.run({ serial: d.serial_number, at: toDb(at) });
      return 'done';
    })).immediate();
  }

  async markPushed(serialNumber: string, at: Date) {
    return this.db.transaction(() => {
      const r = this.stmts.pushed.get({ serial: serialNumber, at: toDb(at) }) as Row | undefined;
      if (!r) return undefined;
      this.insertOp(r.mdm_server_id, serialNumber, 'modified', at);
      return { serverId: r.mdm_server_id as string, profileUuid: r.profile_uuid as string };
    }).immediate();
  }
}
