import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';

/** One line per request: method, path (no query string: it may carry secrets), status, duration. */
export function requestLog(logger: Logger, face: string): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info('request', { face, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 100) / 100 });
    });
    next();
  };
}
