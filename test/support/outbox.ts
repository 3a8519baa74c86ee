// Reading Orchard's outbox in tests: the newest mail to an address, its plain-text body (decoded
// from the .eml as a mail client would) and the first link in it that matches.
import type { OrchardParts } from '../../src/compose.js';
import type { OutboxMail } from '../../src/store/outbox.js';

export interface ReadMail extends OutboxMail {
  /** The text/plain part, transfer encoding undone. */
  body: string;
}

/** Undoes the Content-Transfer-Encoding of one MIME part (7bit, quoted-printable, base64). */
function decodePart(headers: string, body: string): string {
  const cte = /content-transfer-encoding:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The text/plain part of an RFC 5322 message (single part or multipart/alternative). */
export function plainText(eml: string): string {
  const split = (s: string) => {
    const i = s.search(/\r?\n\r?\n/);
    return [s.slice(0, i), s.slice(i).replace(/^\r?\n\r?\n/, '')] as const;
  };
  const [headers, body] = split(eml);
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  if (!boundary) return decodePart(headers, body);
  for (const part of body.split(`--${boundary}`)) {
    const [h, b] = split(part.replace(/^\r?\n/, ''));
    if (/content-type:\s*text\/plain/i.test(h)) return decodePart(h, b.replace(/\r?\n$/, ''));
  }
  throw new Error('no text/plain part in the mail');
}

/** The newest mail to `to` (of `kind` when given); fails the test when there is none. */
export async function latestMail(parts: Pick<OrchardParts, 'store'>, to: string, kind?: string): Promise<ReadMail> {
  const mail = await parts.store.outbox.latestTo(to, kind);
  if (!mail) throw new Error(`no mail to ${to}${kind ? ` of kind ${kind}` : ''} in the outbox`);
  return { ...mail, body: plainText(mail.eml) };
}

/** The first http(s) link in the mail's text whose URL matches `pattern` (any link unless given). */
export function linkIn(mail: ReadMail, pattern: RegExp = /./): URL {
  for (const m of mail.body.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    if (pattern.test(m[0])) return new URL(m[0]);
  }
  throw new Error(`no link matching ${pattern} in the mail "${mail.subject}"`);
}
