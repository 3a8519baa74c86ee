// The DEP face's errors in one place: what becomes which bare code (wire.ts holds the codes and
// their statuses), and the handler that answers them. Domain errors with a DEP word
// (wire.ts depErrorOfDomainCode) or a DEP code keep it; others map by kind. A client's fault in the body (unknown or corrupt
// Content-Encoding, bad charset, too large) is MALFORMED_REQUEST_BODY, before authentication
// too. Anything else is INTERNAL_SERVER_ERROR, logged with the request id the answer carries.
import type { ErrorRequestHandler } from 'express';
import { DomainError, type DomainErrorKind } from '../business/errors.js';
import { clientErrorOf } from '../http/client-errors.js';
import { logServerFault } from '../http/request-id.js';
import type { Logger } from '../log.js';
import { DEP_ERRORS, DepError, depError, depErrorOfDomainCode, type DepErrorCode } from './wire.js';

const CODE_OF_KIND: Record<DomainErrorKind, DepErrorCode> = {
  invalid: 'MALFORMED_REQUEST_BODY',
  conflict: 'MALFORMED_REQUEST_BODY',
  'not-found': 'NOT_FOUND',
  forbidden: 'ACCESS_DENIED',
  unauthenticated: 'UNAUTHORIZED',
  unavailable: 'SERVICE_UNAVAILABLE',
  'rate-limited': 'TOO_MANY_REQUESTS',
};

export function toDepError(err: unknown): DepError | undefined {
  if (err instanceof DepError) return err;
  if (err instanceof DomainError) {
    return depErrorOfDomainCode(err.code) ?? depError(err.code in DEP_ERRORS ? err.code as DepErrorCode : CODE_OF_KIND[err.kind]);
  }
  const client = clientErrorOf(err);
  if (client) return depError(client.fault === 'malformed-path' ? 'NOT_FOUND' : 'MALFORMED_REQUEST_BODY');
  return undefined;
}

export function depErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e = toDepError(err);
    if (!e) {
      logServerFault(logger, 'dep', req.originalUrl.split('?')[0]!, res, err);
      e = depError('INTERNAL_SERVER_ERROR');
    }
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.status(e.status).type('text/plain; charset=UTF-8').send(e.body);
  };
}
