// One-time SCEP challenges (RFC 8894 §2.3): random, handed out in a profile's SCEP payload,
// stored only as a SHA-256, consumed once, expiring after an hour by default.
import { randomHex, sha256Hex } from '../../crypto/random.js';
import type { Clock } from '../../clock.js';
import type { ChallengePurpose, ScepChallengeRepository } from '../../store/scep-challenges.js';

export const CHALLENGE_TTL_MS = 60 * 60 * 1000;

export interface ChallengeBinding {
  orgId: string;
  purpose: ChallengePurpose;
  serialNumber?: string;
  udid?: string;
}

export class ChallengeIssuer {
  constructor(private readonly repo: ScepChallengeRepository, private readonly clock: Clock, private readonly ttlMs = CHALLENGE_TTL_MS) {}

  /** A fresh challenge bound to `binding`; the plain value leaves only inside the profile. */
  async issue(binding: ChallengeBinding): Promise<{ challenge: string; expiresAt: Date }> {
    // Hex: every client can carry it as a PrintableString (RFC 2985 §5.4.1 DirectoryString).
    const challenge = randomHex(20);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.repo.create({ challengeSha256: sha256Hex(challenge), ...binding, createdAt: now, expiresAt });
    return { challenge, expiresAt };
  }
}
