// The one validator of stored free text (names, addresses, consent text...). What is stored is
// later written into plists and XML (enrolment profiles, cloud configurations, the DEP face), so
// it must be text that XML 1.0 can carry (§2.2 Char): no C0 control but tab, LF and CR, no
// U+FFFE/U+FFFF, no lone surrogate. Objects, arrays and numbers are refused rather than stored
// as "[object Object]". A refusal is a 400 naming the field; nothing is written.
import { invalid } from './errors.js';

export interface TextRule {
  /** Maximum length in characters (code points). */
  max: number;
  /** Minimum length after trimming; 1 makes the field required to be non-blank. */
  min?: number;
  /** The error code (default `field_invalid`); some fields kept theirs from before. */
  code?: string;
}

// Anything outside XML 1.0's Char production. Lone surrogates are caught by the `u` flag:
// in a unicode regexp an unpaired \uD800-\uDFFF is its own code point and matches the class.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** True when `s` can be carried in XML 1.0 (and so in a plist). */
export const isXmlText = (s: string): boolean => !NOT_XML_CHAR.test(s);

/** `value` as stored text for `field`, or a 400 `field_invalid` naming the field. */
export function storedText(field: string, value: unknown, rule: TextRule): string {
  const code = rule.code ?? 'field_invalid';
  if (typeof value !== 'string') throw invalid(code, `${field} must be a string`, { field });
  if (!isXmlText(value)) throw invalid(code, `${field} contains a character that cannot be stored (control character, U+FFFE/U+FFFF or a lone surrogate)`, { field });
  const length = [...value].length;
  if (length > rule.max) throw invalid(code, `${field} must be at most ${rule.max} characters`, { field });
  if (rule.min && value.trim().length < rule.min) throw invalid(code, `${field} cannot be empty`, { field });
  return value;
}

/** `storedText` for a field that may be absent (undefined stays undefined: not changed). */
export function optionalText(field: string, value: unknown, rule: TextRule): string | undefined {
  return value === undefined ? undefined : storedText(field, value, rule);
}
