// PUT /mdm, /mdm/checkin and /mdm/connect answered on the main port before Express: the hot path
// of a fleet (every check-in and every connect) skips the router stack and the body-parser
// middleware, whose cost per request is several times a bare Node handler's. The steps are the
// router's own (process.ts): content type, body within 4 MB, Mdm-Signature verified, bounded
// plist, handler; the answers are byte for byte the same. Any other request goes to Express.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MdmFaceDeps } from './deps.js';
import { logRequest } from '../http/request-log.js';
import type { MdmReply } from './checkin/types.js';
import { kindFor, MAX_BODY, mdmProcessor, textReply, type Expected } from './process.js';

const ROUTES = new Map<string, Expected>([['/mdm', 'either'], ['/mdm/', 'either'], ['/mdm/checkin', 'checkin'], ['/mdm/connect', 'connect']]);

function send(res: ServerResponse, reply: MdmReply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, { 'Content-Length': '0' });
    res.end();
    return;
  }
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  res.writeHead(reply.status, reply.contentType ? { 'Content-Type': reply.contentType, 'Content-Length': String(body.length) } : { 'Content-Length': String(body.length) });
  res.end(body);
}

/** Returns a handler that answers MDM requests itself (true) or leaves the request alone (false). */
export function mdmFastPath(deps: MdmFaceDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const process = mdmProcessor(deps);
  return (req, res) => {
    if (req.method !== 'PUT' || !req.url) return false;
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const expected = ROUTES.get(path);
    if (!expected) return false;
    // A compressed body is Express's to inflate (body-parser), as before.
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding.toLowerCase() !== 'identity') return false;
    logRequest(deps.logger, 'main', 'PUT', path, res);
    const kind = kindFor(expected, req.headers['content-type']);
    if (typeof kind !== 'string') {
      req.resume();
      send(res, kind);
      return true;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_BODY) {
      req.resume();
      send(res, textReply(413, 'body too large'));
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY) {
        failed = true;
        send(res, textReply(413, 'body too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      if (failed) return;
      failed = true;
      if (!res.headersSent) send(res, textReply(400, 'unreadable body'));
    });
    req.on('end', () => {
      if (failed) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      process(kind, req.headers['mdm-signature'] as string | undefined, body, path).then((reply) => send(res, reply), (err) => {
        deps.logger.error('mdm request failed', { path, error: (err as Error)?.stack ?? String(err) });
        if (!res.headersSent) send(res, textReply(500, 'internal error'));
      });
    });
    return true;
  };
}
