// The enrolment face's errors in one place: `{"code", "message"}` JSON with the HTTP status
// (Setup Assistant shows no body; MDM vendors' tooling and our simulator read the code).
// Refusals and crypto/plist failures keep their codes; clients' faults in the body (unknown or
// corrupt Content-Encoding, a charset other than UTF-8, too many form parameters, too large)
// get theirs; anything else is INTERNAL_ERROR naming only the request id.
import type { ErrorRequestHandler, Response } from 'express';
import { DomainError } from '../business/errors.js';
import { CryptoError } from '../crypto/types.js';
import { clientErrorOf, type ClientFault } from '../http/client-errors.js';
import { logServerFault } from '../http/request-id.js';
import type { Logger } from '../log.js';
import { PlistError } from '../plist/index.js';
import { EnrolmentRefusal } from '../business/enrollment/device-enrolment.js';
import { HTTP_STATUS_OF_KIND } from '../http/domain-status.js';

const CODE_OF_FAULT: Record<ClientFault, string> = {
  'body-too-large': 'TOO_LARGE',
  'too-many-parameters': 'TOO_MANY_PARAMETERS',
  'unsupported-encoding': 'UNSUPPORTED_ENCODING',
  'unsupported-charset': 'UNSUPPORTED_CHARSET',
  'malformed-body': 'MALFORMED_REQUEST',
  'unreadable-body': 'MALFORMED_REQUEST',
  'malformed-path': 'NOT_FOUND',
};


export function refuse(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ code, message });
}

export function toEnrolmentRefusal(err: unknown): EnrolmentRefusal | undefined {
  if (err instanceof EnrolmentRefusal) return err;
  if (err instanceof CryptoError) {
    return err.reason === 'device-mismatch'
      ? new EnrolmentRefusal(403, 'DEVICE_MISMATCH', err.message)
      : new EnrolmentRefusal(400, 'BAD_SIGNATURE', err.message);
  }
  if (err instanceof PlistError) return new EnrolmentRefusal(400, 'MALFORMED_DEVICE_INFO', err.message);
  if (err instanceof DomainError) return new EnrolmentRefusal(HTTP_STATUS_OF_KIND[err.kind], err.code.toUpperCase(), err.message);
  const client = clientErrorOf(err);
  if (!client) return undefined;
  return new EnrolmentRefusal(client.status, CODE_OF_FAULT[client.fault], client.fault === 'body-too-large' ? 'request body too large' : client.message);
}

export function enrollErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toEnrolmentRefusal(err);
    if (e) return refuse(res, e.status, e.code, e.message);
    const requestId = logServerFault(logger, 'enroll', req.originalUrl.split('?')[0]!, res, err);
    refuse(res, 500, 'INTERNAL_ERROR', `internal error (request id ${requestId})`);
  };
}
