// Authentication of admin callers (bearer API token or portal session cookie) and the
// per-route permission check. Identity goes into res.locals.principal.
import type { Request, RequestHandler, Response } from 'express';
import type { AccountService } from '../../business/accounts.js';
import { can, type Permission } from '../../business/permissions.js';
import type { Principal } from '../../business/principal.js';
import { ApiError } from './errors.js';

export const SESSION_COOKIE = 'orchard_session';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new ApiError(401, 'unauthenticated', 'authentication required');
  return p;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(accounts: AccountService, baseUrl: string): RequestHandler {
  const origin = new URL(baseUrl).origin;
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = m ? await accounts.authenticateApiToken(m[1]!) : undefined;
      if (!principal) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="orchard", error="invalid_token"');
        throw new ApiError(401, 'invalid_token', 'the API token is missing, malformed, expired or revoked');
      }
      res.locals.principal = principal;
      return next();
    }
    const sid = readCookie(req, SESSION_COOKIE);
    const principal = sid ? await accounts.authenticateSession(sid) : undefined;
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="orchard"');
      throw new ApiError(401, 'unauthenticated', 'sign in or send Authorization: Bearer <API token>');
    }
    // Cookie-authenticated writes must come from the portal itself (CSRF defence).
    if (!SAFE.has(req.method)) {
      const from = req.headers.origin ?? (req.headers.referer ? new URL(req.headers.referer).origin : undefined);
      if (from !== origin && req.headers['x-orchard-csrf'] !== '1') {
        throw new ApiError(403, 'csrf_rejected', 'cross-site request refused');
      }
    }
    res.locals.principal = principal;
    next();
  };
}

/** The route needs `permission`; the matrix in business/permissions.ts decides. */
export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res);
    if (!can(p.roles, permission)) throw new ApiError(403, 'forbidden', `your roles do not allow this (needs ${permission})`);
    next();
  };
}
