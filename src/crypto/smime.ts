// S/MIME application/pkcs7-mime wrapping of an EnvelopedData (RFC 8551 §3.2.2, §3.4.3), the
// `.p7m` form in which Apple's portal hands out a DEP server token ("smime.p7m").
// Lines end in CRLF by default, MIME's canonical form (RFC 2045 §2.10); `openssl smime -decrypt`
// and Go's net/textproto (used by MDM servers' token readers) read CRLF and bare LF alike.
import { CryptoError } from './types.js';

export interface SmimeEncodeOptions {
  eol?: '\r\n' | '\n';
}

export function smimeEncode(envelopedDer: Buffer, opts: SmimeEncodeOptions = {}): string {
  const eol = opts.eol ?? '\r\n';
  const headers = [
    'Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7m"',
    'Content-Description: S/MIME Encrypted Message',
  ];
  const b64 = envelopedDer.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64)); // RFC 2045 §6.8: ≤ 76
  return [...headers, '', ...lines].join(eol) + eol;
}

/** The DER EnvelopedData inside a pkcs7-mime entity (headers, blank line, base64 body). */
export function smimeDecode(text: string): Buffer {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) throw new CryptoError('malformed', 'S/MIME: no blank line after the headers');
  const headers = parseHeaders(text.slice(0, m.index));
  const type = headers.get('content-type') ?? '';
  if (!/^application\/(x-)?pkcs7-mime\b/i.test(type)) {
    throw new CryptoError('malformed', `S/MIME: unexpected Content-Type "${type}"`);
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding !== 'base64') throw new CryptoError('malformed', `S/MIME: transfer encoding "${encoding}"`);
  const body = text.slice(m.index + m[0].length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) {
    throw new CryptoError('malformed', 'S/MIME: body is not base64');
  }
  return Buffer.from(body, 'base64');
}

/** RFC 5322 §2.2: name ":" value, with folded continuation lines starting with whitespace. */
function parseHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new CryptoError('malformed', `S/MIME: bad header line "${line}"`);
    out.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return out;
}
