// A lean reader for the plists devices send most: one flat <dict> of strings, integers,
// booleans, data and dates (Idle and command reports, Authenticate, TokenUpdate). Parsing those
// through a DOM costs ~30–400 µs a request; a sticky-regex scan costs a few. It answers exactly
// what the `plist` package answers for the inputs it accepts (test/unit/plist-flat.test.ts
// compares the two) and declines — returns undefined, so the caller uses `plist` — anything
// else: nesting, entities, comments, CDATA, reals, carriage returns, odd integers or base64,
// duplicate or __proto__ keys. It runs after the bounds checks of index.ts, never instead.
import type { PlistValue } from 'plist';

const HEAD = /(?:<\?xml version="1\.0"(?: encoding="(?:UTF|utf)-8")?\?>\s*)?(?:<!DOCTYPE plist PUBLIC "[^"<>[\]]*" "[^"<>[\]]*">\s*)?<plist(?: version="1\.0")?>\s*<dict>\s*/y;
const ENTRY = /<key>([^<&\r]*)<\/key>\s*(?:<string>([^<&\r]*)<\/string>|(<string\/>)|<integer>(-?\d{1,15})<\/integer>|<(true|false)\/>|<data>([A-Za-z0-9+/=\s]*)<\/data>|<date>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)<\/date>)\s*/y;
const TAIL = /<\/dict>\s*<\/plist>\s*$/y;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function parseFlatDict(xml: string): Record<string, PlistValue> | undefined {
  HEAD.lastIndex = 0;
  if (!HEAD.test(xml)) return undefined;
  let pos = HEAD.lastIndex;
  const out: Record<string, PlistValue> = {};
  for (;;) {
    ENTRY.lastIndex = pos;
    const m = ENTRY.exec(xml);
    if (!m) break;
    const key = m[1]!;
    if (key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) return undefined;
    let value: PlistValue;
    if (m[2] !== undefined) value = m[2];
    else if (m[3] !== undefined) value = '';
    else if (m[4] !== undefined) value = parseInt(m[4], 10);
    else if (m[5] !== undefined) value = m[5] === 'true';
    else if (m[6] !== undefined) {
      const b64 = m[6].replace(/\s+/g, '');
      if (!STRICT_BASE64.test(b64)) return undefined;
      const buf = Buffer.from(b64, 'base64');
      value = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } else value = new Date(m[7]!);
    out[key] = value;
    pos = ENTRY.lastIndex;
  }
  TAIL.lastIndex = pos;
  return TAIL.test(xml) ? out : undefined;
}
