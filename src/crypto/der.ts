// A lean DER/BER walker and a DER writer over Buffers, for the CMS structures of RFC 5652.
// Why our own instead of forge.asn1/asn1js: verification sits on the MDM hot path (every
// Mdm-Signature), and walking offsets in the original Buffer allocates nothing, never
// converts to binary strings, and keeps the exact bytes that signatures cover (signedAttrs
// must be hashed as received, RFC 5652 §5.4). ITU-T X.690 §8.1 (BER) and §10 (DER).
import { CryptoError } from './types.js';

/** One TLV inside `buf`: header at `start`, content in [contentStart, contentEnd), next at `end`. */
export interface Tlv {
  buf: Buffer;
  tag: number;
  start: number;
  contentStart: number;
  contentEnd: number;
  end: number;
}

export const Tag = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  PRINTABLE: 0x13,
  IA5: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const CONSTRUCTED = 0x20;
const MAX_DEPTH = 64;

function malformed(what: string): never {
  throw new CryptoError('malformed', `malformed ASN.1: ${what}`);
}

/** Reads the TLV at `pos`; accepts BER indefinite lengths (openssl -stream, some devices). */
export function readTlv(buf: Buffer, pos = 0, limit = buf.length, depth = 0): Tlv {
  if (depth > MAX_DEPTH) malformed('nesting too deep');
  if (pos + 2 > limit) malformed('truncated header');
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) malformed('high tag numbers are not used in CMS');
  let p = pos + 1;
  let len = buf[p++];
  if (len === 0x80) {
    if (!(tag & CONSTRUCTED)) malformed('indefinite length on a primitive');
    // Content runs until the end-of-contents octets 00 00 (X.690 §8.1.3.6).
    let q = p;
    for (;;) {
      if (q + 2 > limit) malformed('missing end-of-contents');
      if (buf[q] === 0 && buf[q + 1] === 0) break;
      q = readTlv(buf, q, limit, depth + 1).end;
    }
    return { buf, tag, start: pos, contentStart: p, contentEnd: q, end: q + 2 };
  }
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4 || p + n > limit) malformed('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > limit) malformed('content runs past its container');
  return { buf, tag, start: pos, contentStart: p, contentEnd: p + len, end: p + len };
}

/** Parses a whole buffer as one TLV, refusing trailing bytes. */
export function parseDer(buf: Buffer): Tlv {
  const t = readTlv(buf, 0, buf.length);
  if (t.end !== buf.length) malformed('trailing bytes');
  return t;
}

/** The children of a constructed TLV. */
export function children(t: Tlv): Tlv[] {
  if (!(t.tag & CONSTRUCTED)) malformed(`tag 0x${t.tag.toString(16)} is not constructed`);
  const out: Tlv[] = [];
  for (let p = t.contentStart; p < t.contentEnd; ) {
    const c = readTlv(t.buf, p, t.contentEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Children of a TLV that must carry `tag`. */
export function expectChildren(t: Tlv | undefined, tag: number, what: string): Tlv[] {
  return children(expect(t, tag, what));
}

export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) malformed(`expected ${what}`);
  return t;
}

export const contentOf = (t: Tlv): Buffer => t.buf.subarray(t.contentStart, t.contentEnd);
export const rawOf = (t: Tlv): Buffer => t.buf.subarray(t.start, t.end);

/** An OCTET STRING's value, joining the segments of a BER constructed string (X.690 §8.7). */
export function octetsOf(t: Tlv): Buffer {
  if (!(t.tag & CONSTRUCTED)) return contentOf(t);
  return Buffer.concat(children(t).map(octetsOf));
}

/** Dotted form of an OBJECT IDENTIFIER's content (X.690 §8.19). */
export function oidOf(t: Tlv): string {
  if (t.tag !== Tag.OID) malformed('expected an OBJECT IDENTIFIER');
  const parts: number[] = [];
  let v = 0;
  for (let i = t.contentStart; i < t.contentEnd; i++) {
    const b = t.buf[i];
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** A small non-negative INTEGER (versions), refusing anything larger than 2^31. */
export function smallIntOf(t: Tlv): number {
  if (t.tag !== Tag.INTEGER || t.contentEnd - t.contentStart > 4) malformed('expected a small INTEGER');
  let v = 0;
  for (let i = t.contentStart; i < t.contentEnd; i++) v = v * 256 + t.buf[i];
  return v;
}

/** Text of a string type (PrintableString, UTF8String, IA5String). */
export function stringOf(t: Tlv): string {
  if (t.tag !== Tag.PRINTABLE && t.tag !== Tag.UTF8 && t.tag !== Tag.IA5) malformed('expected a string');
  return contentOf(t).toString(t.tag === Tag.UTF8 ? 'utf8' : 'latin1');
}

// ---- writer (DER) ----

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...parts: Buffer[]): Buffer => tlv(Tag.SEQUENCE, ...parts);
export const octets = (b: Buffer): Buffer => tlv(Tag.OCTET_STRING, b);
export const derNull = (): Buffer => Buffer.from([Tag.NULL, 0]);
export const printable = (s: string): Buffer => tlv(Tag.PRINTABLE, Buffer.from(s, 'latin1'));
/** [n] EXPLICIT (constructed context tag around a whole TLV). */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
/** [n] IMPLICIT on a primitive: the universal tag is replaced, the content kept. */
export const implicitPrimitive = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

/** SET OF in DER order: elements sorted as octet strings (X.690 §11.6). */
export function setOf(elements: Buffer[]): Buffer {
  return tlv(Tag.SET, ...[...elements].sort(Buffer.compare));
}

export function smallInt(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(Tag.INTEGER, Buffer.from(bytes));
}

const oidCache = new Map<string, Buffer>();
export function oid(dotted: string): Buffer {
  let enc = oidCache.get(dotted);
  if (enc) return enc;
  const arcs = dotted.split('.').map(Number);
  const values = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const group: number[] = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    bytes.push(...group);
  }
  enc = tlv(Tag.OID, Buffer.from(bytes));
  oidCache.set(dotted, enc);
  return enc;
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always Zulu, no fractions. */
export function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = d.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(Tag.UTC_TIME, Buffer.from(digits.slice(2), 'latin1'));
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(digits, 'latin1'));
}
