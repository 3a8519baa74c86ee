// The device-facing MDM face: PUT /mdm/checkin (application/x-apple-aspen-mdm-checkin) and
// PUT /mdm/connect (application/x-apple-aspen-mdm); PUT /mdm accepts both and routes on the
// content type, as devices whose CheckInURL equals ServerURL send. Steps, in order: content
// type, raw body (kept exact for the signature), Mdm-Signature, plist, handler. Errors are
// plain text with the status devices act on (see errors.ts). Orchard takes no TLS client
// certificate here (it may sit behind a TLS proxy), so every request must carry Mdm-Signature:
// the enrolment profile sets SignMessage (PROTOCOLS.md §0, §5).
import express, { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app.js';
import { parsePlistDict, PlistError } from '../plist/index.js';
import { handleCheckin } from './checkin/index.js';
import type { MdmDeps, MdmReply } from './checkin/types.js';
import { handleConnect } from './connect.js';
import { MdmError } from './errors.js';
import { signatureTrust, verifyMdmSignature, type SignatureTrust } from './signature.js';

export const CHECKIN_TYPE = 'application/x-apple-aspen-mdm-checkin';
export const CONNECT_TYPE = 'application/x-apple-aspen-mdm';
const MAX_BODY = 4 * 1024 * 1024;

type Kind = 'checkin' | 'connect';

/** Lean content-type check on the prefix (a charset may follow); no full media-type parse. */
export function kindOf(contentType: string | undefined): Kind | undefined {
  if (!contentType) return undefined;
  const ct = contentType.length > 64 ? contentType.slice(0, 64).toLowerCase() : contentType.toLowerCase();
  if (ct.startsWith(CHECKIN_TYPE)) return 'checkin';
  if (ct.startsWith(CONNECT_TYPE) && (ct.length === CONNECT_TYPE.length || ct[CONNECT_TYPE.length] === ';' || ct[CONNECT_TYPE.length] === ' ')) return 'connect';
  return undefined;
}

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

const sendText = (res: Response, status: number, text: string) =>
  send(res, { status, body: text.endsWith('\n') ? text : `${text}\n`, contentType: 'text/plain; charset=utf-8' });

export function mdmRouter(deps: AppDeps): Router {
  const r = Router();
  const mdm: MdmDeps = { store: deps.store, clock: deps.clock, ids: deps.ids };
  let trust: SignatureTrust | undefined;
  const trustOf = () => (trust ??= deps.pki ? signatureTrust([deps.pki.ca.cert]) : undefined);
  const raw = express.raw({ type: () => true, limit: MAX_BODY });

  const handle = (expected: Kind | 'either') => [
    (req: Request, res: Response, next: () => void) => {
      const kind = kindOf(req.headers['content-type']);
      if (!kind || (expected !== 'either' && kind !== expected)) {
        return sendText(res, 415, `Content-Type must be ${expected === 'checkin' ? CHECKIN_TYPE : expected === 'connect' ? CONNECT_TYPE : `${CHECKIN_TYPE} or ${CONNECT_TYPE}`}`);
      }
      res.locals.mdmKind = kind;
      next();
    },
    raw,
    async (req: Request, res: Response) => {
      const t = trustOf();
      if (!t) return sendText(res, 503, 'MDM is not configured on this server (no CA)');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const identity = verifyMdmSignature(req.headers['mdm-signature'] as string | undefined, body, t, mdm.clock.now());
        const msg = parsePlistDict(body);
        const reply = res.locals.mdmKind === 'checkin' ? await handleCheckin(msg, body, identity, mdm) : await handleConnect(msg, body, identity, mdm);
        send(res, reply);
      } catch (err) {
        if (err instanceof MdmError) return sendText(res, err.status, err.message);
        if (err instanceof PlistError) return sendText(res, 400, `the body is not an acceptable plist: ${err.message}`);
        deps.logger.error('mdm request failed', { path: req.originalUrl.split('?')[0], error: (err as Error)?.stack ?? String(err) });
        sendText(res, 500, 'internal error');
      }
    },
  ];

  r.put('/checkin', ...handle('checkin'));
  r.put('/connect', ...handle('connect'));
  r.put('/', ...handle('either'));
  // Body-parser errors (too large, aborted) keep the plain-text vocabulary.
  r.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (!err?.type) return next(err);
    sendText(res, err.status ?? 400, err.type === 'entity.too.large' ? 'body too large' : 'unreadable body');
  });
  return r;
}
