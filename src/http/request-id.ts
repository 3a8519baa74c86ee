// Every answer carries X-Request-Id, and every error logged for it names the same id, so an
// operator can find the log line behind a client's report without the answer showing internals.
// The id lives in the response header itself: no per-request state elsewhere.
import type { ServerResponse } from 'node:http';
import type { Ids } from '../clock.js';
import type { Logger } from '../log.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Gives the response a fresh request id (in its header) and returns it. */
export function assignRequestId(res: ServerResponse, ids: Ids): string {
  const id = ids.uuid();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The request id the response carries ('' if none was assigned). */
export function requestIdOf(res: ServerResponse): string {
  const v = res.getHeader(REQUEST_ID_HEADER);
  return typeof v === 'string' ? v : '';
}

/**
 * Logs an error no face could map (a server fault) with the request id its answer carries. The
 * stack goes to the log only; the answer says "internal error" and the id.
 */
export function logServerFault(logger: Logger, face: string, path: string, res: ServerResponse, err: unknown): string {
  const requestId = requestIdOf(res);
  logger.error('unhandled error', { face, path, request_id: requestId, error: (err as Error)?.stack ?? String(err) });
  return requestId;
}
