// The web portal's errors: a small HTML page for a browser, never a stack or a path; a server
// fault names only the request id that its log line and the X-Request-Id header carry.
import type { ErrorRequestHandler } from 'express';
import { clientErrorOf } from '../../http/client-errors.js';
import { logServerFault } from '../../http/request-id.js';
import type { Logger } from '../../log.js';

const page = (title: string, text: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orchard: ${title}</title></head>
<body><h1>${title}</h1><p>${text}</p></body></html>`;

export function portalErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const client = clientErrorOf(err);
    if (client) {
      res.status(client.status).type('html').send(page('Bad request', client.message));
      return;
    }
    const requestId = logServerFault(logger, 'portal', req.originalUrl.split('?')[0]!, res, err);
    // The id is a UUID from our own Ids: nothing to escape.
    res.status(500).type('html').send(page('Something went wrong', `Orchard could not answer. Request id: ${requestId}`));
  };
}
