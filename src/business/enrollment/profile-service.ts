// Enrolment profiles for devices: built from the organisation, Orchard's URLs and push topic,
// with a one-time SCEP challenge (or, on request, a PKCS#12 identity), signed, and recorded.
import type { Clock, Ids } from '../../clock.js';
import { fingerprintOf, issueCertificate, type DistinguishedName } from '../../crypto/certificates.js';
import { generateRsaKeyPair } from '../../crypto/keys.js';
import { buildPkcs12 } from '../../crypto/pkcs12.js';
import { randomToken } from '../../crypto/random.js';
import { IDENTITY_LIFETIME_MS } from '../scep/service.js';
import { ChallengeIssuer } from '../scep/challenges.js';
import type { Pki } from '../../pki.js';
import type { PushTopicSource } from '../../push-topic.js';
import type { ProfileDelivery } from '../../store/enrollment-deliveries.js';
import type { Store } from '../../store/index.js';
import type { OrganisationService } from '../organisations.js';
import { buildEnrollmentProfile, signProfile, type IdentityPayload } from './profile.js';
import { orchardUrls } from './urls.js';

export interface DeviceFacts {
  serialNumber: string;
  udid: string;
  product?: string;
  osBuild?: string;
}

export interface ProfileRequest {
  orgId: string;
  kind: ProfileDelivery['kind'];
  /** Known for DEP and web enrolment: the SCEP challenge is bound to it. */
  device?: DeviceFacts;
  accountId?: string;
  identity?: 'scep' | 'pkcs12';
  removalDisallowed?: boolean;
}

export interface EnrollmentDeps {
  store: Pick<Store, 'scepChallenges' | 'enrollmentDeliveries' | 'mdmIdentities'>;
  services: { organisations: OrganisationService };
  pki: Pick<Pki, 'ca' | 'signing'>;
  /** The APNs topic enrolment profiles carry: the organisation's push certificate's. */
  pushTopic: PushTopicSource;
  clock: Clock;
  ids: Ids;
  /** Orchard's base URL, known once the ports listen (src/server.ts). */
  config: { baseUrl: string };
}

export class EnrollmentService {
  private readonly challenges: ChallengeIssuer;
  constructor(private readonly d: EnrollmentDeps) {
    this.challenges = new ChallengeIssuer(d.store.scepChallenges, d.clock);
  }

  /** A signed enrolment profile (DER CMS) for one device or one download, recorded as delivered. */
  async signedProfile(req: ProfileRequest): Promise<Buffer> {
    const org = await this.d.services.organisations.get(req.orgId);
    const urls = orchardUrls(this.d.config.baseUrl);
    const subject: DistinguishedName = { O: org.name, CN: req.device?.udid ?? `${org.name} managed device` };
    const identity: IdentityPayload = req.identity === 'pkcs12'
      ? await this.pkcs12Identity(req, subject)
      : {
          kind: 'scep', url: urls.scepUrl, subject,
          challenge: (await this.challenges.issue({
            orgId: req.orgId, purpose: req.kind, serialNumber: req.device?.serialNumber, udid: req.device?.udid,
          })).challenge,
        };
    const profile = buildEnrollmentProfile({
      organisationName: org.name,
      consentText: org.consentText || undefined,
      identifierPrefix: `com.orchard.${org.orgId}`,
      serverUrl: urls.serverUrl,
      checkInUrl: urls.checkInUrl,
      topic: await this.d.pushTopic.currentPushTopic(req.orgId),
      caCert: this.d.pki.ca.cert,
      identity,
      removalDisallowed: req.removalDisallowed,
      uuid: () => this.d.ids.uuid(),
    });
    const now = this.d.clock.now();
    const signed = signProfile(profile, this.d.pki.signing, now);
    await this.d.store.enrollmentDeliveries.record({
      orgId: req.orgId, kind: req.kind, serialNumber: req.device?.serialNumber, udid: req.device?.udid,
      product: req.device?.product, osBuild: req.device?.osBuild, accountId: req.accountId, deliveredAt: now,
    });
    return signed;
  }

  /**
   * Manual enrolment's other option: the identity made here and shipped inside the profile
   * (PKCS#12), for devices that cannot run SCEP. It costs a key generation per profile, which
   * is why SCEP (the key made on the device) is the default.
   */
  private async pkcs12Identity(req: ProfileRequest, subject: DistinguishedName): Promise<IdentityPayload> {
    const now = this.d.clock.now();
    const notAfter = new Date(now.getTime() + IDENTITY_LIFETIME_MS);
    const keys = await generateRsaKeyPair(2048);
    const cert = await issueCertificate({
      subject, publicKey: keys.publicKey, issuer: this.d.pki.ca, notBefore: new Date(now.getTime() - 5 * 60 * 1000), notAfter,
      keyUsage: ['digitalSignature', 'keyEncipherment'], extendedKeyUsage: ['clientAuth'],
    });
    await this.d.store.mdmIdentities.recordIssuedIdentity({
      certSha256: fingerprintOf(cert), orgId: req.orgId, serialNumber: req.device?.serialNumber, udid: req.device?.udid, issuedAt: now, notAfter,
    });
    const password = randomToken(12);
    return { kind: 'pkcs12', password, pkcs12: buildPkcs12({ key: keys.privateKey, cert, chain: [this.d.pki.ca.cert], password, friendlyName: 'MDM identity' }) };
  }
}
