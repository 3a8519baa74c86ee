// Lookups of enrolment: which MDM server of an organisation is Orchard's own
// (mdm_servers.is_builtin, a column of the devices schema that this repository only reads and
// sets), and where a device stands in Automated Device Enrolment by serial number alone (a
// device asking for its cloud configuration names no organisation).
import type { Db } from './db.js';
import type { ProfileStatus } from './device-types.js';

export interface DeviceEnrolmentState {
  serialNumber: string;
  orgId: string;
  serverId?: string;
  serverIsBuiltin: boolean;
  profileUuid?: string;
  profileStatus: ProfileStatus;
}

export interface BuiltinMdm {
  orgId: string;
  serverId: string;
  /** The ADE profile it defined for itself (url = <base>/enroll/dep). */
  profileUuid: string;
}

export interface BuiltinMdmRepository {
  find(orgId: string): Promise<BuiltinMdm | undefined>;
  /** Records the organisation's built-in server and flags it (mdm_servers.is_builtin) in one transaction. */
  record(b: BuiltinMdm): Promise<void>;
  /** The device (not released) with this serial, in whichever organisation holds it. */
  deviceState(serialNumber: string): Promise<DeviceEnrolmentState | undefined>;
}

export class SqliteBuiltinMdmRepository implements BuiltinMdmRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      find: db.prepare('SELECT * FROM builtin_mdm WHERE org_id = ?'),
      insert: db.prepare('INSERT INTO builtin_mdm (org_id, server_id, profile_uuid) VALUES (@orgId, @serverId, @profileUuid)'),
      mark: db.prepare('UPDATE mdm_servers SET is_builtin = 1 WHERE id = ?'),
      state: db.prepare(`SELECT d.serial_number, d.org_id, d.mdm_server_id, d.profile_uuid, d.profile_status, s.is_builtin
        FROM devices d LEFT JOIN mdm_servers s ON s.id = d.mdm_server_id
        WHERE d.serial_number = ? AND d.released_at IS NULL`),
    };
  }
  async find(orgId: string) {
    const r = this.s.find.get(orgId) as Record<string, string> | undefined;
    return r && { orgId: r.org_id!, serverId: r.server_id!, profileUuid: r.profile_uuid! };
  }
  async record(b: BuiltinMdm) {
    this.record_(b);
  }
  private readonly record_ = (b: BuiltinMdm) => this.db.transaction(() => {
    this.s.insert.run(b);
    this.s.mark.run(b.serverId);
  })();
  async deviceState(serialNumber: string) {
    const r = this.s.state.get(serialNumber) as Record<string, any> | undefined;
    return r && {
      serialNumber: r.serial_number, orgId: r.org_id, serverId: r.mdm_server_id ?? undefined, serverIsBuiltin: !!r.is_builtin,
      profileUuid: r.profile_uuid ?? undefined, profileStatus: r.profile_status,
    };
  }
}
