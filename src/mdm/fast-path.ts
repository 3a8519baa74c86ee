// PUT /mdm, /mdm/checkin and /mdm/connect answered on the main port before Express: the hot path
// of a fleet (every check-in and every connect) skips the router stack and the body-parser
// middleware, whose cost per request is several times a bare Node handler's. The steps are the
// router's own (process.ts): content type, Mdm-Signature present and shaped as one (before a
// byte of the body is read: an unsigned body is never held), body within its kind's limit
// (config limits.body), signature verified, bounded plist, handler; the answers are byte for
// byte the same. Any other request goes to Express. The body gate (src/http/body-gate.ts) has
// already refused a body whose declared size is over the limit or over the bytes in flight.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MdmFaceDeps } from './deps.js';
import { beginRequest } from '../http/request-log.js';
import type { MdmReply } from './checkin/types.js';
import { answerMdm, mdmProcessor, type Expected } from './process.js';

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

/** Answers without reading the body and closes the connection, so the rest is never received. */
function refuseUnread(res: ServerResponse, reply: MdmReply): void {
  res.shouldKeepAlive = false;
  res.setHeader('Connection', 'close');
  send(res, reply);
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
    beginRequest(deps.logger, 'main', deps.ids, req, res, path);
    answerMdm(deps, process, expected, path, req, res, (reply, unread) => (unread ? refuseUnread(res, reply) : send(res, reply)));
    return true;
  };
}
