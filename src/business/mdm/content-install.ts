// The MDM side of installing bought apps (issue 8): which enrolled devices an assignment names,
// and how its InstallApplication / InstallMedia / RemoveApplication reaches them. Connected to
// `services.content.install` in src/services.ts.
//
// Devices: an enrolled device channel of the organisation, found by serial number; its family is
// the Apple Business Manager record's when the device came through an order (else the one
// Authenticate reported), its OS version the enrolment's (Authenticate, kept current by
// DeviceInformation answers). Its App Store country is not known to MDM: the location's applies.
// Groups: Orchard has no MDM device groups; a group id names devices Apple Business Manager
// already groups: `order:<order number>` (the devices of one order) or `server:<MDM server id>`
// (the devices assigned to one MDM server). Members that are not enrolled come back unknown.
import { invalid } from '../errors.js';
import type { DeviceDirectory, DeviceSelector, InstallQueue, ManagedDevice, MdmInstallCommand } from '../content/install.js';
import { DEVICE_FAMILIES, type DeviceFamily } from '../content/platforms.js';
import type { Principal } from '../principal.js';
import type { Enrollment, PushTarget } from '../../store/enrollments.js';
import type { Store } from '../../store/index.js';
import type { CommandQueue } from './queue.js';

/** Enrolment families (mdm/platform.ts) in the content vocabulary (content/platforms.ts). */
const CONTENT_FAMILY: Record<string, DeviceFamily> = {
  iPhone: 'iPhone', iPad: 'iPad', iPod: 'iPod', Mac: 'Mac', AppleTV: 'AppleTV', Watch: 'AppleWatch', Vision: 'VisionPro',
};

const GROUP = /^(order|server):(.{1,128})$/;
const PAGE = 1000;

export class EnrolledDeviceDirectory implements DeviceDirectory {
  constructor(private readonly store: Store) {}

  async resolve(orgId: string, selector: DeviceSelector): Promise<{ devices: ManagedDevice[]; unknownSerials: string[] }> {
    const wanted: string[] = [...(selector.serialNumbers ?? [])];
    for (const g of selector.groupIds ?? []) wanted.push(...(await this.groupMembers(orgId, g)));
    const families = selector.families ?? [];
    for (const f of families) {
      if (!(DEVICE_FAMILIES as readonly string[]).includes(f)) throw invalid('family_invalid', `unknown device family ${f}`);
    }
    const serials = [...new Set(wanted)];
    const enrolled = await this.store.enrollments.enrolledDevicesBySerial(orgId, serials);
    const bySerial = new Map(enrolled.map((e) => [e.serialNumber!, e]));
    const devices: ManagedDevice[] = [];
    const unknownSerials: string[] = [];
    const seen = new Set<string>();
    const add = (list: Array<{ e: Enrollment; family?: DeviceFamily }>, keep: (d: ManagedDevice) => boolean) => {
      for (const { e, family } of list) {
        const d = this.managed(e, family);
        if (!d) unknownSerials.push(e.serialNumber ?? e.id);
        else if (keep(d) && !seen.has(d.serialNumber)) {
          seen.add(d.serialNumber);
          devices.push(d);
        }
      }
    };
    const abm = await this.abmFamilies(orgId, serials);
    for (const s of serials) {
      const e = bySerial.get(s);
      if (e) add([{ e, family: abm.get(s) }], () => true);
      else unknownSerials.push(s);
    }
    if (families.length) {
      const all = (await this.store.enrollments.enrolledDevices(orgId)).filter((e) => e.serialNumber && !seen.has(e.serialNumber));
      const fam = await this.abmFamilies(orgId, all.map((e) => e.serialNumber!));
      add(all.map((e) => ({ e, family: fam.get(e.serialNumber!) })), (d) => families.includes(d.family));
    }
    return { devices, unknownSerials: [...new Set(unknownSerials)] };
  }

  private managed(e: Enrollment, abmFamily?: DeviceFamily): ManagedDevice | undefined {
    const family = abmFamily ?? (e.family ? CONTENT_FAMILY[e.family] : undefined);
    if (!e.serialNumber || !family) return undefined;
    // An enrolment that never reported its OS cannot pass a minimum-version check: '0' refuses as os_too_old.
    return { serialNumber: e.serialNumber, family, osVersion: e.osVersion ?? '0' };
  }

  private async abmFamilies(orgId: string, serials: string[]): Promise<Map<string, DeviceFamily>> {
    const out = new Map<string, DeviceFamily>();
    for (let i = 0; i < serials.length; i += PAGE) {
      for (const d of await this.store.devices.getMany(orgId, serials.slice(i, i + PAGE))) out.set(d.serialNumber, d.family);
    }
    return out;
  }

  private async groupMembers(orgId: string, groupId: string): Promise<string[]> {
    const m = GROUP.exec(groupId);
    if (!m) throw invalid('group_id_invalid', `group ids are order:<order number> or server:<MDM server id>, not ${groupId.slice(0, 64)}`);
    if (m[1] === 'order') return this.store.devices.serialsOfOrders(orgId, [m[2]!]);
    const server = await this.store.mdmServers.get(m[2]!);
    if (!server || server.orgId !== orgId) throw invalid('group_not_found', `no MDM server ${m[2]!.slice(0, 64)} in this organisation`);
    const out: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await this.store.devices.list(orgId, { mdmServer: server.id, afterSerial: after, limit: PAGE });
      out.push(...page.map((d) => d.serialNumber));
      if (page.length < PAGE) return out;
      after = page[page.length - 1]!.serialNumber;
    }
  }
}

/** Wakes channels with an MDM push (the APNs sender); absent, devices pick commands up on their next poll. */
export type Waker = (targets: PushTarget[]) => Promise<void>;

export class MdmInstallQueue implements InstallQueue {
  constructor(private readonly store: Store, private readonly queue: CommandQueue, private readonly wake?: Waker) {}

  async enqueue(actor: Principal, target: { serialNumber?: string; clientUserId?: string }, command: MdmInstallCommand, opts: { notBefore?: Date }) {
    if (!target.serialNumber) return undefined; // a user licence with no device named: the user installs from the App Store
    const [device] = await this.store.enrollments.enrolledDevicesBySerial(actor.orgId, [target.serialNumber]);
    if (!device) return undefined;
    let channel = device.id;
    // Books on a Mac go to the signed-in user's channel (InstallMedia: user channel only on macOS).
    if (command.RequestType === 'InstallMedia' && device.platform === 'macOS') {
      const [user] = await this.store.enrollments.enrolledUsersOf(device.id);
      if (!user) return undefined;
      channel = user.id;
    }
    const out = await this.queue.enqueue(actor, { enrollmentIds: [channel], command, notBefore: opts.notBefore });
    if (this.wake && out.pushTargets.length) await this.wake(out.pushTargets);
    return out.commandUuid;
  }
}
