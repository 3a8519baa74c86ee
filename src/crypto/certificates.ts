// Issuing and reading X.509 certificates (RFC 5280). The TBSCertificate is built as ASN.1 and
// signed with crypto.sign, so the private-key operation runs natively in OpenSSL.
import { createHash, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension, Extensions, Validity } from '@peculiar/asn1-x509';
import {
  authorityKeyIdentifier,
  basicConstraints,
  extendedKeyUsage,
  findSubjectKeyIdentifier,
  keyIdentifierOf,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
  type ExtendedKeyUsageName,
  type KeyUsageName,
  type SubjectAltNames,
} from './certificate-extensions.js';
import { decodeCertificate } from './certificate-facts.js';
import { children, contentOf, expect, explicit, parseDer, seq, Tag, tlv } from './der.js';
import { dnToName, type DistinguishedName } from './names.js';
import { signatureAlgorithm, signDer } from './signature-algorithms.js';
import { spkiDerOf } from './spki.js';
import { CryptoError, type Identity } from './types.js';

export type { DistinguishedName } from './names.js';
export type { ExtendedKeyUsageName, KeyUsageName, SubjectAltNames } from './certificate-extensions.js';
export { certificateFacts, fingerprintOf, subjectUid, type CertificateFacts } from './certificate-facts.js';
export { ChainCache, verifyChain, verifyIssuedBy, type VerifyChainOptions } from './chain.js';

export interface IssueCertificateOptions {
  subject: DistinguishedName;
  publicKey: KeyObject;
  /** The issuing CA; absent means self-signed with `signingKey`. */
  issuer?: Identity;
  /** The key that signs a self-signed certificate (the private half of `publicKey`). */
  signingKey?: KeyObject;
  /** Hex; default 16 random bytes, kept positive. */
  serialNumber?: string;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean | { pathLength?: number };
  /** Default for a CA: keyCertSign, cRLSign, digitalSignature; for a leaf: none. */
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: ExtendedKeyUsageName[];
  subjectAltName?: SubjectAltNames;
  digest?: 'sha256' | 'sha1';
  /**
   * Further extensions, added after the standard ones: `value` is the DER of the extnValue's
   * content (e.g. `05 00`, a NULL, for Apple's push environment markers 1.2.840.113635.100.6.3.x).
   */
  extraExtensions?: Array<{ oid: string; critical?: boolean; value: Buffer }>;
}

const BIT_STRING = 0x03;

/** Minimal two's-complement INTEGER content for a non-negative hex serial (X.690 §8.3.2). */
function serialBytes(hex: string | undefined): Buffer {
  let bytes: Buffer;
  if (hex === undefined) {
    bytes = randomBytes(16);
    bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive and exactly 16 octets (RFC 5280 §4.1.2.2: ≤ 20)
  } else {
    const clean = hex.replace(/^0x/i, '').replaceAll(':', '');
    if (!/^[0-9a-fA-F]+$/.test(clean)) throw new TypeError(`serial number is not hex: ${hex}`);
    bytes = Buffer.from(clean.length % 2 ? `0${clean}` : clean, 'hex');
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    bytes = bytes.subarray(start);
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  }
  return bytes;
}

export async function issueCertificate(opts: IssueCertificateOptions): Promise<X509Certificate> {
  return new X509Certificate(await issueCertificateDer(opts));
}

/**
 * The DER of the certificate issueCertificate makes, without parsing it into an X509Certificate
 * (~0.4 ms on Node 20): for callers that only send and record what they issued (SCEP).
 */
