// The Apps and Books API face, mounted at /vpp/mdm/v2 (Apple: https://vpp.itunes.apple.com/mdm/v2).
// Thin: bound the request, authenticate the sToken, call the content services, answer in Apple's
// JSON with errorNumber/errorMessage (wire.ts). Known paths with another method answer 9726;
// POST bodies that are not JSON answer 9727.
import express, { Router, type ErrorRequestHandler } from 'express';
import type { VppFaceDeps } from './deps.js';
import { DomainError } from '../business/errors.js';
import { requireToken } from './context.js';
import { assetRoutes } from './routes/assets.js';
import { configRoutes } from './routes/config.js';
import { userRoutes } from './routes/users.js';
import { errorBody, NUMBER_OF_CODE, VppError, type ErrorInfo } from './wire.js';

const METHODS: Record<string, string[]> = {
  '/service/config': ['GET'],
  '/client/config': ['GET', 'POST'],
  '/assets': ['GET'],
  '/assignments': ['GET'],
  '/assets/associate': ['POST'],
  '/assets/disassociate': ['POST'],
  '/assets/revoke': ['POST'],
  '/status': ['GET'],
  '/users': ['GET'],
  '/users/create': ['POST'],
  '/users/update': ['POST'],
  '/users/retire': ['POST'],
};

export function vppErrorHandler(deps: Pick<VppFaceDeps, 'logger'>): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof VppError) {
      res.status(err.status).json(errorBody(err.errorNumber, err.errorInfo));
      return;
    }
    if (err instanceof DomainError) {
      const n = NUMBER_OF_CODE[err.code] ?? (err.kind === 'unauthenticated' ? 9601 : err.kind === 'unavailable' ? 9603 : 9602);
      const e = new VppError(n, err.details as ErrorInfo | undefined);
      res.status(e.status).json(errorBody(n, e.errorInfo));
      return;
    }
    const type = (err as { type?: string })?.type;
    if (type === 'entity.parse.failed' || type === 'entity.too.large' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json(errorBody(9602));
      return;
    }
    deps.logger.error('vpp: unhandled error', { path: req.originalUrl.split('?')[0], error: (err as Error)?.stack ?? String(err) });
    // 5xx answers tell the client when to retry (…/handling-error-responses, "Handle retry-after headers").
    res.status(500).setHeader('Retry-After', '60').json(errorBody(9603));
  };
}

export function vppRouter(deps: VppFaceDeps): Router {
  const s = deps.services;
  const r = Router();
  r.use((req, _res, next) => {
    const allowed = METHODS[req.path];
    if (!allowed) return next(new VppError(9602));
    if (!allowed.includes(req.method)) return next(new VppError(9726));
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') return next(new VppError(9727));
    }
    next();
  });
  r.use(express.json({ limit: '2mb', type: 'application/json' }));
  const config = configRoutes(deps);
  r.use(config.open);
  r.use(requireToken(s));
  r.use(config.authed);
  r.use(assetRoutes(deps));
  r.use(userRoutes(deps));
  r.use(vppErrorHandler(deps));
  return r;
}
