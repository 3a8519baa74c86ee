// Reads the parts of a CMS SignedData (RFC 5652 §5.1–5.3) out of its DER without copying:
// every field is a Tlv into the caller's buffer, so signed attributes keep their exact bytes.
import type { X509Certificate } from 'node:crypto';
import { parseCertificateCached } from './cert-cache.js';
import { children, expect, expectChildren, octetsOf, oidOf, parseDer, Tag, type Tlv } from './der.js';
import { OID_SIGNED_DATA } from './oids.js';
import { CryptoError } from './types.js';

export interface SignerInfoParts {
  version: Tlv;
  sid: Tlv;
  digestAlgorithm: Tlv;
  /** [0] IMPLICIT SET OF Attribute, as received. */
  signedAttrs?: Tlv;
  signatureAlgorithm: Tlv;
  signature: Buffer;
}

export interface SignedDataParts {
  eContentType: string;
  eContent?: Buffer;
  certificates: Tlv[];
  signerInfos: SignerInfoParts[];
}

export function readSignedData(der: Buffer): SignedDataParts {
  const [contentType, wrapped] = expectChildren(parseDer(der), Tag.SEQUENCE, 'ContentInfo');
  if (oidOf(expect(contentType, Tag.OID, 'contentType')) !== OID_SIGNED_DATA) {
    throw new CryptoError('malformed', 'ContentInfo does not hold SignedData');
  }
  const [signedData] = expectChildren(wrapped, 0xa0, '[0] content');
  const items = expectChildren(signedData, Tag.SEQUENCE, 'SignedData');
  let i = 0;
  expect(items[i++], Tag.INTEGER, 'SignedData version');
  expect(items[i++], Tag.SET, 'digestAlgorithms');
  const encap = expectChildren(items[i++], Tag.SEQUENCE, 'encapContentInfo');
  const eContentType = oidOf(expect(encap[0], Tag.OID, 'eContentType'));
  let eContent: Buffer | undefined;
  if (encap[1]) {
    const [octetString] = expectChildren(encap[1], 0xa0, '[0] eContent');
    if (!octetString || (octetString.tag !== Tag.OCTET_STRING && octetString.tag !== 0x24)) {
      throw new CryptoError('malformed', 'eContent is not an OCTET STRING');
    }
    eContent = octetsOf(octetString);
  }
  let certificates: Tlv[] = [];
  if (items[i]?.tag === 0xa0) certificates = children(items[i++]).filter((c) => c.tag === Tag.SEQUENCE);
  if (items[i]?.tag === 0xa1) i++; // crls: not used
  const signerInfos = expectChildren(items[i++], Tag.SET, 'signerInfos').map(readSignerInfo);
  if (i !== items.length) throw new CryptoError('malformed', 'unexpected fields after signerInfos');
  return { eContentType, eContent, certificates, signerInfos };
}

function readSignerInfo(t: Tlv): SignerInfoParts {
  const f = expectChildren(t, Tag.SEQUENCE, 'SignerInfo');
  let i = 0;
  const version = expect(f[i++], Tag.INTEGER, 'SignerInfo version');
  const sid = f[i++];
  if (!sid || (sid.tag !== Tag.SEQUENCE && sid.tag !== 0x80)) throw new CryptoError('malformed', 'bad sid');
  const digestAlgorithm = expect(f[i++], Tag.SEQUENCE, 'digestAlgorithm');
  const signedAttrs = f[i]?.tag === 0xa0 ? f[i++] : undefined;
  const signatureAlgorithm = expect(f[i++], Tag.SEQUENCE, 'signatureAlgorithm');
  const sig = f[i++];
  if (!sig || (sig.tag !== Tag.OCTET_STRING && sig.tag !== 0x24)) throw new CryptoError('malformed', 'bad signature');
  return { version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature: octetsOf(sig) };
}

/** The X.509 certificates of any SignedData, e.g. a degenerate certs-only one (RFC 8894 §3.4). */
export function certificatesFromSignedData(der: Buffer): X509Certificate[] {
  return readSignedData(der).certificates.map(toX509);
}

export function toX509(t: Tlv): X509Certificate {
  return parseCertificateCached(t.buf.subarray(t.start, t.end));
}

/** Attribute SET → Map of OID to the DER of each value (RFC 5652 §5.3 Attribute). */
export function readAttributes(set: Tlv): Map<string, Buffer[]> {
  const out = new Map<string, Buffer[]>();
  for (const attr of children(set)) {
    const [type, values] = expectChildren(attr, Tag.SEQUENCE, 'Attribute');
    const id = oidOf(type);
    if (out.has(id)) throw new CryptoError('malformed', `attribute ${id} appears twice`);
    out.set(id, expectChildren(values, Tag.SET, 'AttributeValues').map((v) => v.buf.subarray(v.start, v.end)));
  }
  return out;
}
