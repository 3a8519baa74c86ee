// Errors of the device-facing MDM endpoints, in one place: a plain-text body and the status
// Apple's devices act on. 401 makes a device drop its MDM profile ("Check-in", legacy MDM
// protocol reference), so it is kept for a missing or bad Mdm-Signature only; an identity that
// is valid but does not belong to the device answers 403, as Apple advises for iOS 17+
// (PROTOCOLS.md §4). The router and the fast path both answer through mdmReplyOf and
// serverFaultReply, so a request gets the same answer whichever of them serves it.
import type { ServerResponse } from 'node:http';
import { DomainError, type DomainErrorKind } from '../business/errors.js';
import { clientErrorOf } from '../http/client-errors.js';
import { logServerFault } from '../http/request-id.js';
import type { Logger } from '../log.js';
import { PlistError } from '../plist/index.js';
import type { MdmReply } from './checkin/types.js';
import { HTTP_STATUS_OF_KIND } from '../http/domain-status.js';

export class MdmError extends Error {
  override name = 'MdmError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const badRequest = (m: string) => new MdmError(400, m);
export const unauthorized = (m: string) => new MdmError(401, m);
export const forbidden = (m: string) => new MdmError(403, m);

export const textReply = (status: number, text: string): MdmReply =>
  ({ status, body: text.endsWith('\n') ? text : `${text}\n`, contentType: 'text/plain; charset=utf-8' });

// Never 401 from the domain: only a refused Mdm-Signature may make a device drop its profile.
const STATUS_OF_KIND: Record<DomainErrorKind, number> = { ...HTTP_STATUS_OF_KIND, unauthenticated: 403 };

/** The wire answer for an error the MDM face knows, else undefined (a server fault). */
export function mdmReplyOf(err: unknown): MdmReply | undefined {
  if (err instanceof MdmError) return textReply(err.status, err.message);
  if (err instanceof PlistError) return textReply(400, `the body is not an acceptable plist: ${err.message}`);
  if (err instanceof DomainError) return textReply(STATUS_OF_KIND[err.kind], err.message);
  const client = clientErrorOf(err);
  if (client) return textReply(client.status, client.fault === 'body-too-large' ? 'body too large' : client.fault === 'unreadable-body' ? 'unreadable body' : client.message);
  return undefined;
}

/** A server fault: logged with the request id; the device sees a bare 500. */
export function serverFaultReply(logger: Logger, path: string, res: ServerResponse, err: unknown): MdmReply {
  logServerFault(logger, 'mdm', path, res, err);
  return textReply(500, 'internal error');
}
