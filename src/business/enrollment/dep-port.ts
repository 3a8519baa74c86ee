// What enrolment needs from the Device Assignment side (issue 4): the ADE profile an MDM server
// assigned to a serial number, and marking it pushed once the device fetched its cloud
// configuration (visible to the server as profile_status `pushed` with profile_push_time).
import type { DepProfileService } from '../dep-profiles.js';
import type { DepProfile } from '../../store/dep-profiles.js';
import type { Store } from '../../store/index.js';

export type { DepProfile };

export interface AssignedProfile {
  orgId: string;
  serialNumber: string;
  serverId: string;
  /** Whether the server is Orchard's own MDM (the one /enroll/dep serves). */
  serverIsBuiltin: boolean;
  profile: DepProfile;
}

export class DepProfilePort {
  constructor(private readonly store: Pick<Store, 'builtinMdm'>, private readonly depProfiles: DepProfileService) {}

  /** The profile assigned to `serial` (status assigned or pushed), or undefined: not in ADE. */
  async assignedProfile(serialNumber: string): Promise<AssignedProfile | undefined> {
    const state = await this.store.builtinMdm.deviceState(serialNumber);
    if (!state?.serverId || !state.profileUuid || (state.profileStatus !== 'assigned' && state.profileStatus !== 'pushed')) return undefined;
    const profile = await this.depProfiles.profile(state.profileUuid);
    if (!profile || profile.serverId !== state.serverId) return undefined;
    return { orgId: state.orgId, serialNumber, serverId: state.serverId, serverIsBuiltin: state.serverIsBuiltin, profile };
  }

  async markPushed(serialNumber: string, at: Date): Promise<void> {
    await this.depProfiles.markPushed(serialNumber, at);
  }
}
