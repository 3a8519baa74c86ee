// The reads behind the portal's dashboard and device page, each one call of the admin API:
// sections the caller's roles do not cover are left out (null), never shown.
import type { Clock } from '../clock.js';
import type { CommandTarget } from '../store/commands.js';
import type { Enrollment } from '../store/enrollments.js';
import type { PortalReads, DashboardCounts, DeviceAssignmentOp } from '../store/portal-reads.js';
import type { DeviceService } from './devices.js';
import type { CommandQueue } from './mdm/queue.js';
import { can, type Permission } from './permissions.js';
import type { Principal } from './principal.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Dashboard {
  devices: { total: number; byFamily: Record<string, number>; byServer: DashboardCounts['devicesByServer'] } | null;
  enrolmentStates: Record<string, number> | null;
  commandOutcomes: Record<string, number> | null;
  licences: DashboardCounts['licences'] | null;
  expiring: DashboardCounts['expiring'];
}

export interface DevicePageData {
  serial: string;
  assignments: DeviceAssignmentOp[];
  channel?: Enrollment;
  queue: CommandTarget[];
  history: CommandTarget[];
}

/** Which expiring thing a permission shows. */
const EXPIRY_NEEDS: Record<DashboardCounts['expiring'][number]['kind'], Permission> = {
  server_token: 'devices.read', content_token: 'content.read', push_certificate: 'push.manage',
};

export class PortalReadService {
  constructor(private readonly reads: PortalReads, private readonly clock: Clock, private readonly devices: DeviceService, private readonly queue: CommandQueue) {}

  async dashboard(p: Principal): Promise<Dashboard> {
    const c = await this.reads.dashboard(p.orgId, new Date(this.clock.now().getTime() - DAY_MS));
    const devices = can(p.roles, 'devices.read');
    return {
      devices: devices ? { total: Object.values(c.devicesByFamily).reduce((a, b) => a + b, 0), byFamily: c.devicesByFamily, byServer: c.devicesByServer } : null,
      enrolmentStates: devices ? c.enrolmentStates : null,
      commandOutcomes: devices ? c.commandOutcomes : null,
      licences: can(p.roles, 'content.read') ? c.licences : null,
      expiring: c.expiring.filter((e) => can(p.roles, EXPIRY_NEEDS[e.kind])),
    };
  }

  /** The MDM enrolment state of each serial's newest device channel; absent: never enrolled. */
  enrolmentStates(orgId: string, serials: string[]): Promise<Map<string, string>> {
    return this.reads.enrolmentStates(orgId, serials);
  }

  /** A device of the caller's organisation: its assignment history, newest MDM channel and that channel's commands. */
  async device(p: Principal, serial: string): Promise<DevicePageData> {
    const d = await this.devices.get(p.orgId, serial);
    const assignments = await this.reads.deviceHistory(p.orgId, d.serialNumber, 100);
    const channelId = await this.reads.deviceChannelId(p.orgId, d.serialNumber);
    if (!channelId) return { serial: d.serialNumber, assignments, queue: [], history: [] };
    const channel = await this.queue.channel(p, channelId);
    const { queue, history } = await this.queue.queueOf(p, channelId);
    return { serial: d.serialNumber, assignments, channel, queue, history };
  }
}
