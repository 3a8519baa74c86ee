// The Apps and Books API face, mounted at /vpp/mdm/v2 (Apple: https://vpp.itunes.apple.com/mdm/v2).
// Thin: bound the request, authenticate the sToken, call the content services, answer in Apple's
// JSON with errorNumber/errorMessage (wire.ts). Known paths with another method answer 9726;
// POST bodies that are not JSON answer 9727.
import express, { Router } from 'express';
import type { VppFaceDeps } from './deps.js';
import { requireToken, vppContext } from './context.js';
import { assetRoutes } from './routes/assets.js';
import { configRoutes } from './routes/config.js';
import { userRoutes } from './routes/users.js';
import { vppErrorHandler } from './errors.js';
import { VppError } from './wire.js';

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
  r.use(express.json({ limit: deps.bodyLimits.vpp, type: 'application/json' }));
  const config = configRoutes(deps);
  r.use(config.open);
  r.use(requireToken(s));
  // The terms gate of this face (issue 16). Apple documents no errorNumber of its own for unsigned
  // terms: until an Administrator signs in to the portal and accepts them, the content token
  // "will not function" (support.apple.com HT203063), and 9601 "Login required." (401) is the
  // documented number whose remedy is that sign-in. service/config stays open, as it needs no token.
  r.use((_req, res, next) => {
    if (!s.organisations.termsAccepted(vppContext(res).org)) return next(new VppError(9601));
    next();
  });
  r.use(config.authed);
  r.use(assetRoutes(deps));
  r.use(userRoutes(deps));
  r.use(vppErrorHandler(deps.logger));
  return r;
}
