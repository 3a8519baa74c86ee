// Authentication of the Apps and Books API: the sToken in `Authorization: Bearer` names one
// location's library; the context goes into res.locals.vpp for the handlers.
import type { RequestHandler, Response } from 'express';
import type { VppContext } from '../business/content/tokens.js';
import type { VppFaceDeps } from './deps.js';

export function requireToken(s: VppFaceDeps['services']): RequestHandler {
  return async (req, res, next) => {
    res.locals.vpp = await s.content.tokens.authenticate(req.headers.authorization);
    next();
  };
}

export function vppContext(res: Response): VppContext {
  return res.locals.vpp as VppContext;
}
