// The device-facing MDM face: PUT /mdm/checkin (application/x-apple-aspen-mdm-checkin) and
// PUT /mdm/connect (application/x-apple-aspen-mdm); PUT /mdm accepts both and routes on the
// content type, as devices whose CheckInURL equals ServerURL send. Steps, in order: content
// type, raw body (kept exact for the signature), Mdm-Signature, plist, handler (process.ts).
// Orchard takes no TLS client certificate here (it may sit behind a TLS proxy), so every
// request must carry Mdm-Signature: the enrolment profile sets SignMessage (PROTOCOLS.md §0, §5).
// On a running server these requests are answered before Express by fast-path.ts, with the
// same steps; this router serves them when the app is used on its own (tests, embedding).
import { Router, type Request, type Response } from 'express';
import type { MdmFaceDeps } from './deps.js';
import type { MdmReply } from './checkin/types.js';
import { answerMdm, mdmProcessor, type Expected } from './process.js';

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
  const handle = (expected: Expected) => (req: Request, res: Response) => {
    answerMdm(deps, process, expected, req.originalUrl.split('?')[0]!, req, res, (reply, unread) => {
      if (unread) res.setHeader('Connection', 'close'); // the rest of the body is not read
      send(res, reply);
    });
  };

  r.put('/checkin', handle('checkin'));
  r.put('/connect', handle('connect'));
  r.put('/', handle('either'));
  return r;
}
