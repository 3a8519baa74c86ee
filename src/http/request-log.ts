import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';

/**
 * One line per request, logged when the answer is finished: method, path (no query string: it
 * may carry secrets), status, duration. When info is off (--log-level warn, as the bench runs)
 * no clock is read, no listener added and no fields built. Express's faces and the MDM fast path
 * (which answers before Express) both log through here.
 */
export function logRequest(logger: Logger, face: string, method: string | undefined, path: string, res: ServerResponse): void {
  if (!logger.enabled('info')) return;
  const start = process.hrtime.bigint();
  res.once('finish', () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    logger.info('request', { face, method, path, status: res.statusCode, ms: Math.round(ms * 100) / 100 });
  });
}

export function requestLog(logger: Logger, face: string): RequestHandler {
  return (req, res, next) => {
    logRequest(logger, face, req.method, req.originalUrl.split('?')[0]!, res);
    next();
  };
}
