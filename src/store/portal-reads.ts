// Reads the portal's pages need in one go: the dashboard's aggregates (SQL GROUP BYs, so they
// stay cheap with 100,000 devices) and one device's assignment history and MDM channel.
import type { Db } from './db.js';
import { toDb } from './db.js';

export interface DashboardCounts {
  devicesByFamily: Record<string, number>;
  devicesByServer: Array<{ serverId: string | null; name: string | null; count: number }>;
  enrolmentStates: Record<string, number>;
  commandOutcomes: Record<string, number>;
  licences: Array<{ locationId: string; name: string; bought: number; inUse: number }>;
  expiring: Array<{ kind: 'server_token' | 'content_token' | 'push_certificate'; id: string; name: string; expiresAt: string }>;
}

export interface DeviceAssignmentOp { at: string; op: 'added' | 'modified' | 'deleted'; serverId: string; serverName: string | null }

export interface PortalReads {
  /** Every aggregate of the dashboard for one organisation; commands counted from `since`. */
  dashboard(orgId: string, since: Date): Promise<DashboardCounts>;
  /** The device's assignment operations (added to / removed from a server), newest first. */
  deviceHistory(orgId: string, serial: string, limit: number): Promise<DeviceAssignmentOp[]>;
  /** The state of each serial's newest device channel (serials that never enrolled are absent). */
  enrolmentStates(orgId: string, serials: string[]): Promise<Map<string, string>>;
  /** The id of the device's newest device channel in the organisation, if it ever enrolled. */
  deviceChannelId(orgId: string, serial: string): Promise<string | undefined>;
}

type Row = Record<string, any>;

export class SqlitePortalReads implements PortalReads {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      families: db.prepare(`SELECT family, count(*) AS n FROM devices WHERE org_id = ? AND released_at IS NULL GROUP BY family ORDER BY family`),
      servers: db.prepare(`SELECT d.mdm_server_id AS id, m.name, count(*) AS n FROM devices d LEFT JOIN mdm_servers m ON m.id = d.mdm_server_id
        WHERE d.org_id = ? AND d.released_at IS NULL GROUP BY d.mdm_server_id ORDER BY n DESC`),
      enrolments: db.prepare(`SELECT state, count(*) AS n FROM enrollments WHERE org_id = ? AND channel = 'device' GROUP BY state`),
      commands: db.prepare(`SELECT t.status, count(*) AS n FROM commands c JOIN command_targets t ON t.command_uuid = c.uuid
        WHERE c.org_id = ? AND c.created_at >= ? GROUP BY t.status`),
      licences: db.prepare(`SELECT l.id, l.name,
          (SELECT coalesce(sum(p.total_count), 0) FROM licence_pools p WHERE p.location_id = l.id) AS bought,
          (SELECT count(*) FROM licence_assignments a WHERE a.location_id = l.id) AS in_use
        FROM locations l WHERE l.org_id = ? ORDER BY l.name`),
      expiring: db.prepare(`
        SELECT 'server_token' AS kind, m.id AS id, m.name AS name, t.expires_at AS expires_at
          FROM mdm_servers m JOIN server_tokens t ON t.server_id = m.id
          WHERE m.org_id = @org AND t.revoked_at IS NULL
            AND t.issued_at = (SELECT max(t2.issued_at) FROM server_tokens t2 WHERE t2.server_id = m.id AND t2.revoked_at IS NULL)
        UNION ALL
        SELECT 'content_token', l.id, l.name, c.expires_at FROM locations l JOIN content_tokens c ON c.location_id = l.id
          WHERE l.org_id = @org AND c.revoked_at IS NULL
        UNION ALL
        SELECT 'push_certificate', p.org_id, coalesce(p.topic, ''), p.not_after FROM push_certificates p
          WHERE p.org_id = @org AND p.not_after IS NOT NULL
        ORDER BY expires_at LIMIT 20`),
      history: db.prepare(`SELECT o.op_date, o.op_type, o.server_id, m.name FROM device_ops o JOIN mdm_servers m ON m.id = o.server_id
        WHERE o.serial_number = ? AND m.org_id = ? ORDER BY o.seq DESC LIMIT ?`),
      // json_each: one statement for a page of serials (at most 1,000), served by enrollments_org_serial.
      states: db.prepare(`SELECT e.serial_number, e.state FROM json_each(?) j JOIN enrollments e ON e.org_id = ? AND e.serial_number = j.value AND e.channel = 'device'
        ORDER BY e.serial_number, e.created_at, e.id`),
      channel: db.prepare(`SELECT id FROM enrollments WHERE org_id = ? AND serial_number = ? AND channel = 'device'
        ORDER BY created_at DESC, id DESC LIMIT 1`),
    };
  }

  async dashboard(orgId: string, since: Date): Promise<DashboardCounts> {
    // One read transaction: the sections agree with each other.
    return this.db.transaction(() => {
      const counts = (rows: Row[], key: string) => Object.fromEntries(rows.map((r) => [r[key] as string, r.n as number]));
      return {
        devicesByFamily: counts(this.s.families.all(orgId) as Row[], 'family'),
        devicesByServer: (this.s.servers.all(orgId) as Row[]).map((r) => ({ serverId: r.id ?? null, name: r.name ?? null, count: r.n })),
        enrolmentStates: counts(this.s.enrolments.all(orgId) as Row[], 'state'),
        commandOutcomes: counts(this.s.commands.all(orgId, toDb(since)) as Row[], 'status'),
        licences: (this.s.licences.all(orgId) as Row[]).map((r) => ({ locationId: r.id, name: r.name, bought: r.bought, inUse: r.in_use })),
        expiring: (this.s.expiring.all({ org: orgId }) as Row[]).map((r) => ({ kind: r.kind, id: r.id, name: r.name, expiresAt: r.expires_at })),
      };
    })();
  }

  async deviceHistory(orgId: string, serial: string, limit: number): Promise<DeviceAssignmentOp[]> {
    return (this.s.history.all(serial, orgId, limit) as Row[]).map((r) => ({ at: r.op_date, op: r.op_type, serverId: r.server_id, serverName: r.name ?? null }));
  }

  async enrolmentStates(orgId: string, serials: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (serials.length === 0) return out;
    // Ordered oldest first per serial: the newest channel's state is the one kept.
    for (const r of this.s.states.all(JSON.stringify(serials), orgId) as Row[]) out.set(r.serial_number, r.state);
    return out;
  }

  async deviceChannelId(orgId: string, serial: string): Promise<string | undefined> {
    return (this.s.channel.get(orgId, serial) as Row | undefined)?.id;
  }
}
