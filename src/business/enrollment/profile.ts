// The MDM enrolment profile (.mobileconfig): a Configuration payload holding Orchard's CA
// certificate, the device identity (SCEP by default, PKCS#12 for manual enrolment) and the
// com.apple.mdm payload that names it (PROTOCOLS.md §2; Apple: …/devicemanagement/mdm,
// …/toplevel, …/scep, …/pkcs12, …/root). Served as CMS SignedData that encapsulates the XML.
import { createHash, type X509Certificate } from 'node:crypto';
import { cmsSign } from '../../crypto/cms.js';
import type { DistinguishedName } from '../../crypto/certificates.js';
import type { Identity } from '../../crypto/types.js';
import { buildPlist, type PlistDict, type PlistValue } from '../../plist/index.js';
import { renderTemplate } from './template.js';

/** Apple's MIME type for a configuration profile, and what a device expects from the enrolment URL. */
export const MOBILECONFIG_TYPE = 'application/x-apple-aspen-config';

export type IdentityPayload =
  | { kind: 'scep'; url: string; challenge: string; subject: DistinguishedName }
  | { kind: 'pkcs12'; pkcs12: Buffer; password: string };

export interface EnrollmentProfileInput {
  organisationName: string;
  consentText?: string;
  /** Reverse-DNS prefix of every PayloadIdentifier, e.g. `com.orchard.<org>`. */
  identifierPrefix: string;
  serverUrl: string;
  checkInUrl: string;
  topic: string;
  caCert: X509Certificate;
  identity: IdentityPayload;
  /** Supervised DEP devices may be told they cannot remove the profile (is_mdm_removable false). */
  removalDisallowed?: boolean;
  /** Makes the payload UUIDs (injected, so tests and callers control them). */
  uuid: () => string;
}

/** SCEP `Subject`: an array of RDNs, each an array of [type, value] pairs (Apple's scep page). */
export function scepSubject(dn: DistinguishedName): PlistValue {
  const order: Array<keyof DistinguishedName> = ['C', 'ST', 'L', 'O', 'OU', 'CN'];
  return order.filter((k) => dn[k]).map((k) => [[k, dn[k]!]]);
}

function identityPayload(input: EnrollmentProfileInput, payloadUuid: string): PlistValue {
  const id = input.identity;
  const common = { identifierPrefix: input.identifierPrefix, payloadUuid };
  if (id.kind === 'pkcs12') {
    return renderTemplate('payloads/com.apple.security.pkcs12.json', { ...common, password: id.password, pkcs12: id.pkcs12 });
  }
  return renderTemplate('payloads/com.apple.security.scep.json', {
    ...common, scepUrl: id.url, subject: scepSubject(id.subject), challenge: id.challenge,
    // CAFingerprint: a digest of the CA certificate the device checks GetCACert against.
    caFingerprint: createHash('sha1').update(input.caCert.raw).digest(),
  });
}

/** The profile as a plist dictionary (unsigned). */
export function buildEnrollmentProfile(input: EnrollmentProfileInput): PlistDict {
  const identityUuid = input.uuid();
  const caPayload = renderTemplate('payloads/com.apple.security.root.json', {
    identifierPrefix: input.identifierPrefix, payloadUuid: input.uuid(), caName: `${input.organisationName} device management CA`,
    caDer: input.caCert.raw,
  });
  const mdmPayload = renderTemplate('payloads/com.apple.mdm.json', {
    identifierPrefix: input.identifierPrefix, payloadUuid: input.uuid(), organisationName: input.organisationName,
    serverUrl: input.serverUrl, checkInUrl: input.checkInUrl, topic: input.topic, identityCertificateUuid: identityUuid,
  });
  return renderTemplate('enrollment.json', {
    identifierPrefix: input.identifierPrefix,
    profileUuid: input.uuid(),
    organisationName: input.organisationName,
    removalDisallowed: input.removalDisallowed ? true : undefined,
    // TopLevel ConsentText: a dictionary of language → text, with `default`.
    consentText: input.consentText ? { default: input.consentText } : undefined,
    caPayload,
    identityPayload: identityPayload(input, identityUuid),
    mdmPayload,
  }) as PlistDict;
}

/** DER CMS SignedData encapsulating the profile's XML, signed by Orchard's signing identity. */
export function signProfile(profile: PlistDict, signer: Identity, signingTime: Date): Buffer {
  return cmsSign(Buffer.from(buildPlist(profile), 'utf8'), signer, { signingTime });
}
