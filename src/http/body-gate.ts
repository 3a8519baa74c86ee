// The first step of every request on both ports, before the MDM fast path and before Express:
// a body is admitted only when its declared size fits its face's limit and the process-wide
// budget of bytes in flight (body-budget.ts) has room; otherwise the face's answer goes out
// at once with `Connection: close`, so the server stops reading and closes instead of
// draining megabytes it will not use (issue 17, finding 7). A client that keeps sending after
// the answer may get a TCP reset before it reads the answer (the kernel resets a connection
// closed with unread data): the price of not reading; a lingering close would read it all. An admitted body must keep
// arriving: one that sends nothing for `bodyIdleTimeoutMs` is cut with a 408.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Limits } from '../config.js';
import type { BodyBudget } from './body-budget.js';
import { bodyLimitOf, faceOfPath, gateReply, type Face, type Refusal } from './faces.js';

/** A credential the request claims (not yet verified): such bodies draw on the larger share. */
function claimsCredential(h: IncomingHttpHeaders): boolean {
  return h.authorization !== undefined || h['mdm-signature'] !== undefined || h['x-adm-auth-session'] !== undefined
    || (h.cookie !== undefined && h.cookie.includes('orchard_session='));
}

function refuse(res: ServerResponse, face: Face, refusal: Refusal): void {
  const r = gateReply(face, refusal);
  const body = Buffer.from(r.body, 'utf8');
  res.shouldKeepAlive = false;
  res.writeHead(r.status, {
    'Content-Type': r.contentType, 'Content-Length': String(body.length), Connection: 'close',
    ...(refusal === 'busy' ? { 'Retry-After': '1' } : {}),
  });
  res.end(body);
}

/** Cuts a body that stops arriving: checks the socket's read count once per idle period. */
function watchIdleBody(req: IncomingMessage, res: ServerResponse, face: Face, idleMs: number): void {
  const socket = req.socket;
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete) return clearInterval(timer);
    if (socket.bytesRead !== seen) {
      seen = socket.bytesRead;
      return;
    }
    clearInterval(timer);
    if (!res.headersSent) {
      refuse(res, face, 'too-slow');
      res.once('finish', () => socket.destroy());
    } else {
      socket.destroy();
    }
  }, idleMs);
  timer.unref();
  req.once('end', () => clearInterval(timer));
  res.once('close', () => clearInterval(timer));
}

export type Gate = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Returns a step that answers (true) a request whose body is refused, or admits it (false).
 * `fixedFace` is the DEP port's, where every path is the Device Assignment API's.
 */
export function bodyGate(limits: Limits, budget: BodyBudget, fixedFace?: Face): Gate {
  return (req, res) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (length === undefined || length === '0')) return false;
    const face = fixedFace ?? faceOfPath(req.url ?? '/');
    const limit = bodyLimitOf(face, req.headers['content-type'], limits.body);
    const declared = chunked ? undefined : Number(length);
    if (declared !== undefined && declared > limit) {
      refuse(res, face, 'too-large');
      return true;
    }
    // A chunked body may be any size up to the limit, which its parser enforces: reserve that.
    const reserve = declared ?? limit;
    const authenticated = claimsCredential(req.headers);
    if (!budget.tryTake(reserve, authenticated)) {
      refuse(res, face, 'busy');
      return true;
    }
    res.once('close', () => budget.give(reserve, authenticated));
    watchIdleBody(req, res, face, limits.bodyIdleTimeoutMs);
    return false;
  };
}
