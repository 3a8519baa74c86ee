// One-time SCEP challenges, kept as SHA-256 hashes. `consume` is one UPDATE … RETURNING, so two
// requests racing with the same challenge cannot both win.
import type { Db } from './db.js';
import { fromDb, fromDbOpt, toDb } from './db.js';

export type ChallengePurpose = 'dep' | 'web' | 'manual';

export interface ScepChallenge {
  challengeSha256: string;
  orgId: string;
  purpose: ChallengePurpose;
  serialNumber?: string;
  udid?: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  issuedCertSha256?: string;
}

export interface ScepChallengeRepository {
  create(c: Omit<ScepChallenge, 'usedAt' | 'issuedCertSha256'>): Promise<void>;
  /** Marks the challenge used at `at` if it exists, is unused and unexpired; returns it, or undefined. */
  consume(challengeSha256: string, at: Date): Promise<ScepChallenge | undefined>;
  /** Records which certificate a consumed challenge produced. */
  recordIssued(challengeSha256: string, certSha256: string): Promise<void>;
  get(challengeSha256: string): Promise<ScepChallenge | undefined>;
  /** Deletes challenges that expired before `before`; returns how many. */
  purgeExpired(before: Date): Promise<number>;
}

type Row = Record<string, any>;
const toChallenge = (r: Row): ScepChallenge => ({
  challengeSha256: r.challenge_sha256, orgId: r.org_id, purpose: r.purpose,
  serialNumber: r.serial_number ?? undefined, udid: r.udid ?? undefined,
  createdAt: fromDb(r.created_at), expiresAt: fromDb(r.expires_at), usedAt: fromDbOpt(r.used_at),
  issuedCertSha256: r.issued_cert_sha256 ?? undefined,
});

export class SqliteScepChallengeRepository implements ScepChallengeRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO scep_challenges (challenge_sha256, org_id, purpose, serial_number, udid, created_at, expires_at)
        VALUES (@challengeSha256, @orgId, @purpose, @serialNumber, @udid, @createdAt, @expiresAt)`),
      consume: db.prepare(`UPDATE scep_challenges SET used_at = @at
        WHERE challenge_sha256 = @hash AND used_at IS NULL AND expires_at > @at RETURNING *`),
      issued: db.prepare('UPDATE scep_challenges SET issued_cert_sha256 = ? WHERE challenge_sha256 = ?'),
      get: db.prepare('SELECT * FROM scep_challenges WHERE challenge_sha256 = ?'),
      purge: db.prepare('DELETE FROM scep_challenges WHERE expires_at < ?'),
    };
  }
  async create(c: Omit<ScepChallenge, 'usedAt' | 'issuedCertSha256'>) {
    this.s.insert.run({
      challengeSha256: c.challengeSha256, orgId: c.orgId, purpose: c.purpose, serialNumber: c.serialNumber ?? null,
      udid: c.udid ?? null, createdAt: toDb(c.createdAt), expiresAt: toDb(c.expiresAt),
    });
  }
  async consume(challengeSha256: string, at: Date) {
    const r = this.s.consume.get({ hash: challengeSha256, at: toDb(at) }) as Row | undefined;
    return r && toChallenge(r);
  }
  async recordIssued(challengeSha256: string, certSha256: string) {
    this.s.issued.run(certSha256, challengeSha256);
  }
  async get(challengeSha256: string) {
    const r = this.s.get.get(challengeSha256) as Row | undefined;
    return r && toChallenge(r);
  }
  async purgeExpired(before: Date) {
    return this.s.purge.run(toDb(before)).changes;
  }
}
