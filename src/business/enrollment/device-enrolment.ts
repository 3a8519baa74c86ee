// The device-facing steps of Automated Device Enrolment: the cloud configuration (Orchard's
// stand-in for Apple's activation service, PROTOCOLS.md §0), the MachineInfo POST to the
// profile `url`, and the web-view sign-in at `configuration_web_url` (§1). Every request is
// signed by a device identity from Orchard's device attestation CA and must speak for the
// device that signed it; a refused request records nothing.
import type { Clock } from '../../clock.js';
import { cmsSign } from '../../crypto/cms.js';
import { DomainError } from '../errors.js';
import { buildPlist, type PlistDict } from '../../plist/index.js';
import type { Pki } from '../../pki.js';
import type { Store } from '../../store/index.js';
import type { Organisation } from '../../store/organisations.js';
import type { AccountService } from '../accounts.js';
import type { DepProfileService } from '../dep-profiles.js';
import type { OrganisationService } from '../organisations.js';
import { cloudConfiguration } from './cloud-config.js';
import { DepProfilePort, type AssignedProfile } from './dep-port.js';
import { assertSameDevice, verifyDeviceSigned } from './device-attestation.js';
import type { DeviceFacts, EnrollmentService } from './profile-service.js';

/** A refusal with its HTTP status and a stable code (the body the device gets). */
export class EnrolmentRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface DeviceEnrolmentDeps {
  store: Pick<Store, 'builtinMdm' | 'accounts'>;
  services: { organisations: OrganisationService; depProfiles: DepProfileService; accounts: Pick<AccountService, 'checkSignIn'> };
  pki: Pick<Pki, 'deviceAttestationCa' | 'signing'>;
  clock: Clock;
  /** Builds and records the signed enrolment profiles this hands out. */
  enrollment: EnrollmentService;
}

export interface VerifiedDevice extends DeviceFacts {
  plist: PlistDict;
}

export class DeviceEnrolment {
  private readonly dep: DepProfilePort;
  constructor(private readonly d: DeviceEnrolmentDeps) {
    this.dep = new DepProfilePort(d.store, d.services.depProfiles);
  }

  /** Signature, chain to the device attestation CA, and SERIAL/UDID = the certified device. */
  verify(body: Buffer): VerifiedDevice {
    const signed = verifyDeviceSigned(body, [this.d.pki.deviceAttestationCa.cert], this.d.clock.now());
    const { serial, udid } = assertSameDevice(signed, signed.plist.SERIAL, signed.plist.UDID);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { serialNumber: serial, udid, product: str(signed.plist.PRODUCT), osBuild: str(signed.plist.VERSION), plist: signed.plist };
  }

  /**
   * The device's cloud configuration, CMS-signed by Orchard's signing identity, or undefined
   * when no MDM server assigned it a profile ("not enrolled"). Marks the profile pushed.
   */
  async cloudConfiguration(body: Buffer): Promise<{ enrolled: true; signed: Buffer } | { enrolled: false; signed: Buffer }> {
    const device = this.verify(body);
    const now = this.d.clock.now();
    const assigned = (await this.dep.assignedProfile(device.serialNumber)) ?? (await this.builtinDefault(device.serialNumber));
    if (!assigned) {
      return { enrolled: false, signed: this.sign({ Error: 'DeviceNotEnrolled', ErrorDescription: 'This device is not assigned to a device management service.' }, now) };
    }
    const org = await this.d.services.organisations.get(assigned.orgId);
    const config = cloudConfiguration(assigned.profile, org);
    await this.dep.markPushed(device.serialNumber, now);
    return { enrolled: true, signed: this.sign(config, now) };
  }

  /**
   * Orchard's MDM does what an MDM server does on its next device sync: a device assigned to it
   * that has no profile yet (status `empty`) gets its default ADE profile. A profile the server
   * removed (`removed`) stays removed.
   */
  private async builtinDefault(serial: string): Promise<AssignedProfile | undefined> {
    const state = await this.d.store.builtinMdm.deviceState(serial);
    if (!state?.serverId || !state.serverIsBuiltin || state.profileStatus !== 'empty') return undefined;
    const builtin = await this.d.store.builtinMdm.find(state.orgId);
    if (!builtin || builtin.serverId !== state.serverId) return undefined;
    await this.d.services.depProfiles.assign(builtin.serverId, builtin.profileUuid, [serial]);
    return this.dep.assignedProfile(serial);
  }

  private sign(plist: PlistDict, now: Date): Buffer {
    return cmsSign(Buffer.from(buildPlist(plist), 'utf8'), this.d.pki.signing, { signingTime: now });
  }

  /** The device must be assigned, with a profile, to Orchard's own MDM server. */
  private async assignedToUs(device: VerifiedDevice): Promise<AssignedProfile> {
    const assigned = await this.dep.assignedProfile(device.serialNumber);
    if (!assigned) throw new EnrolmentRefusal(403, 'DEVICE_NOT_ASSIGNED', 'this device has no enrolment profile assigned');
    if (!assigned.serverIsBuiltin) throw new EnrolmentRefusal(403, 'DEVICE_NOT_ASSIGNED', 'this device is assigned to another MDM server');
    return assigned;
  }

  /** POST <url>: signed MachineInfo → the signed enrolment profile. */
  async machineInfo(body: Buffer): Promise<Buffer> {
    const device = this.verify(body);
    const assigned = await this.assignedToUs(device);
    // The profile asks for sign-in first: the device must come through configuration_web_url.
    if (assigned.profile.configurationWebUrl) {
      throw new EnrolmentRefusal(403, 'AUTHENTICATION_REQUIRED', 'sign in through the configuration web URL first');
    }
    return this.d.enrollment.signedProfile({
      orgId: assigned.orgId, kind: 'dep', device, removalDisallowed: !assigned.profile.isMdmRemovable,
    });
  }

  /** GET configuration_web_url: who is asking, and the organisation whose page to show. */
  async webStart(deviceInfo: Buffer): Promise<{ device: VerifiedDevice; org: Organisation }> {
    const device = this.verify(deviceInfo);
    const assigned = await this.assignedToUs(device);
    return { device, org: await this.d.services.organisations.get(assigned.orgId) };
  }

  /** POST of the sign-in form: a Managed Apple ID of the device's organisation, then the profile. */
  async webSignIn(deviceInfo: Buffer, email: string, password: string, source?: string): Promise<Buffer> {
    const device = this.verify(deviceInfo);
    const assigned = await this.assignedToUs(device);
    // The same check (and lock-out) as the portal's sign-in, limited to the device's organisation.
    const account = await this.d.services.accounts.checkSignIn(email, password, source, assigned.orgId).catch((err) => {
      if (err instanceof DomainError && err.code === 'sign_in_locked') throw new EnrolmentRefusal(401, 'SIGN_IN_LOCKED', err.message);
      if (err instanceof DomainError && err.kind === 'unauthenticated') throw new EnrolmentRefusal(401, 'SIGN_IN_FAILED', 'wrong Managed Apple ID or password');
      throw err;
    });
    return this.d.enrollment.signedProfile({
      orgId: assigned.orgId, kind: 'web', device, accountId: account.id, removalDisallowed: !assigned.profile.isMdmRemovable,
    });
  }
}
