// The few fields CMS needs from a certificate, read from its DER (RFC 5280 §4.1):
// the issuer Name and serialNumber (IssuerAndSerialNumber, RFC 5652 §10.2.4) and the
// subjectKeyIdentifier (RFC 5652 §5.3 SignerIdentifier [0]). Node's X509Certificate exposes
// the issuer only as text, and CMS matches names byte for byte, so we read the DER.
import type { X509Certificate } from 'node:crypto';
import { children, contentOf, expect, oidOf, octetsOf, parseDer, rawOf, Tag, tlv, type Tlv } from './der.js';
import { OID_SUBJECT_KEY_IDENTIFIER } from './oids.js';

export interface CertFields {
  /** DER of the issuer Name. */
  issuer: Buffer;
  /** Content octets of the serialNumber INTEGER. */
  serial: Buffer;
  /** The subjectKeyIdentifier extension's key identifier, if present. */
  ski?: Buffer;
}

const cache = new WeakMap<X509Certificate, CertFields>();

export function certFields(cert: X509Certificate): CertFields {
  let f = cache.get(cert);
  if (!f) {
    f = readFields(tbsItems(cert.raw));
    cache.set(cert, f);
  }
  return f;
}

/** The same fields read straight from a certificate's DER (no X509Certificate needed). */
export function certFieldsOfDer(der: Buffer): CertFields & { spki: Buffer; keyAlgorithm: string } {
  const tbs = tbsItems(der);
  const f = readFields(tbs);
  // version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo (§4.1)
  const spkiTlv = expect(tbs.items[tbs.at + 5], Tag.SEQUENCE, 'subjectPublicKeyInfo');
  const [alg] = children(spkiTlv);
  return { ...f, spki: rawOf(spkiTlv), keyAlgorithm: oidOf(children(expect(alg, Tag.SEQUENCE, 'AlgorithmIdentifier'))[0]!) };
}

/** The TBSCertificate's fields, and where serialNumber is ([0] EXPLICIT version is optional). */
function tbsItems(der: Buffer): { items: Tlv[]; at: number } {
  const [tbs] = children(parseDer(der));
  const items = children(expect(tbs, Tag.SEQUENCE, 'TBSCertificate'));
  return { items, at: items[0]?.tag === 0xa0 ? 1 : 0 };
}

function readFields({ items, at }: { items: Tlv[]; at: number }): CertFields {
  let i = at;
  const serial = contentOf(expect(items[i++], Tag.INTEGER, 'serialNumber'));
  i++; // signature AlgorithmIdentifier
  const issuer = rawOf(expect(items[i++], Tag.SEQUENCE, 'issuer Name'));
  let ski: Buffer | undefined;
  const extensions = items.find((t) => t.tag === 0xa3); // [3] EXPLICIT Extensions
  if (extensions) {
    for (const ext of children(children(extensions)[0])) {
      const parts = children(ext);
      if (oidOf(parts[0]) !== OID_SUBJECT_KEY_IDENTIFIER) continue;
      // extnValue OCTET STRING wraps the KeyIdentifier OCTET STRING.
      ski = contentOf(expect(parseDer(octetsOf(parts[parts.length - 1])) , Tag.OCTET_STRING, 'KeyIdentifier'));
    }
  }
  return { issuer, serial, ski };
}

/** DER IssuerAndSerialNumber for `cert`. */
export function issuerAndSerial(cert: X509Certificate): Buffer {
  const f = certFields(cert);
  return tlv(Tag.SEQUENCE, f.issuer, tlv(Tag.INTEGER, f.serial));
}
