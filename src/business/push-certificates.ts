// The MDM push certificate of an organisation: Administrator uploads it (PKCS#12 with its
// password, or PEM certificate and key), Orchard reads its topic and expiry, keeps the key
// sealed at rest, warns before expiry, and refuses a renewal with another topic (every enrolled
// device would be lost). It also makes the push certificate request (CSR + vendor signature).
import { randomUUID, type KeyObject, type X509Certificate } from 'node:crypto';
import type { Clock } from '../clock.js';
import { DAY_MS } from '../clock.js';
import { buildPushCertRequest, readPushCertRequest } from '../apns/push-cert-request.js';
import { certificateFacts, certificatesFromPem, issueCertificate, parseCertificate, subjectUid, toPem } from '../crypto/certificates.js';
import { createCsr } from '../crypto/csr.js';
import { generateRsaKeyPair, keysMatch, keyToPem, privateKeyFromPem } from '../crypto/keys.js';
import { parsePkcs12 } from '../crypto/pkcs12.js';
import { openSealed, sealSecret } from '../crypto/random.js';
import { CryptoError, type Identity } from '../crypto/types.js';
import type { PushCertificateError, PushCertificateRecord, PushCertificateRepository } from '../store/push-certificates.js';
import { conflict, invalid, notFound } from './errors.js';

/** Days before expiry from which the admin is warned (Apple's portal e-mails about 30 days ahead). */
export const PUSH_EXPIRY_WARNING_DAYS = 30;
export const MDM_TOPIC_PREFIX = 'com.apple.mgmt.';
// Back-dated an hour, so that a peer whose clock lags a little accepts the certificate.
const HOUR_MS = 60 * 60 * 1000;

/**
 * Apple's push environment extensions (value NULL). Apple's MDM push certificates carry them;
 * @parse/node-apn refuses a certificate without the development one whenever `address` is set
 * (it then assumes the sandbox), and the local APNs checks the production one.
 */
export const APPLE_PUSH_EXTENSIONS = [
  { oid: '1.2.840.113635.100.6.3.1', value: Buffer.from([0x05, 0x00]) }, // development (sandbox)
  { oid: '1.2.840.113635.100.6.3.2', value: Buffer.from([0x05, 0x00]) }, // production
];

export type CertificateUpload =
  | { pkcs12: Buffer; password: string }
  | { certificatePem: string; privateKeyPem?: string };

export interface PushCertificateStatus {
  topic: string;
  subject: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  daysLeft: number;
  warning?: 'expiring' | 'expired';
  /** APNs' last certificate-level refusal since this certificate was installed. */
  lastError?: PushCertificateError;
}

export interface PushIdentity {
  topic: string;
  certPem: string;
  keyPem: string;
  notAfter: Date;
  /** Identifies this installation: a sender is rebuilt when it changes. */
  serialNumber: string;
  uploadedAt: Date;
  lastError?: PushCertificateError;
}

export class PushCertificateService {
  constructor(
    private readonly repo: PushCertificateRepository,
    private readonly clock: Clock,
    private readonly secretsKey: Buffer,
  ) {}

  private statusOf(rec: PushCertificateRecord): PushCertificateStatus {
    const now = this.clock.now().getTime();
    const daysLeft = Math.floor((rec.notAfter.getTime() - now) / DAY_MS);
    const cert = parseCertificate(rec.certificatePem);
    return {
      topic: rec.topic, subject: cert.subject.replace(/\n/g, ', '), serialNumber: rec.serialNumber, notBefore: rec.notBefore, notAfter: rec.notAfter, daysLeft,
      warning: rec.notAfter.getTime() <= now ? 'expired' : daysLeft < PUSH_EXPIRY_WARNING_DAYS ? 'expiring' : undefined,
      ...(rec.lastError ? { lastError: rec.lastError } : {}),
    };
  }

  async status(orgId: string): Promise<PushCertificateStatus | undefined> {
    const rec = await this.repo.get(orgId);
    return rec && this.statusOf(rec);
  }

  /** The topic devices of this organisation enrol with, if a push certificate is installed. */
  async topic(orgId: string): Promise<string | undefined> {
    return (await this.repo.get(orgId))?.topic;
  }

  /** The certificate and its unsealed key, for the push sender. */
  async identity(orgId: string): Promise<PushIdentity | undefined> {
    const rec = await this.repo.get(orgId);
    if (!rec) return undefined;
    return {
      topic: rec.topic, certPem: rec.certificatePem, keyPem: openSealed(rec.keySealed, this.secretsKey).toString('utf8'), notAfter: rec.notAfter,
      serialNumber: rec.serialNumber, uploadedAt: rec.uploadedAt, ...(rec.lastError ? { lastError: rec.lastError } : {}),
    };
  }

  /** Records APNs' refusal of the installed certificate (403 blocks pushing until a new one is installed). */
  async recordError(orgId: string, serialNumber: string, err: PushCertificateError): Promise<void> {
    await this.repo.setError(orgId, serialNumber, err);
  }

