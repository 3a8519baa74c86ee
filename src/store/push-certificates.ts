import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';

export interface PushCertificateRecord {
  orgId: string;
  topic: string;
  certificatePem: string;
  keySealed: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  uploadedAt: Date;
  uploadedBy: string;
  /** APNs' last certificate-level refusal (403, BadTopic …); a new certificate clears it. */
  lastError?: PushCertificateError;
}

export interface PushCertificateError {
  status: number;
  reason: string;
  at: Date;
  /** A 403: Orchard stops pushing for the organisation until a certificate is installed. */
  blocking: boolean;
}

export interface PushCertificateRepository {
  get(orgId: string): Promise<PushCertificateRecord | undefined>;
  /** Installs (or renews) the certificate; clears a pending request key. */
  put(rec: PushCertificateRecord): Promise<void>;
  setPendingKey(orgId: string, keySealed: string, at: Date): Promise<void>;
  pendingKey(orgId: string): Promise<{ keySealed: string; since: Date } | undefined>;
  listActive(): Promise<PushCertificateRecord[]>;
  /** Records APNs' refusal against the installed certificate (only if `serialNumber` is still the one installed). */
  setError(orgId: string, serialNumber: string, err: PushCertificateError): Promise<void>;
}

type Row = Record<string, any>;
const toRecord = (r: Row): PushCertificateRecord => ({
  orgId: r.org_id, topic: r.topic, certificatePem: r.certificate_pem, keySealed: r.key_sealed, serialNumber: r.serial_number,
  notBefore: new Date(r.not_before), notAfter: new Date(r.not_after), uploadedAt: new Date(r.uploaded_at), uploadedBy: r.uploaded_by,
  ...(r.last_error_reason ? { lastError: { status: r.last_error_status, reason: r.last_error_reason, at: new Date(r.last_error_at), blocking: !!r.last_error_blocking } } : {}),
});

export class SqlitePushCertificateRepository implements PushCertificateRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT * FROM push_certificates WHERE org_id = ? AND certificate_pem IS NOT NULL'),
      put: db.prepare(`INSERT INTO push_certificates (org_id, topic, certificate_pem, key_sealed, serial_number, not_before, not_after, uploaded_at, uploaded_by)
        VALUES (@orgId, @topic, @certificatePem, @keySealed, @serialNumber, @notBefore, @notAfter, @uploadedAt, @uploadedBy)
        ON CONFLICT (org_id) DO UPDATE SET topic = excluded.topic, certificate_pem = excluded.certificate_pem, key_sealed = excluded.key_sealed,
          serial_number = excluded.serial_number, not_before = excluded.not_before, not_after = excluded.not_after,
          uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by, pending_key_sealed = NULL, pending_since = NULL,
          last_error_status = NULL, last_error_reason = NULL, last_error_at = NULL, last_error_blocking = 0`),
      pending: db.prepare(`INSERT INTO push_certificates (org_id, pending_key_sealed, pending_since) VALUES (?, ?, ?)
        ON CONFLICT (org_id) DO UPDATE SET pending_key_sealed = excluded.pending_key_sealed, pending_since = excluded.pending_since`),
      getPending: db.prepare('SELECT pending_key_sealed, pending_since FROM push_certificates WHERE org_id = ? AND pending_key_sealed IS NOT NULL'),
      active: db.prepare('SELECT * FROM push_certificates WHERE certificate_pem IS NOT NULL'),
      setError: db.prepare(`UPDATE push_certificates SET last_error_status = @status, last_error_reason = @reason, last_error_at = @at,
          last_error_blocking = @blocking WHERE org_id = @orgId AND serial_number = @serialNumber`),
    };
  }
  async get(orgId: string) {
    const r = this.s.get.get(orgId) as Row | undefined;
    return r && toRecord(r);
  }
  async put(rec: PushCertificateRecord) {
    this.s.put.run({ ...rec, notBefore: toDb(rec.notBefore), notAfter: toDb(rec.notAfter), uploadedAt: toDb(rec.uploadedAt) });
  }
  async setPendingKey(orgId: string, keySealed: string, at: Date) {
    this.s.pending.run(orgId, keySealed, toDb(at));
  }
  async pendingKey(orgId: string) {
    const r = this.s.getPending.get(orgId) as Row | undefined;
    return r ? { keySealed: r.pending_key_sealed as string, since: fromDbOpt(r.pending_since)! } : undefined;
  }
  async listActive() {
    return (this.s.active.all() as Row[]).map(toRecord);
  }
  async setError(orgId: string, serialNumber: string, err: PushCertificateError) {
    this.s.setError.run({ orgId, serialNumber, status: err.status, reason: err.reason, at: toDb(err.at), blocking: err.blocking ? 1 : 0 });
  }
}
