// The last handler of each Express app: whatever no face answered ends here, never in Express's
// default handler (which answers HTML with the stack and the library's paths). A client's
// fault keeps its 4xx; anything else is a 500. The body is plain text without internals and
// names the request id, which the log line of the fault carries too.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log.js';
import { clientErrorOf } from './client-errors.js';
import { logServerFault, requestIdOf } from './request-id.js';

export function lastErrorHandler(logger: Logger, face: string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const path = req.originalUrl.split('?')[0]!;
    if (res.headersSent) {
      // Part of an answer is on the wire: it cannot become an error answer, so end the exchange.
      logServerFault(logger, face, path, res, err);
      req.socket.destroy();
      return;
    }
    const client = clientErrorOf(err);
    const requestId = client ? requestIdOf(res) : logServerFault(logger, face, path, res, err);
    const status = client?.status ?? 500;
    const message = client?.message ?? 'internal error';
    res.status(status).type('text/plain; charset=utf-8').send(`${message} (request id ${requestId})\n`);
  };
}

export const lastNotFound: RequestHandler = (req, res) => {
  res.status(404).type('text/plain').send(`Not Found: ${req.method} ${req.path}\n`);
};
