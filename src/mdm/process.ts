// The device-facing MDM steps shared by the Express route (router.ts) and the raw fast path in
// front of Express (fast-path.ts): content type, the Mdm-Signature's shape before a byte of the
// body is read, the body within its kind's limit, Mdm-Signature verified, plist, handler.
// Errors are plain text with the status devices act on (errors.ts); a server fault is thrown
// to the caller, which logs it with the request id its answer carries.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parsePlistDict } from '../plist/index.js';
import { readMdmBody } from './body.js';
import { handleCheckin } from './checkin/index.js';
import type { MdmDeps, MdmReply } from './checkin/types.js';
import type { MdmFaceDeps } from './deps.js';
import { handleConnect } from './connect.js';
import { mdmReplyOf, serverFaultReply, textReply } from './errors.js';
import { signatureShapeError, signatureTrust, verifyMdmSignature, type SignatureTrust } from './signature.js';

export const CHECKIN_TYPE = 'application/x-apple-aspen-mdm-checkin';
export const CONNECT_TYPE = 'application/x-apple-aspen-mdm';

export type Kind = 'checkin' | 'connect';
export type Expected = Kind | 'either';

/** Lean content-type check on the prefix (a charset may follow); no full media-type parse. */
export function kindOf(contentType: string | undefined): Kind | undefined {
  if (!contentType) return undefined;
  const ct = contentType.length > 64 ? contentType.slice(0, 64).toLowerCase() : contentType.toLowerCase();
  if (ct.startsWith(CHECKIN_TYPE)) return 'checkin';
  if (ct.startsWith(CONNECT_TYPE) && (ct.length === CONNECT_TYPE.length || ct[CONNECT_TYPE.length] === ';' || ct[CONNECT_TYPE.length] === ' ')) return 'connect';
  return undefined;
}

/** The 415 for a request whose content type does not fit the endpoint, else its kind. */
export function kindFor(expected: Expected, contentType: string | undefined): Kind | MdmReply {
  const kind = kindOf(contentType);
  if (kind && (expected === 'either' || kind === expected)) return kind;
  return textReply(415, `Content-Type must be ${expected === 'checkin' ? CHECKIN_TYPE : expected === 'connect' ? CONNECT_TYPE : `${CHECKIN_TYPE} or ${CONNECT_TYPE}`}`);
}

export type MdmProcessor = (kind: Kind, signature: string | undefined, body: Buffer) => Promise<MdmReply>;

export function mdmProcessor(deps: MdmFaceDeps): MdmProcessor {
  const mdm: MdmDeps = { store: deps.store, clock: deps.clock, ids: deps.ids };
  let trust: SignatureTrust | undefined;
  const trustOf = () => (trust ??= deps.pki ? signatureTrust([deps.pki.ca.cert]) : undefined);
  return async (kind, signature, body) => {
    const t = trustOf();
    if (!t) return textReply(503, 'MDM is not configured on this server (no CA)');
    try {
      const identity = verifyMdmSignature(signature, body, t, mdm.clock.now());
      const msg = parsePlistDict(body);
      return kind === 'checkin' ? await handleCheckin(msg, body, identity, mdm) : await handleConnect(msg, body, identity, mdm);
    } catch (err) {
      const reply = mdmReplyOf(err);
      if (reply) return reply;
      throw err;
    }
  };
}

/**
 * Answers one MDM request through `reply`, whichever of the router and the fast path serves it.
 * `unread` is true when the rest of the body was not read (an unsigned or refused body is never
 * held: issue 17, finding 7), so the caller closes the connection with its answer.
 */
export function answerMdm(
  deps: Pick<MdmFaceDeps, 'bodyLimits' | 'logger'>, process: MdmProcessor, expected: Expected, path: string,
  req: IncomingMessage, res: ServerResponse, reply: (reply: MdmReply, unread: boolean) => void,
): void {
  const kind = kindFor(expected, req.headers['content-type']);
  if (typeof kind !== 'string') {
    req.resume();
    return reply(kind, false);
  }
  const signature = req.headers['mdm-signature'] as string | undefined;
  const unsigned = signatureShapeError(signature);
  if (unsigned) return reply(textReply(401, unsigned), true);
  // Compressed bodies are inflated by the one reader (body.ts), within the kind's limit.
  readMdmBody(req, kind === 'checkin' ? deps.bodyLimits.mdmCheckin : deps.bodyLimits.mdmConnect, (err, body) => {
    if (err) {
      if (!res.headersSent) reply(mdmReplyOf(err)!, true);
      return;
    }
    process(kind, signature, body).then((r) => reply(r, false), (e) => {
      if (!res.headersSent) reply(serverFaultReply(deps.logger, path, res, e), false);
    });
  });
}