  /** Installs a push certificate (first time or renewal). Nothing changes unless every check passes. */
  async upload(orgId: string, actorEmail: string, input: CertificateUpload): Promise<PushCertificateStatus> {
    const { cert, key } = await this.readUpload(orgId, input);
    const topic = subjectUid(cert);
    if (!topic || !topic.startsWith(MDM_TOPIC_PREFIX)) {
      throw invalid('push_certificate_not_mdm', `the certificate's subject UID must be an MDM topic (${MDM_TOPIC_PREFIX}…); got ${topic ?? 'none'}`);
    }
    const facts = certificateFacts(cert);
    if (facts.keyType !== 'rsa') throw invalid('push_certificate_key', 'an MDM push certificate has an RSA key');
    const now = this.clock.now();
    if (facts.notAfter <= now) throw invalid('push_certificate_expired', `the certificate expired on ${facts.notAfter.toISOString()}`);
    if (!keysMatch(key, cert.publicKey)) throw invalid('push_certificate_key_mismatch', 'the private key does not belong to the certificate');
    const current = await this.repo.get(orgId);
    if (current && current.topic !== topic) {
      throw conflict('push_topic_changed', `renewal must keep the topic ${current.topic}; this certificate has ${topic}. Renew the existing certificate with the same Apple Account, or every enrolled device must enrol again`);
    }
    await this.repo.put({
      orgId, topic, certificatePem: toPem(cert), keySealed: sealSecret(keyToPem(key), this.secretsKey), serialNumber: facts.serialNumber,
      notBefore: facts.notBefore, notAfter: facts.notAfter, uploadedAt: now, uploadedBy: actorEmail,
    });
    return (await this.status(orgId))!;
  }

  private async readUpload(orgId: string, input: CertificateUpload): Promise<{ cert: X509Certificate; key: KeyObject }> {
    if ('pkcs12' in input) {
      const id = parsePkcs12(input.pkcs12, input.password ?? '');
      return { cert: id.cert, key: id.key };
    }
    const certs = certificatesFromPem(input.certificatePem ?? '');
    if (!certs.length) throw new CryptoError('malformed', 'certificate is not a PEM certificate');
    if (input.privateKeyPem) return { cert: certs[0]!, key: privateKeyFromPem(input.privateKeyPem) };
    const pending = await this.repo.pendingKey(orgId);
    if (!pending) throw invalid('private_key_required', 'send the private key, or create a push certificate request first so Orchard holds the key');
    return { cert: certs[0]!, key: privateKeyFromPem(openSealed(pending.keySealed, this.secretsKey).toString('utf8')) };
  }

  /**
   * Makes the push certificate request file: a new key (kept sealed here, pending) and its CSR,
   * signed by the MDM vendor's signing identity, in Apple's base64 plist format.
   */
  async createRequest(orgId: string, orgName: string, vendor: Identity): Promise<string> {
    const pair = await generateRsaKeyPair(2048);
    const csr = await createCsr({ subject: { CN: `Orchard MDM push (${orgName})`.slice(0, 64), O: orgName.slice(0, 64) }, privateKey: pair.privateKey, publicKey: pair.publicKey });
    const file = buildPushCertRequest(csr, vendor);
    await this.repo.setPendingKey(orgId, sealSecret(keyToPem(pair.privateKey), this.secretsKey), this.clock.now());
    return file;
  }

  /** Orchard's local stand-in for Apple's push certificates portal: issues from the local push CA. */
  async issueFromLocalPortal(requestFile: string, pushCa: Identity, renewTopic?: string): Promise<X509Certificate> {
    const req = readPushCertRequest(requestFile);
    const topic = renewTopic ?? `${MDM_TOPIC_PREFIX}External.${randomUUID()}`;
    const now = this.clock.now();
    return issueCertificate({
      subject: { UID: topic, CN: `APSP:${topic.split('.').pop()}`, C: 'US' }, publicKey: req.csr.publicKey, issuer: pushCa,
      notBefore: new Date(now.getTime() - HOUR_MS), notAfter: new Date(now.getTime() + 365 * DAY_MS), extendedKeyUsage: ['clientAuth'], keyUsage: ['digitalSignature', 'keyEncipherment'],
      extraExtensions: APPLE_PUSH_EXTENSIONS,
    });
  }

  /**
   * First start of the demo: a push certificate issued straight from the local push CA, with the
   * organisation's topic if it had one, else `topicIfNew` (the benchmarks' fixed topic), else a new one.
   */
  async installLocalCertificate(orgId: string, pushCa: Identity, topicIfNew?: string): Promise<PushCertificateStatus> {
    const existing = await this.repo.get(orgId);
    const pair = await generateRsaKeyPair(2048);
    const now = this.clock.now();
    const topic = existing?.topic ?? topicIfNew ?? `${MDM_TOPIC_PREFIX}External.${randomUUID()}`;
    const cert = await issueCertificate({
      subject: { UID: topic, CN: `APSP:${topic.split('.').pop()}`, C: 'US' }, publicKey: pair.publicKey, issuer: pushCa,
      notBefore: new Date(now.getTime() - HOUR_MS), notAfter: new Date(now.getTime() + 365 * DAY_MS), extendedKeyUsage: ['clientAuth'], keyUsage: ['digitalSignature', 'keyEncipherment'],
      extraExtensions: APPLE_PUSH_EXTENSIONS,
    });
    return this.upload(orgId, 'system', { certificatePem: toPem(cert), privateKeyPem: keyToPem(pair.privateKey) });
  }

  requireIdentity = async (orgId: string): Promise<PushIdentity> => {
    const id = await this.identity(orgId);
    if (!id) throw notFound('push certificate', 'push_certificate_missing');
    return id;
  };
}
