// What a certificate says, read from its DER (not from Node's ambiguous text forms).
// Results are memoised per X509Certificate object, so repeated questions cost a map lookup.
import type { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Name, Validity } from '@peculiar/asn1-x509';
import { children, expect, parseDer, rawOf, Tag, type Tlv } from './der.js';
import { nameToDn, type DistinguishedName } from './names.js';
import { CryptoError } from './types.js';

export interface CertificateFacts {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Lowercase hex of the positive integer, without the DER sign octet (as Node prints it). */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, lowercase hex without colons. */
  fingerprintSha256: string;
  keyType: 'rsa' | 'ec' | string;
  /** RSA modulus bits or EC field size. */
  keyBits?: number;
  /** basicConstraints cA. */
  isCA: boolean;
}

const parsed = new WeakMap<X509Certificate, Certificate>();
const facts = new WeakMap<X509Certificate, CertificateFacts>();

/** The certificate decoded as ASN.1 (memoised). */
export function decodeCertificate(cert: X509Certificate): Certificate {
  let c = parsed.get(cert);
  if (!c) {
    try {
      c = AsnConvert.parse(cert.raw, Certificate);
    } catch (err) {
      throw new CryptoError('malformed', `cannot decode certificate: ${(err as Error).message}`);
    }
    parsed.set(cert, c);
  }
  return c;
}

/**
 * The names and validity of the TBSCertificate (RFC 5280 §4.1: version?, serialNumber, signature,
 * issuer, validity, subject, …), each decoded through the same ASN.1 schema as the whole
 * certificate would be, but only these three: decoding the whole certificate (SPKI, extensions)
 * costs a new device certificate's first check-in more than its RSA verify. A certificate already
 * decoded whole is read from that.
 */
function tbsParts(cert: X509Certificate): { subject: Name; issuer: Name; validity: Validity } {
  const whole = parsed.get(cert);
  if (whole) return whole.tbsCertificate;
  try {
    const [tbs] = children(parseDer(cert.raw));
    const items = children(expect(tbs, Tag.SEQUENCE, 'TBSCertificate'));
    const at = items[0]?.tag === 0xa0 ? 1 : 0;
    const part = <T>(t: Tlv | undefined, what: string, type: new () => T): T => AsnConvert.parse(rawOf(expect(t, Tag.SEQUENCE, what)), type);
    return {
      issuer: part(items[at + 2], 'issuer', Name),
      validity: part(items[at + 3], 'validity', Validity),
      subject: part(items[at + 4], 'subject', Name),
    };
  } catch (err) {
    throw new CryptoError('malformed', `cannot decode certificate: ${(err as Error).message}`);
  }
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

export function certificateFacts(cert: X509Certificate): CertificateFacts {
  let f = facts.get(cert);
  if (f) return f;
  const tbs = tbsParts(cert);
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyBits = details.modulusLength ?? (details.namedCurve ? CURVE_BITS[details.namedCurve] : undefined);
  f = {
    subject: nameToDn(tbs.subject),
    issuer: nameToDn(tbs.issuer),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    fingerprintSha256: fingerprintOf(cert),
    keyType: key.asymmetricKeyType ?? 'unknown',
    ...(keyBits !== undefined ? { keyBits } : {}),
    isCA: cert.ca,
  };
  facts.set(cert, f);
  return f;
}

const fingerprints = new WeakMap<X509Certificate, string>();

/** SHA-256 fingerprint, lowercase hex without colons (memoised). */
export function fingerprintOf(cert: X509Certificate): string {
  let fp = fingerprints.get(cert);
  if (!fp) {
    fp = cert.fingerprint256.replaceAll(':', '').toLowerCase();
    fingerprints.set(cert, fp);
  }
  return fp;
}

/** The subject's userId (0.9.2342.19200300.100.1.1): an MDM push certificate's APNs topic. */
export function subjectUid(cert: X509Certificate): string | undefined {
  return certificateFacts(cert).subject.UID;
}
