// Invitations (issue 16): one-time links to set a new account's password. Only the token's hash
// is stored. Issuing revokes the account's pending link and writes the invitation's mail row in
// the same transaction; accepting marks the link used and sets the password in one transaction.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import type { Account, SqliteAccountRepository } from './accounts.js';
import type { OutboxMail, SqliteOutboxRepository } from './outbox.js';

export interface Invitation {
  id: string;
  accountId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  revokedAt?: Date;
}

export type AcceptOutcome = 'accepted' | 'used' | 'revoked' | 'expired' | 'unknown';

export interface InvitationRepository {
  /**
   * Revokes the account's pending invitation, stores the new one and its mail, all or nothing;
   * with `newAccount`, the account is created in the same transaction.
   */
  issue(inv: Invitation, tokenHash: string, mail: OutboxMail, newAccount?: Account): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /** The account's invitation that can still be used, if any. */
  pendingFor(accountId: string, at: Date): Promise<Invitation | undefined>;
  /**
   * Uses the invitation: if it is still pending at `at`, marks it used, sets the account's password
   * hash and ends its sessions, in one transaction; otherwise says why not and changes nothing.
   */
  accept(tokenHash: string, passwordHash: string, at: Date): Promise<AcceptOutcome>;
}

type Row = Record<string, any>;
const toInvitation = (r: Row): Invitation => ({
  id: r.id, accountId: r.account_id, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at),
  usedAt: fromDbOpt(r.used_at), revokedAt: fromDbOpt(r.revoked_at),
});

export class SqliteInvitationRepository implements InvitationRepository {
  private readonly s;
  constructor(private readonly db: Db, private readonly outbox: SqliteOutboxRepository, private readonly accounts: SqliteAccountRepository) {
    this.s = {
      revokePending: db.prepare('UPDATE invitations SET revoked_at = ? WHERE account_id = ? AND used_at IS NULL AND revoked_at IS NULL'),
      insert: db.prepare(`INSERT INTO invitations (id, account_id, token_hash, created_at, expires_at)
        VALUES (@id, @accountId, @tokenHash, @createdAt, @expiresAt)`),
      byHash: db.prepare('SELECT * FROM invitations WHERE token_hash = ?'),
      pending: db.prepare(`SELECT * FROM invitations WHERE account_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
        ORDER BY created_at DESC LIMIT 1`),
      use: db.prepare('UPDATE invitations SET used_at = ? WHERE id = ?'),
      setPassword: db.prepare('UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?'),
      endSessions: db.prepare('DELETE FROM portal_sessions WHERE account_id = ?'),
    };
  }
  async issue(inv: Invitation, tokenHash: string, mail: OutboxMail, newAccount?: Account) {
    this.db.transaction(() => this.issueSync(inv, tokenHash, mail, newAccount)).immediate();
  }
  /** issue inside the caller's transaction (the upgrade import's invitations). */
  issueSync(inv: Invitation, tokenHash: string, mail: OutboxMail, newAccount?: Account) {
    if (newAccount) this.accounts.insertSync(newAccount);
    this.s.revokePending.run(toDb(inv.createdAt), inv.accountId);
    this.s.insert.run({ id: inv.id, accountId: inv.accountId, tokenHash, createdAt: toDb(inv.createdAt), expiresAt: toDb(inv.expiresAt) });
    this.outbox.insertSync(mail);
  }
  async findByTokenHash(tokenHash: string) {
    const r = this.s.byHash.get(tokenHash) as Row | undefined;
    return r && toInvitation(r);
  }
  async pendingFor(accountId: string, at: Date) {
    const r = this.s.pending.get(accountId, toDb(at)) as Row | undefined;
    return r && toInvitation(r);
  }
  async accept(tokenHash: string, passwordHash: string, at: Date): Promise<AcceptOutcome> {
    return this.db.transaction((): AcceptOutcome => {
      const r = this.s.byHash.get(tokenHash) as Row | undefined;
      if (!r) return 'unknown';
      if (r.used_at) return 'used';
      if (r.revoked_at) return 'revoked';
      if (new Date(r.expires_at) <= at) return 'expired';
      this.s.use.run(toDb(at), r.id);
      this.s.setPassword.run(passwordHash, toDb(at), r.account_id);
      this.s.endSessions.run(r.account_id);
      return 'accepted';
    }).immediate();
  }
}
