// ADE profiles: an MDM server defines them and assigns them to its devices (define-profile,
// assign-profile, clear-device-profile); the device's fetch of its profile at enrolment marks it
// `pushed`. Every change is recorded as a `modified` op, so the server's sync sees it. The DEP
// face and Orchard's built-in MDM server (issue 5) both call this service.
import type { Clock, Ids } from '../clock.js';
import type { AssignOutcome, DepProfile, DepProfileInput, DepProfileRepository } from '../store/dep-profiles.js';
import { notFound } from './errors.js';

export interface ProfileOwner {
  serverId: string;
  orgId: string;
}

export class DepProfileService {
  constructor(
    private readonly profiles: DepProfileRepository,
    private readonly clock: Clock,
    private readonly ids: Ids,
  ) {}

  /** Stores a profile (Apple's uuid form: 32 uppercase hex digits) and assigns it to `serials` at once. */
  async define(owner: ProfileOwner, input: DepProfileInput, serials: string[] = []) {
    const now = this.clock.now();
    const profile: DepProfile = { ...input, profileUuid: this.ids.hex(16).toUpperCase(), serverId: owner.serverId, orgId: owner.orgId, createdAt: now };
    const devices = serials.length ? await this.profiles.createAndAssign(profile, serials, now) : (await this.profiles.create(profile), {});
    return { profile, devices };
  }

  /** A profile the server defined; any other uuid is not found (fetch-profile). */
  async get(serverId: string, profileUuid: string): Promise<DepProfile> {
    const p = await this.profiles.get(profileUuid);
    if (!p || p.serverId !== serverId) throw notFound('profile', 'profile_not_found');
    return p;
  }

  /** Assigns one of the server's profiles to its devices; others are not accessible. */
  async assign(serverId: string, profileUuid: string, serials: string[]): Promise<Record<string, AssignOutcome>> {
    const p = await this.profiles.get(profileUuid);
    if (!p || p.serverId !== serverId) throw notFound('profile', 'profile_not_found');
    return this.profiles.assign(serverId, profileUuid, serials, this.clock.now());
  }

  /** Removes the profile from the server's devices (only `profileUuid` when given). */
  remove(serverId: string, serials: string[], profileUuid?: string): Promise<Record<string, AssignOutcome>> {
    return this.profiles.remove(serverId, serials, profileUuid, this.clock.now());
  }

  /**
   * The device fetched its assigned profile (enrolment, issue 5): status `pushed`, push time now,
   * a `modified` op for its server. Undefined when the device has no profile or no server.
   */
  markPushed(serialNumber: string, at: Date = this.clock.now()) {
    return this.profiles.markPushed(serialNumber, at);
  }

  /** The profile to hand a device, for the enrolment face. */
  profile(profileUuid: string): Promise<DepProfile | undefined> {
    return this.profiles.get(profileUuid);
  }
}
