// The admin API's wire vocabulary for errors: `{"error": {"code", "message", "details"?}}`
// with the HTTP status. Unexpected errors become a bare 500 without internals.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '../business/errors.js';
import { CryptoError } from '../crypto/types.js';
import type { Logger } from '../log.js';
import { PlistError } from '../plist/index.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

const STATUS_OF_KIND: Record<DomainError['kind'], number> = {
  invalid: 400, 'not-found': 404, conflict: 409, forbidden: 403, unauthenticated: 401, unavailable: 503, 'rate-limited': 429,
};

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return new ApiError(STATUS_OF_KIND[err.kind], err.code, err.message, err.details);
  if (err instanceof CryptoError) return new ApiError(400, `crypto_${err.reason.replace(/-/g, '_')}`, err.message);
  if (err instanceof PlistError) return new ApiError(400, 'plist_invalid', err.message);
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new ApiError(400, 'malformed_json', 'the request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new ApiError(413, 'body_too_large', 'the request body is too large');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new ApiError(415, 'unsupported_encoding', e.message ?? 'unsupported encoding');
  return undefined;
}

export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const api = toApiError(err);
    if (!api) {
      logger.error('unhandled error', { path: req.originalUrl.split('?')[0], error: (err as Error)?.stack ?? String(err) });
      res.status(500).json({ error: { code: 'internal_error', message: 'internal error' } });
      return;
    }
    res.status(api.status).json({ error: { code: api.code, message: api.message, ...(api.details ? { details: api.details } : {}) } });
  };
}

export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'route_not_found', message: `no route ${req.method} ${req.originalUrl.split('?')[0]}` } });
};
