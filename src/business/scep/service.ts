// Orchard's SCEP service (RFC 8894): a CA that issues MDM identities to devices presenting a
// one-time challenge, and renews identities it issued. It answers with CertRep SUCCESS or
// FAILURE, never PENDING: issuance is immediate. Wire forms live in ./router.ts.
import type { Clock } from '../../clock.js';
import { createHash, type X509Certificate } from 'node:crypto';
import { fingerprintOf, issueCertificateDer, verifyIssuedBy } from '../../crypto/certificates.js';
import { parseCsr, type ParsedCsr } from '../../crypto/csr.js';
import { sha256Hex } from '../../crypto/random.js';
import { buildCertRep, parsePkiMessage, PkiMessageError, type FailInfo, type PkiMessage } from '../../crypto/scep-message.js';
import { CryptoError } from '../../crypto/types.js';
import type { Logger } from '../../log.js';
import type { Pki } from '../../pki.js';
import type { Store } from '../../store/index.js';

/** MDM identities live one year; devices renew them (RenewalReq) before they expire. */
export const IDENTITY_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** GetCACaps (§3.5.2): what this server supports, one keyword per line. */
export const CA_CAPS = ['POSTPKIOperation', 'SHA-256', 'SHA-1', 'AES', 'DES3', 'SCEPStandard', 'Renewal'];

/** A request the service refuses with a CertRep FAILURE (the client learns why from failInfo). */
class Refusal extends Error {
  constructor(readonly failInfo: FailInfo, message: string) {
    super(message);
  }
}

export interface ScepDeps {
  store: Store;
  pki: Pki;
  clock: Clock;
  logger: Logger;
}

export interface IssuedIdentityFacts {
  orgId: string;
  serialNumber?: string;
  udid?: string;
}

export class ScepService {
  constructor(private readonly d: ScepDeps) {}

  get caCertificate(): X509Certificate {
    return this.d.pki.ca.cert;
  }

  /**
   * Answers one pkiMessage with a DER CertRep. Throws CryptoError only when the message cannot
   * be authenticated at all (no verifiable signature), when no CertRep can be addressed (§3.3.2).
   */
  async pkiOperation(der: Buffer): Promise<Buffer> {
    let request: PkiMessage;
    try {
      request = parsePkiMessage(der, this.d.pki.ca);
    } catch (err) {
      // Signed but unopenable: the client still gets a FAILURE it can match to its transaction.
      if (err instanceof PkiMessageError) {
        return this.reply({ ...err.request, contentEncryption: err.request.contentEncryption ?? 'aes-128-cbc' }, new Refusal('badMessageCheck', err.message));
      }
      throw err;
    }
    try {
      const issued = await this.handle(request);
      return buildCertRep({ ca: this.d.pki.ca, request, status: 'SUCCESS', issued, signingTime: this.d.clock.now() });
    } catch (err) {
      if (err instanceof Refusal) return this.reply(request, err);
      throw err;
    }
  }

  private reply(request: PkiMessage, refusal: Refusal): Buffer {
    this.d.logger.info('scep request refused', { transactionID: request.transactionID, failInfo: refusal.failInfo, reason: refusal.message });
    return buildCertRep({ ca: this.d.pki.ca, request, status: 'FAILURE', failInfo: refusal.failInfo, signingTime: this.d.clock.now() });
  }

  /** The issued certificate's DER. */
  private async handle(request: PkiMessage): Promise<Buffer> {
    if (request.messageType !== 'PKCSReq' && request.messageType !== 'RenewalReq') {
      // CertPoll/GetCert/GetCRL: we never answer PENDING and publish no CRL.
      throw new Refusal('badRequest', `${request.messageType} is not supported`);
    }
    let csr: ParsedCsr;
    try {
      csr = parseCsr(request.csrDer!);
    } catch (err) {
      if (err instanceof CryptoError) throw new Refusal('badMessageCheck', err.message);
      throw err;
    }
    const facts = request.messageType === 'RenewalReq' ? await this.authoriseRenewal(request.signerCert) : await this.authoriseChallenge(csr);
    return this.issue(csr, facts);
  }

  /** PKCSReq: the challenge must be known, unused, unexpired, and match the device it was bound to. */
  private async authoriseChallenge(csr: ParsedCsr): Promise<IssuedIdentityFacts & { challengeSha256: string }> {
    if (!csr.challengePassword) throw new Refusal('badRequest', 'no challengePassword in the request');
    const hash = sha256Hex(csr.challengePassword);
    const known = await this.d.store.scepChallenges.get(hash);
    if (!known) throw new Refusal('badRequest', 'unknown challenge');
    // A challenge handed to one device (DEP, web flow) names it in the profile's Subject CN.
    if (known.udid && csr.subject.CN !== known.udid) throw new Refusal('badRequest', 'the challenge was issued to another device');
    const consumed = await this.d.store.scepChallenges.consume(hash, this.d.clock.now());
    if (!consumed) throw new Refusal('badRequest', 'the challenge was already used or has expired');
    return { orgId: consumed.orgId, serialNumber: consumed.serialNumber, udid: consumed.udid, challengeSha256: hash };
  }

  /** RenewalReq (§3.3.1.2): signed with a current identity this CA issued and recorded. */
  private async authoriseRenewal(old: X509Certificate): Promise<IssuedIdentityFacts> {
    const now = this.d.clock.now();
    if (!verifyIssuedBy(old, this.d.pki.ca.cert)) throw new Refusal('badMessageCheck', 'renewal not signed by an identity this CA issued');
    if (now > new Date(old.validTo)) throw new Refusal('badTime', 'the identity to renew has expired');
    const known = await this.d.store.mdmIdentities.get(fingerprintOf(old));
    if (!known) throw new Refusal('badCertID', 'the identity to renew is not one Orchard issued');
    return { orgId: known.orgId, serialNumber: known.serialNumber, udid: known.udid };
  }

  private async issue(csr: ParsedCsr, facts: IssuedIdentityFacts & { challengeSha256?: string }): Promise<Buffer> {
    const now = this.d.clock.now();
    const notAfter = new Date(now.getTime() + IDENTITY_LIFETIME_MS);
    // Kept as DER: it is recorded by fingerprint and sent, never read here (no X509Certificate parse).
    const cert = await issueCertificateDer({
      subject: csr.subject,
      publicKey: csr.publicKey,
      issuer: this.d.pki.ca,
      notBefore: new Date(now.getTime() - 5 * 60 * 1000),
      notAfter,
      // The MDM identity signs check-ins (Mdm-Signature) and authenticates TLS clients
      // (PROTOCOLS.md §3: "must allow TLS client auth").
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: ['clientAuth'],
    });
    const certSha256 = createHash('sha256').update(cert).digest('hex'); // = fingerprintOf(parsed)
    await this.d.store.mdmIdentities.recordIssuedIdentity({
      certSha256, orgId: facts.orgId, serialNumber: facts.serialNumber, udid: facts.udid, issuedAt: now, notAfter,
    });
    if (facts.challengeSha256) await this.d.store.scepChallenges.recordIssued(facts.challengeSha256, certSha256);
    return cert;
  }
}
