// The reseller face's errors in one place: `{"errorCode": "...", "errorMessage": "..."}` with the
// HTTP status. Domain errors keep their code (upper-cased, as the reseller API spells codes) with
// the status of their kind; clients' faults in the body get their own codes; anything else is
// INTERNAL_ERROR naming only the request id (its X-Request-Id and log line carry the same id).
import type { ErrorRequestHandler } from 'express';
import { DomainError, type DomainErrorKind } from '../business/errors.js';
import { clientErrorOf, type ClientFault } from '../http/client-errors.js';
import { logServerFault } from '../http/request-id.js';
import type { Logger } from '../log.js';

export class ResellerError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

// As the face answered them before: not-found 404, forbidden 403 (a reseller ID that is not the
// caller's), any other refusal 400.
const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400, conflict: 400, forbidden: 403, 'not-found': 404, unauthenticated: 400, unavailable: 400, 'rate-limited': 429,
};

const CODE_OF_FAULT: Record<ClientFault, string> = {
  'body-too-large': 'REQUEST_TOO_LARGE',
  'too-many-parameters': 'REQUEST_TOO_LARGE',
  'unsupported-encoding': 'UNSUPPORTED_ENCODING',
  'unsupported-charset': 'UNSUPPORTED_ENCODING',
  'malformed-body': 'MALFORMED_REQUEST',
  'unreadable-body': 'MALFORMED_REQUEST',
  'malformed-path': 'NOT_FOUND',
};

export function toResellerError(err: unknown): ResellerError | undefined {
  if (err instanceof ResellerError) return err;
  if (err instanceof DomainError) return new ResellerError(STATUS_OF_KIND[err.kind], err.code.toUpperCase(), err.message);
  const client = clientErrorOf(err);
  if (!client) return undefined;
  return new ResellerError(client.status, CODE_OF_FAULT[client.fault], client.fault === 'malformed-body' ? 'the body is not valid JSON' : client.message);
}

export function resellerErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e = toResellerError(err);
    if (!e) {
      const requestId = logServerFault(logger, 'reseller', req.originalUrl.split('?')[0]!, res, err);
      e = new ResellerError(500, 'INTERNAL_ERROR', `internal error (request id ${requestId})`);
    }
    res.status(e.status).json({ errorCode: e.code, errorMessage: e.message });
  };
}
