// Reads a device's MDM request body, for the router and the fast path alike: at most `max` bytes
// (the kind's limit, config limits.body) after decoding, with the content codings body-parser accepts (gzip, deflate, br), so a
// compressed body is answered the same whichever of them serves the request. An unknown coding
// is 415 and a corrupt stream 400, in the MDM face's plain text, never a library's message.
import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { MdmError } from './errors.js';

const tooLarge = () => new MdmError(413, 'body too large');
const unreadable = () => new MdmError(400, 'unreadable body');

function decoderFor(encoding: string): Transform | undefined {
  switch (encoding) {
    case 'gzip': case 'x-gzip': return zlib.createGunzip();
    case 'deflate': return zlib.createInflate();
    case 'br': return zlib.createBrotliDecompress();
    default: return undefined;
  }
}

/**
 * Calls `done` once: with the body, or with the MdmError to answer. On an error the rest of the
 * body is not read: the caller answers and closes the connection (issue 17, finding 7).
 */
export function readMdmBody(req: IncomingMessage, max: number, done: (err: MdmError | undefined, body: Buffer) => void): void {
  const empty = Buffer.alloc(0);
  let settled = false;
  const finish = (err: MdmError | undefined, body: Buffer = empty) => {
    if (settled) return;
    settled = true;
    if (err && decoder) {
      // Stop decoding; what the client still sends is not read.
      req.unpipe(decoder);
      decoder.destroy();
    }
    done(err, body);
  };
  const raw = req.headers['content-encoding'];
  const encoding = raw === undefined ? 'identity' : raw.trim().toLowerCase();
  let source: Readable = req;
  let decoder: Transform | undefined;
  if (encoding !== 'identity' && encoding !== '') {
    decoder = decoderFor(encoding);
    if (!decoder) {
      return finish(new MdmError(415, 'unsupported Content-Encoding (send identity, gzip, deflate or br)'));
    }
    source = decoder;
    req.pipe(decoder);
    decoder.on('error', () => finish(unreadable()));
  } else if (Number(req.headers['content-length'] ?? NaN) > max) {
    return finish(tooLarge());
  }
  const chunks: Buffer[] = [];
  let size = 0;
  source.on('data', (c: Buffer) => {
    if (settled) return;
    size += c.length;
    if (size > max) return finish(tooLarge());
    chunks.push(c);
  });
  req.on('error', () => finish(unreadable()));
  req.on('aborted', () => finish(unreadable()));
  source.on('end', () => finish(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
}
