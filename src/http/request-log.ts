import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Ids } from '../clock.js';
import type { Logger } from '../log.js';
import { assignRequestId } from './request-id.js';

/**
 * The start of every request, on Express and on the MDM fast path alike: a request id in the
 * answer's X-Request-Id, and one log line at the end (method, path without the query string,
 * which may carry secrets, status, duration, request id). When info is off (the bench runs at
 * warn) no clock is read and no listener added.
 */
export function beginRequest(logger: Logger, face: string, ids: Ids, req: IncomingMessage, res: ServerResponse, path: string): void {
  const requestId = assignRequestId(res, ids);
  if (!logger.enabled('info')) return;
  const start = process.hrtime.bigint();
  res.once('finish', () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    logger.info('request', { face, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 100) / 100, request_id: requestId });
  });
}

export function requestLog(logger: Logger, face: string, ids: Ids): RequestHandler {
  return (req, res, next) => {
    beginRequest(logger, face, ids, req, res, req.originalUrl.split('?')[0]!);
    next();
  };
}
