// Names and times of a certificate read straight from the DER, for the common encodings only:
// the fast path of certificateFacts (certificate-facts.ts). Anything unusual answers undefined
// and the caller decodes it through the ASN.1 schema instead, so the result never differs from
// nameToDn's (names.ts) or the schema's Time.
import { children, contentOf, oidOf, Tag, type Tlv } from './der.js';
import { dnKeyOfOid, type DistinguishedName } from './names.js';

/** Text of a UTF8String (valid UTF-8 only), PrintableString or IA5String (ASCII only), else undefined. */
function simpleText(v: Tlv): string | undefined {
  const bytes = contentOf(v);
  if (bytes.length === 0) return undefined;
  if (v.tag === Tag.UTF8) {
    const text = bytes.toString('utf8');
    return Buffer.byteLength(text, 'utf8') === bytes.length && Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
  }
  if (v.tag === Tag.PRINTABLE || v.tag === Tag.IA5) {
    for (const b of bytes) if (b >= 0x80) return undefined;
    return bytes.toString('latin1');
  }
  return undefined;
}

/**
 * X.501 Name (RFC 5280 §4.1.2.4: SEQUENCE OF SET OF AttributeTypeAndValue) → our record, first
 * value of each modelled attribute winning, as nameToDn. Undefined when a modelled attribute's
 * value is not a plain string we read here.
 */
export function nameOfDer(name: Tlv): DistinguishedName | undefined {
  if (name.tag !== Tag.SEQUENCE) return undefined;
  const dn: DistinguishedName = {};
  for (const rdn of children(name)) {
    if (rdn.tag !== Tag.SET) return undefined;
    for (const atv of children(rdn)) {
      const parts = atv.tag === Tag.SEQUENCE ? children(atv) : [];
      if (parts.length !== 2 || parts[0]!.tag !== Tag.OID) return undefined;
      const key = dnKeyOfOid(oidOf(parts[0]!));
      if (!key || dn[key] !== undefined) continue;
      const text = simpleText(parts[1]!);
      if (text === undefined) return undefined;
      dn[key] = text;
    }
  }
  return dn;
}

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/**
 * RFC 5280 §4.1.2.5.1–2 Time in its DER form (seconds, Zulu, no fractions): UTCTime's YY is
 * 19YY when ≥ 50, else 20YY. Undefined for any other form, or an impossible date.
 */
export function timeOfDer(t: Tlv): Date | undefined {
  const text = contentOf(t).toString('latin1');
  const m = t.tag === Tag.UTC_TIME ? UTC.exec(text) : t.tag === Tag.GENERALIZED_TIME ? GENERALIZED.exec(text) : null;
  if (!m) return undefined;
  let year = Number(m[1]);
  if (t.tag === Tag.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  // Date.UTC rolls over out-of-range fields (month 13, second 60): leave those to the schema.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || date.getUTCHours() !== h
    || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== s) return undefined;
  return date;
}
