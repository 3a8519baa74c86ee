// XML property lists, parsed and built with `plist`, behind hard bounds: a size limit, a
// nesting-depth limit, and no DTD internal subset or entity declarations (so no entity
// expansion). Apple's standard `<!DOCTYPE plist PUBLIC …>` line is accepted.
import * as plist from 'plist';
import { parseFlatDict } from './flat.js';

export type PlistValue = plist.PlistValue;
export type PlistDict = { [key: string]: PlistValue };

export interface PlistLimits {
  maxBytes: number;
  maxDepth: number;
}

export const DEFAULT_PLIST_LIMITS: PlistLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 32 };

export class PlistError extends Error {
  override name = 'PlistError';
  constructor(readonly reason: 'too-large' | 'too-deep' | 'forbidden-dtd' | 'binary' | 'malformed' | 'not-a-dict', message: string) {
    super(message);
  }
}

const OPEN_OR_CLOSE = /<(\/?)(dict|array)\b[^>]*?(\/?)>/g;

function checkDepth(xml: string, maxDepth: number) {
  let depth = 0;
  OPEN_OR_CLOSE.lastIndex = 0;
  for (let m = OPEN_OR_CLOSE.exec(xml); m; m = OPEN_OR_CLOSE.exec(xml)) {
    if (m[3] === '/') continue; // <dict/> opens nothing
    depth += m[1] === '/' ? -1 : 1;
    if (depth > maxDepth) throw new PlistError('too-deep', `plist nests deeper than ${maxDepth} levels`);
  }
}

function checkDoctype(xml: string) {
  if (/<!ENTITY/i.test(xml)) throw new PlistError('forbidden-dtd', 'entity declarations are not allowed in a plist');
  const doctype = /<!DOCTYPE([^>]*)>/i.exec(xml);
  if (doctype && doctype[1]!.includes('[')) throw new PlistError('forbidden-dtd', 'a DTD internal subset is not allowed in a plist');
  if ((xml.match(/<!DOCTYPE/gi) ?? []).length > 1) throw new PlistError('forbidden-dtd', 'more than one DOCTYPE');
}

/** Parses an XML plist within `limits`; throws PlistError (a 400 for every face) otherwise. */
export function parsePlist(input: Buffer | string, limits: PlistLimits = DEFAULT_PLIST_LIMITS): PlistValue {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > limits.maxBytes) throw new PlistError('too-large', `plist is larger than ${limits.maxBytes} bytes`);
  if (size === 0) throw new PlistError('malformed', 'empty body where a plist was expected');
  const xml = typeof input === 'string' ? input : input.toString('utf8');
  if (xml.startsWith('bplist')) throw new PlistError('binary', 'binary plists are not accepted; send an XML plist');
  checkDoctype(xml);
  checkDepth(xml, limits.maxDepth);
  // Devices' usual messages are one flat dict: read those without a DOM (same answer, see flat.ts).
  const flat = parseFlatDict(xml);
  if (flat) return flat;
  let value: PlistValue;
  try {
    value = plist.parse(xml);
  } catch (err) {
    throw new PlistError('malformed', `not a valid XML plist: ${(err as Error).message.split('\n')[0]}`);
  }
  if (value === undefined || value === null) throw new PlistError('malformed', 'the plist holds no value');
  return value;
}

/** Parses a plist whose top-level value must be a dictionary (every Apple MDM message is). */
export function parsePlistDict(input: Buffer | string, limits?: PlistLimits): PlistDict {
  const v = parsePlist(input, limits);
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date || ArrayBuffer.isView(v)) {
    throw new PlistError('not-a-dict', 'the plist must hold a dictionary at the top level');
  }
  return v as PlistDict;
}

/** Builds an XML plist (with Apple's DOCTYPE) that Python's plistlib and devices read. */
export function buildPlist(value: PlistValue): string {
  return plist.build(value);
}

/** `<data>` values come back as Uint8Array; this gives a Buffer view without copying. */
export function dataOf(v: PlistValue | undefined): Buffer | undefined {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}
