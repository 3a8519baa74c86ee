// The device-facing MDM face: PUT /mdm/checkin (application/x-apple-aspen-mdm-checkin) and
// PUT /mdm/connect (application/x-apple-aspen-mdm); PUT /mdm accepts both and routes on the
// content type, as devices whose CheckInURL equals ServerURL send. Steps, in order: content
// type, raw body (kept exact for the signature), Mdm-Signature, plist, handler (process.ts).
// Orchard takes no TLS client certificate here (it may sit behind a TLS proxy), so every
// request must carry Mdm-Signature: the enrolment profile sets SignMessage (PROTOCOLS.md §0, §5).
// On a running server these requests are answered before Express by fast-path.ts, with the
// same steps; this router serves them when the app is used on its own (tests, embedding).
import express, { Router, type Request, type Response } from 'express';
import type { MdmFaceDeps } from './deps.js';
import type { MdmReply } from './checkin/types.js';
import { kindFor, MAX_BODY, mdmProcessor, textReply, type Expected } from './process.js';

export { CHECKIN_TYPE, CONNECT_TYPE, kindOf } from './process.js';

function send(res: Response, reply: MdmReply) {
  res.status(reply.status);
  if (reply.body === undefined) {
    res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  if (reply.contentType) res.setHeader('Content-Type', reply.contentType);
  res.end(reply.body);
}

export function mdmRouter(deps: MdmFaceDeps): Router {
  const r = Router();
  const process = mdmProcessor(deps);
  const raw = express.raw({ type: () => true, limit: MAX_BODY });

  const handle = (expected: Expected) => [
    (req: Request, res: Response, next: () => void) => {
      const kind = kindFor(expected, req.headers['content-type']);
      if (typeof kind !== 'string') return send(res, kind);
      res.locals.mdmKind = kind;
      next();
    },
    raw,
    async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      send(res, await process(res.locals.mdmKind, req.headers['mdm-signature'] as string | undefined, body, req.originalUrl.split('?')[0]!));
    },
  ];

  r.put('/checkin', ...handle('checkin'));
  r.put('/connect', ...handle('connect'));
  r.put('/', ...handle('either'));
  // Body-parser errors (too large, aborted) keep the plain-text vocabulary.
  r.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (!err?.type) return next(err);
    send(res, textReply(err.status ?? 400, err.type === 'entity.too.large' ? 'body too large' : 'unreadable body'));
  });
  return r;
}
