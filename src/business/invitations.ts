// Invitations (issue 16): a new account without a password gets an email (the outbox) with a
// one-time link to set it. The link carries a random token (only its hash is stored), expires
// after 7 days and dies when an admin resends the invitation or once it is used. The password
// policy is password-policy.ts's; the sign-in after it is the ordinary one (lock-out, sessions).
// Every refused link (unknown, used, revoked, expired) is audited.
import { randomBytes } from 'node:crypto';
import type { Clock, Ids } from '../clock.js';
import { DAY_MS } from '../clock.js';
import { hashPassword } from '../crypto/passwords.js';
import type { Account } from '../store/accounts.js';
import type { Store } from '../store/index.js';
import type { AcceptOutcome, Invitation } from '../store/invitations.js';
import type { OutboxMail } from '../store/outbox.js';
import { tokenHash } from './accounts.js';
import { conflict, DomainError, invalid } from './errors.js';
import type { Outbox } from './outbox.js';
import { acceptablePassword } from './password-policy.js';

export const INVITATION_TTL_MS = 7 * DAY_MS;

/** Where the link of an invitation points: the portal's page, which posts the token to /api/v1/invitations/accept. */
export const invitationLink = (baseUrl: string, token: string) => `${baseUrl}/portal/invitation#token=${token}`;

type Refusal = Exclude<AcceptOutcome, 'accepted'> | 'inactive';
const REFUSALS: Record<Refusal, { code: string; message: string }> = {
  inactive: { code: 'account_inactive', message: 'this account is deactivated: ask an administrator' },
  unknown: { code: 'invitation_invalid', message: 'this invitation link is not valid: ask an administrator to send a new one' },
  used: { code: 'invitation_used', message: 'this invitation link was already used: sign in with your password, or ask an administrator for a new link' },
  revoked: { code: 'invitation_revoked', message: 'a newer invitation was sent for this account: use the link of the latest email' },
  expired: { code: 'invitation_expired', message: 'this invitation link has expired (links last 7 days): ask an administrator to send a new one' },
};

export class InvitationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly outbox: Outbox,
    private readonly baseUrl: string,
  ) {}

  /**
   * Invites `account` (its pending link revoked): the invitation, its mail row and, for a new
   * account, the account itself are written in one transaction; the .eml file follows.
   */
  async invite(account: Account, orgName: string, opts: { create?: boolean } = {}): Promise<Invitation> {
    const { invitation, tokenHash: hash, mail } = await this.compose(account, orgName);
    await this.store.invitations.issue(invitation, hash, mail, opts.create ? account : undefined);
    this.outbox.deliver(mail);
    return invitation;
  }

  /**
   * An invitation and its mail, composed and not written: for a caller that writes them in its
   * own transaction (the upgrade import: store.invitations.issueSync), then calls `delivered`.
   */
  async compose(account: Account, orgName: string): Promise<{ invitation: Invitation; tokenHash: string; mail: OutboxMail }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const invitation: Invitation = { id: this.ids.uuid(), accountId: account.id, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) };
    const link = invitationLink(this.baseUrl, token);
    const name = [account.givenName, account.familyName].filter(Boolean).join(' ') || account.email;
    const mail = await this.outbox.prepare({
      to: account.contactEmail ?? account.email, kind: 'invitation', organisation_id: account.orgId,
      subject: `You are invited to ${orgName} on Orchard`,
      text: [
        `Hello ${name},`, '',
        `${orgName} created an account for you on Orchard. Your Managed Apple ID is ${account.email}.`, '',
        'Set your password with this link (it works once and expires in 7 days):', link, '',
        'If you did not expect this email, you can ignore it.',
      ].join('\n'),
    });
    return { invitation, tokenHash: tokenHash(token), mail };
  }

  /** Writes the .eml file of a composed invitation once its transaction has committed. */
  delivered(mail: OutboxMail): void {
    this.outbox.deliver(mail);
  }

  /** An admin sends the invitation again; the previous link dies. Refused once a password is set. */
  async resend(account: Account): Promise<Invitation> {
    if (account.passwordHash) throw conflict('account_has_password', 'this account has set its password: reset it instead (POST /accounts/{id}/password)');
    if (!account.active) throw conflict('account_inactive', 'this account is deactivated: reactivate it first');
    const org = await this.store.organisations.get(account.orgId);
    return this.invite(account, org?.name ?? 'your organisation');
  }

  /**
   * Sets the password of the invited account. The policy is checked before the link is spent (a
   * weak password leaves the link usable); a used, revoked, expired or unknown link is refused
   * and audited, and changes nothing.
   */
  async accept(token: unknown, password: unknown, source?: string): Promise<Account> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) throw invalid('token_invalid', 'token must be the token of the invitation link', { field: 'token' });
    const hash = tokenHash(token);
    const inv = await this.store.invitations.findByTokenHash(hash);
    const account = inv && await this.store.accounts.get(inv.accountId);
    if (inv && account && !account.active) return this.refuse('inactive', account, source);
    const passwordHash = account ? await hashPassword(acceptablePassword(password, account.email)) : undefined;
    const outcome = passwordHash ? await this.store.invitations.accept(hash, passwordHash, this.clock.now()) : 'unknown';
    if (outcome !== 'accepted') return this.refuse(outcome, account, source);
    await this.store.audit.append({
      orgId: account!.orgId, actor: account!.id, actorEmail: account!.email, action: 'invitation_accept', target: account!.email, outcome: 'success',
      detail: { invitation_id: inv!.id, ...(source ? { source } : {}) }, at: this.clock.now(),
    });
    return (await this.store.accounts.get(account!.id))!;
  }

  private async refuse(outcome: Refusal, account: Account | undefined, source?: string): Promise<never> {
    const r = REFUSALS[outcome];
    await this.store.audit.append({
      orgId: account?.orgId, actor: 'anonymous', action: 'invitation_accept', target: account?.email, outcome: 'denied',
      detail: { reason: outcome, ...(source ? { source } : {}) }, at: this.clock.now(),
    });
    throw new DomainError(outcome === 'unknown' ? 'invalid' : 'conflict', r.code, r.message);
  }
}
