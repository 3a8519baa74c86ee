// What a certificate says, read from its DER (not from Node's ambiguous text forms).
// Results are memoised per X509Certificate object, so repeated questions cost a map lookup.
import type { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Name, Validity } from '@peculiar/asn1-x509';
import { children, expect, parseDer, rawOf, Tag, type Tlv } from './der.js';
import { nameOfDer, timeOfDer } from './name-der.js';
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
 * issuer, validity, subject, …), read from the DER (name-der.ts), or where an encoding is not one
 * that reader takes, each decoded through the same ASN.1 schema as the whole certificate would
 * be: decoding the whole certificate (SPKI, extensions) cost a new device certificate's first
 * check-in more than its RSA verify. A certificate already decoded whole is read from that.
 */
function tbsParts(cert: X509Certificate): { subject: DistinguishedName; issuer: DistinguishedName; notBefore: Date; notAfter: Date } {
  const whole = parsed.get(cert)?.tbsCertificate;
  if (whole) {
    return { subject: nameToDn(whole.subject), issuer: nameToDn(whole.issuer), notBefore: whole.validity.notBefore.getTime(), notAfter: whole.validity.notAfter.getTime() };
  }
  try {
    const [tbs] = children(parseDer(cert.raw));
    const items = children(expect(tbs, Tag.SEQUENCE, 'TBSCertificate'));
    const at = items[0]?.tag === 0xa0 ? 1 : 0;
    const part = <T>(t: Tlv, type: new () => T): T => AsnConvert.parse(rawOf(t), type);
    const issuer = expect(items[at + 2], Tag.SEQUENCE, 'issuer');
    const validity = expect(items[at + 3], Tag.SEQUENCE, 'validity');
    const subject = expect(items[at + 4], Tag.SEQUENCE, 'subject');
    const [from, to] = children(validity);
    let notBefore = from && timeOfDer(from);
    let notAfter = to && timeOfDer(to);
    if (!notBefore || !notAfter) {
      const v = part(validity, Validity);
      notBefore = v.notBefore.getTime();
      notAfter = v.notAfter.getTime();
    }
    return {
      issuer: nameOfDer(issuer) ?? nameToDn(part(issuer, Name)),
      subject: nameOfDer(subject) ?? nameToDn(part(subject, Name)),
      notBefore,
      notAfter,
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
    subject: tbs.subject,
    issuer: tbs.issuer,
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: tbs.notBefore,
    notAfter: tbs.notAfter,
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
