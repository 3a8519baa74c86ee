// PKCS#10 certification requests (RFC 2986). We make them for our own identities and read the
// ones SCEP clients send: the one-time challenge travels in the challengePassword attribute.
import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Attributes, CertificationRequest } from '@peculiar/asn1-csr';
import { Attribute, AttributeValue, Extensions, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { subjectAltName, type SubjectAltNames } from './certificate-extensions.js';
import { children, expect, parseDer, rawOf, seq, Tag, tlv } from './der.js';
import { attributeText, dnToName, nameToDn, type DistinguishedName } from './names.js';
import { signatureAlgorithm, signDer, verifyDer } from './signature-algorithms.js';
import { parsePublicKeySpki, spkiDerOf } from './spki.js';
import { CryptoError } from './types.js';

/** PKCS#9 challengePassword (RFC 2985 §5.4.1). */
export const OID_CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7';
/** PKCS#9 extensionRequest (RFC 2985 §5.4.2): extensions the requester asks to have. */
export const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

export interface CreateCsrOptions {
  subject: DistinguishedName;
  privateKey: KeyObject;
  publicKey: KeyObject;
  challengePassword?: string;
  subjectAltName?: SubjectAltNames;
  digest?: 'sha256' | 'sha1';
}

export interface ParsedCsr {
  subject: DistinguishedName;
  publicKey: KeyObject;
  challengePassword?: string;
  /** The subjectAltName asked for in an extensionRequest, if any. */
  subjectAltName?: SubjectAltNames;
  der: Buffer;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function der(value: unknown): ArrayBuffer {
  return AsnConvert.serialize(value);
}

/** A DER PKCS#10 request signed natively with `privateKey`. */
export async function createCsr(opts: CreateCsrOptions): Promise<Buffer> {
  const digest = opts.digest ?? 'sha256';
  const attrs: Attribute[] = [];
  if (opts.challengePassword !== undefined) {
    // DirectoryString: PrintableString when the characters allow (what most SCEP clients send).
    const value = PRINTABLE.test(opts.challengePassword)
      ? new AttributeValue({ printableString: opts.challengePassword })
      : new AttributeValue({ utf8String: opts.challengePassword });
    attrs.push(new Attribute({ type: OID_CHALLENGE_PASSWORD, values: [der(value)] }));
  }
  const san = opts.subjectAltName ? subjectAltName(opts.subjectAltName, Object.keys(opts.subject).length === 0) : undefined;
  if (san) attrs.push(new Attribute({ type: OID_EXTENSION_REQUEST, values: [der(new Extensions([san]))] }));
  // DER sorts SET OF members by their encodings (X.690 §11.6).
  attrs.sort((a, b) => Buffer.compare(Buffer.from(der(a)), Buffer.from(der(b))));

  // CertificationRequestInfo (RFC 2986 §4.1) written field by field: the SPKI goes in as the DER it
  // already is; attributes are [0] IMPLICIT SET OF (the SET's tag swapped for the context tag).
  const attributes = Buffer.from(der(new Attributes(attrs)));
  attributes[0] = 0xa0;
  const info = seq(VERSION_1, Buffer.from(der(dnToName(opts.subject))), spkiDerOf(opts.publicKey), attributes);
  const signature = signDer(info, opts.privateKey, digest);
  return seq(info, Buffer.from(der(signatureAlgorithm(opts.privateKey, digest))), tlv(BIT_STRING, Buffer.from([0]), signature));
}

/** INTEGER 0: version v1 (RFC 2986 §4.1). */
const VERSION_1 = Buffer.from([0x02, 0x01, 0x00]);
const BIT_STRING = 0x03;

function readSubjectAltName(attr: Attribute | undefined): SubjectAltNames | undefined {
  const value = attr?.values[0];
  if (!value) return undefined;
  const ext = AsnConvert.parse(value, Extensions).find((e) => e.extnID === id_ce_subjectAltName);
  if (!ext) return undefined;
  const san: Required<SubjectAltNames> = { dns: [], ip: [], uri: [], email: [] };
  for (const name of AsnConvert.parse(ext.extnValue.buffer, SubjectAlternativeName)) {
    if (name.dNSName !== undefined) san.dns.push(name.dNSName);
    if (name.iPAddress !== undefined) san.ip.push(name.iPAddress);
    if (name.uniformResourceIdentifier !== undefined) san.uri.push(name.uniformResourceIdentifier);
    if (name.rfc822Name !== undefined) san.email.push(name.rfc822Name);
  }
  const present = Object.fromEntries(Object.entries(san).filter(([, list]) => list.length > 0));
  return Object.keys(present).length > 0 ? present : undefined;
}

/**
 * Decodes a DER request and checks its self-signature (proof of possession, RFC 2986 §3).
 * Throws CryptoError 'malformed' or 'bad-signature'.
 */
export function parseCsr(input: Buffer): ParsedCsr {
  let csr: CertificationRequest;
  let publicKey: KeyObject;
  try {
    csr = AsnConvert.parse(input, CertificationRequest);
    // The SPKI exactly as it arrived (CertificationRequestInfo: version, subject, subjectPKInfo,
    // attributes), parsed and remembered: the certificate issued for it, and the device's first
    // signatures with it, then need no second parse (src/crypto/spki.ts).
    const infoRaw = csr.certificationRequestInfoRaw;
    if (!infoRaw) throw new Error('no CertificationRequestInfo');
    const spkiTlv = expect(children(parseDer(Buffer.from(infoRaw)))[2], Tag.SEQUENCE, 'subjectPKInfo');
    publicKey = parsePublicKeySpki(rawOf(spkiTlv));
  } catch (err) {
    throw new CryptoError('malformed', `not a PKCS#10 request: ${(err as Error).message}`);
  }
  const info = csr.certificationRequestInfo;
  const signed = csr.certificationRequestInfoRaw;
  if (!signed || !verifyDer(csr.signatureAlgorithm.algorithm, new Uint8Array(signed), new Uint8Array(csr.signature), publicKey)) {
    throw new CryptoError('bad-signature', 'the request is not signed by its own key (or uses an unsupported algorithm)');
  }
  const attrs = info.attributes ?? [];
  const result: ParsedCsr = { subject: nameToDn(info.subject), publicKey, der: Buffer.from(input) };
  try {
    const challenge = attrs.find((a) => a.type === OID_CHALLENGE_PASSWORD)?.values[0];
    // AttributeValue decodes PrintableString, UTF8String, IA5String and the other DirectoryStrings.
    if (challenge) result.challengePassword = attributeText(AsnConvert.parse(challenge, AttributeValue));
    const san = readSubjectAltName(attrs.find((a) => a.type === OID_EXTENSION_REQUEST));
    if (san) result.subjectAltName = san;
  } catch (err) {
    throw new CryptoError('malformed', `unreadable request attribute: ${(err as Error).message}`);
  }
  return result;
}
