// A registered Apps and Books user accepts the invitation with a personal Apple Account. Orchard
// keeps only a hash of that account (Apple's idHash), so the organisation never learns it.
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { VppUser } from '../../store/content-library.js';
import type { Store } from '../../store/index.js';
import { invalid, notFound } from '../errors.js';
import type { LicenceService } from './licences.js';

export class InvitationService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly licences: LicenceService) {}

  async accept(inviteCode: string, appleAccount: string): Promise<VppUser> {
    const account = String(appleAccount ?? '').trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(account)) throw invalid('apple_account_invalid', 'an Apple Account is an email address');
    const pending = inviteCode ? await this.store.content.library.userByInviteCode(String(inviteCode)) : undefined;
    if (!pending || pending.status !== 'Registered') throw notFound('invitation', 'invitation_not_found');
    const library = (await this.store.content.library.get(pending.locationId))!;
    // Salted with the library's uId: the same person has unrelated idHashes in two libraries.
    const idHash = createHash('sha256').update(`${library.uid}:${account}`).digest('hex');
    const user = await this.licences.acceptInvitation(String(inviteCode), idHash, this.clock.now());
    if (!user) throw notFound('invitation', 'invitation_not_found');
    return user;
  }
}
