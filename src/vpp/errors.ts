// The Apps and Books face's errors in one place: VppError (wire.ts holds the numbers, their
// messages and statuses), the mapping of domain errors and of clients' faults to an
// errorNumber, and the handler. Anything unmapped is 9603 with Retry-After, logged with the
// request id that the answer's X-Request-Id carries.
import type { ErrorRequestHandler } from 'express';
import { DomainError, type DomainErrorKind } from '../business/errors.js';
import { clientErrorOf } from '../http/client-errors.js';
import { logServerFault } from '../http/request-id.js';
import type { Logger } from '../log.js';
import { errorBody, NUMBER_OF_CODE, VppError, type ErrorInfo } from './wire.js';

const NUMBER_OF_KIND: Record<DomainErrorKind, number> = {
  unauthenticated: 9601, unavailable: 9603, 'rate-limited': 9603, invalid: 9602, conflict: 9602, 'not-found': 9602, forbidden: 9602,
};

export function toVppError(err: unknown): VppError | undefined {
  if (err instanceof VppError) return err;
  if (err instanceof DomainError) return new VppError(NUMBER_OF_CODE[err.code] ?? NUMBER_OF_KIND[err.kind], err.details as ErrorInfo | undefined);
  // A body the client garbled (JSON, charset, Content-Encoding, size): "Invalid argument." (400).
  if (clientErrorOf(err)) return new VppError(9602);
  return undefined;
}

export function vppErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toVppError(err);
    if (e) {
      res.status(e.status).json(errorBody(e.errorNumber, e.errorInfo));
      return;
    }
    logServerFault(logger, 'vpp', req.originalUrl.split('?')[0]!, res, err);
    // 5xx answers tell the client when to retry (…/handling-error-responses, "Handle retry-after headers").
    res.status(500).setHeader('Retry-After', '60').json(errorBody(9603));
  };
}
