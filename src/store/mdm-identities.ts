// MDM identity certificates issued by Orchard (through SCEP) and the organisation each belongs
// to. The MDM face reads it at Authenticate: a signer certificate with no row here is refused.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';

export interface IssuedIdentity {
  /** Lowercase hex SHA-256 of the certificate's DER. */
  certSha256: string;
  orgId: string;
  serialNumber?: string;
  udid?: string;
  issuedAt: Date;
  notAfter?: Date;
}

export interface MdmIdentityRepository {
  /** Records an identity Orchard issued; a repeat of the same certificate overwrites it. */
  recordIssuedIdentity(identity: IssuedIdentity): Promise<void>;
  get(certSha256: string): Promise<IssuedIdentity | undefined>;
}

type Row = Record<string, any>;
const toIdentity = (r: Row): IssuedIdentity => ({
  certSha256: r.cert_sha256, orgId: r.org_id, serialNumber: r.serial_number ?? undefined, udid: r.udid ?? undefined,
  issuedAt: new Date(r.issued_at), notAfter: fromDbOpt(r.not_after),
});

export class SqliteMdmIdentityRepository implements MdmIdentityRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      upsert: db.prepare(`INSERT INTO mdm_identities (cert_sha256, org_id, serial_number, udid, issued_at, not_after)
        VALUES (@certSha256, @orgId, @serialNumber, @udid, @issuedAt, @notAfter)
        ON CONFLICT (cert_sha256) DO UPDATE SET org_id = excluded.org_id, serial_number = excluded.serial_number,
          udid = excluded.udid, issued_at = excluded.issued_at, not_after = excluded.not_after`),
      get: db.prepare('SELECT * FROM mdm_identities WHERE cert_sha256 = ?'),
    };
  }
  async recordIssuedIdentity(i: IssuedIdentity) {
    this.s.upsert.run({
      certSha256: i.certSha256.toLowerCase(), orgId: i.orgId, serialNumber: i.serialNumber ?? null, udid: i.udid ?? null,
      issuedAt: toDb(i.issuedAt), notAfter: i.notAfter ? toDb(i.notAfter) : null,
    });
  }
  /** Synchronous lookup for the device-facing hot path (same contract as `get`). */
  getSync(certSha256: string): IssuedIdentity | undefined {
    const r = this.s.get.get(certSha256) as Row | undefined;
    return r && toIdentity(r);
  }
  async get(certSha256: string) {
    return this.getSync(certSha256);
  }
}