export async function issueCertificateDer(opts: IssueCertificateOptions): Promise<Buffer> {
  const signer = opts.issuer?.key ?? opts.signingKey;
  if (!signer) throw new TypeError('issueCertificate needs an issuer or, for a self-signed certificate, a signingKey');
  const digest = opts.digest ?? 'sha256';
  const spki = spkiDerOf(opts.publicKey);
  const subjectName = dnToName(opts.subject);
  const keyId = keyIdentifierOfSpkiDer(spki);
  const issuer = opts.issuer ? issuerFacts(opts.issuer.cert) : { nameDer: Buffer.from(AsnConvert.serialize(subjectName)), keyId };

  const ca = opts.ca ?? false;
  const usages = opts.keyUsage ?? (ca === false ? undefined : (['keyCertSign', 'cRLSign', 'digitalSignature'] as KeyUsageName[]));
  const subjectEmpty = subjectName.length === 0;
  const san = opts.subjectAltName ? subjectAltName(opts.subjectAltName, subjectEmpty) : undefined;
  const extensions = [
    basicConstraints(ca),
    ...(usages && usages.length > 0 ? [keyUsage(usages)] : []),
    ...(opts.extendedKeyUsage && opts.extendedKeyUsage.length > 0 ? [extendedKeyUsage(opts.extendedKeyUsage)] : []),
    ...(san ? [san] : []),
    subjectKeyIdentifier(keyId),
    authorityKeyIdentifier(issuer.keyId),
    ...(opts.extraExtensions ?? []).map(
      (e) => new Extension({ extnID: e.oid, critical: e.critical ?? false, extnValue: new OctetString(new Uint8Array(e.value)) }),
    ),
  ];

  // TBSCertificate (RFC 5280 §4.1), written field by field: the SPKI and the issuer's name go in
  // as the DER they already are, so only the small parts pass through the ASN.1 schema (whose
  // serialiser cost more than the RSA signature for a whole certificate).
  const sigAlgDer = signatureAlgorithmDer(signer, digest);
  const tbsDer = seq(
    V3,
    tlv(Tag.INTEGER, serialBytes(opts.serialNumber)),
    sigAlgDer,
    issuer.nameDer,
    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime after; Time picks accordingly.
    Buffer.from(AsnConvert.serialize(new Validity({ notBefore: opts.notBefore, notAfter: opts.notAfter }))),
    Buffer.from(AsnConvert.serialize(subjectName)),
    spki,
    explicit(3, Buffer.from(AsnConvert.serialize(new Extensions(extensions)))),
  );
  // Certificate (§4.1.1.1–4.1.1.3) = SEQUENCE { tbsCertificate, signatureAlgorithm, BIT STRING
  // signature } with no unused bits: the bytes signed are the bytes sent.
  const signature = signDer(tbsDer, signer, digest);
  return seq(tbsDer, sigAlgDer, tlv(BIT_STRING, Buffer.from([0]), signature));
}

/** [0] EXPLICIT Version v3 (INTEGER 2). */
const V3 = Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02]);

const sigAlgDers = new Map<string, Buffer>();
function signatureAlgorithmDer(key: KeyObject, digest: 'sha256' | 'sha1'): Buffer {
  const id = `${key.asymmetricKeyType}/${digest}`;
  let der = sigAlgDers.get(id);
  if (!der) sigAlgDers.set(id, (der = Buffer.from(AsnConvert.serialize(signatureAlgorithm(key, digest)))));
  return der;
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bits (after the unused-bits octet). */
function keyIdentifierOfSpkiDer(spki: Buffer): Buffer {
  const bits = expect(children(expect(parseDer(spki), Tag.SEQUENCE, 'SubjectPublicKeyInfo'))[1], BIT_STRING, 'subjectPublicKey');
  return createHash('sha1').update(contentOf(bits).subarray(1)).digest();
}

const issuers = new WeakMap<X509Certificate, { nameDer: Buffer; keyId: Buffer }>();

/**
 * The issuer's subject exactly as encoded, so name chaining compares equal bytes (RFC 5280 §7.1),
 * and its key identifier for authorityKeyIdentifier; once per CA certificate.
 */
function issuerFacts(cert: X509Certificate): { nameDer: Buffer; keyId: Buffer } {
  let f = issuers.get(cert);
  if (!f) {
    const tbs = decodeCertificate(cert).tbsCertificate;
    f = {
      nameDer: Buffer.from(AsnConvert.serialize(tbs.subject)),
      keyId: findSubjectKeyIdentifier(tbs.extensions) ?? keyIdentifierOf(tbs.subjectPublicKeyInfo),
    };
    issuers.set(cert, f);
  }
  return f;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A certificate from PEM, DER, or (for strings without a PEM header) base64 DER. */
export function parseCertificate(input: string | Buffer): X509Certificate {
  let data: Buffer | string = input;
  if (typeof input === 'string' && !input.includes('-----BEGIN')) {
    const b64 = input.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new CryptoError('malformed', 'not a PEM or base64 certificate');
    data = Buffer.from(b64, 'base64');
  }
  try {
    return new X509Certificate(data);
  } catch (err) {
    throw new CryptoError('malformed', `not an X.509 certificate: ${(err as Error).message}`);
  }
}

/** PEM text of a certificate, ending in a newline. */
export function toPem(cert: X509Certificate): string {
  return cert.toString();
}

/** Every certificate in a PEM bundle, in order; text between blocks is ignored. */
export function certificatesFromPem(bundle: string): X509Certificate[] {
  return (bundle.match(PEM_CERT) ?? []).map((block) => parseCertificate(block));
}
