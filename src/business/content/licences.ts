// Licence and Apps and Books user changes: each is one store transaction that runs the content
// domain's decision (licence-rules.ts) on the location's current rows and writes what it decides.
import type { Ids } from '../../clock.js';
import type { VppUser } from '../../store/content-library.js';
import type { AssetRef, AssociateMode, NewVppUser, Targets, VppEvent } from '../../store/content-licences.js';
import type { Store } from '../../store/index.js';
import { licenceDecisions as decide, type ApplyResult, type MoveOutcome } from './licence-rules.js';

export class LicenceService {
  constructor(private readonly store: Store, private readonly ids: Ids) {}

  private get repo() {
    return this.store.content.licences;
  }

  private readonly inviteCode = () => this.ids.hex(16);

  associate(orgId: string, locationId: string, assets: AssetRef[], t: Targets, at: Date, mode: AssociateMode): Promise<ApplyResult> {
    return this.repo.change(orgId, locationId, at, decide.associate(locationId, assets, t, mode));
  }

  disassociate(orgId: string, locationId: string, assets: AssetRef[], t: Targets, at: Date): Promise<ApplyResult> {
    return this.repo.change(orgId, locationId, at, decide.disassociate(locationId, assets, t));
  }

  /** Frees every revocable (app) licence of the targets. */
  revoke(orgId: string, locationId: string, t: Targets, at: Date): Promise<ApplyResult> {
    return this.repo.change(orgId, locationId, at, decide.revoke(locationId, t));
  }

  /** Moves one licence from a user to a device (user-to-device migration), keeping the count. */
  moveUserToDevice(orgId: string, locationId: string, asset: AssetRef, clientUserId: string, serialNumber: string, at: Date): Promise<MoveOutcome> {
    return this.repo.change(orgId, locationId, at, decide.moveUserToDevice(locationId, asset, clientUserId, serialNumber));
  }

  createUsers(orgId: string, locationId: string, users: NewVppUser[], at: Date): Promise<ApplyResult> {
    return this.repo.change(orgId, locationId, at, decide.createUsers(locationId, users, this.inviteCode));
  }

  updateUsers(orgId: string, locationId: string, users: NewVppUser[], at: Date): Promise<ApplyResult> {
    return this.repo.change(orgId, locationId, at, decide.updateUsers(users));
  }

  retireUsers(orgId: string, locationId: string, clientUserIds: string[], at: Date): Promise<ApplyResult> {
    return this.repo.change(orgId, locationId, at, decide.retireUsers(locationId, clientUserIds));
  }

  /** A user accepted the invitation: bound to a personal Apple Account known only by its hash. Answers the user as now stored. */
  async acceptInvitation(inviteCode: string, idHash: string, at: Date): Promise<VppUser | undefined> {
    const accepted = await this.repo.changeByInviteCode(inviteCode, at, decide.acceptInvitation(idHash));
    return accepted && this.store.content.library.getUser(accepted.locationId, accepted.clientUserId);
  }

  /** Applies a PENDING event and records COMPLETE/FAILED with its counts, in one transaction. */
  processEvent(id: string, at: Date): Promise<VppEvent | undefined> {
    return this.repo.processEvent(id, at, decide.event(this.inviteCode));
  }
}
