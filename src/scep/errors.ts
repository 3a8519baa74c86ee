// The SCEP face's errors in one place. RFC 8894 answers failures about a verifiable request
// inside a CertRep (service.ts); everything before that (no operation, a body that cannot be
// read or verified, too large, a server fault) is a plain-text HTTP error, as SCEP servers answer.
import type { ErrorRequestHandler, Response } from 'express';
import { CryptoError } from '../crypto/types.js';
import { clientErrorOf } from '../http/client-errors.js';
import { logServerFault } from '../http/request-id.js';
import type { Logger } from '../log.js';

export class ScepHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function plainError(res: Response, status: number, text: string) {
  res.status(status).type('text/plain').send(`${text}\n`);
}

export function toScepHttpError(err: unknown): ScepHttpError | undefined {
  if (err instanceof ScepHttpError) return err;
  // No verifiable signature: no CertRep can be addressed to the sender (§3.3.2).
  if (err instanceof CryptoError) return new ScepHttpError(400, `bad pkiMessage: ${err.reason}`);
  const client = clientErrorOf(err);
  if (!client) return undefined;
  return new ScepHttpError(client.status, client.fault === 'body-too-large' ? 'pkiMessage too large' : client.message);
}

export function scepErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toScepHttpError(err);
    if (e) return plainError(res, e.status, e.message);
    const requestId = logServerFault(logger, 'scep', req.originalUrl.split('?')[0]!, res, err);
    plainError(res, 500, `internal error (request id ${requestId})`);
  };
}
