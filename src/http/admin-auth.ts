// Authentication of admin callers (bearer API token or portal session cookie) and the
// per-route permission check. Identity goes into res.locals.principal.
import type { Request, RequestHandler, Response } from 'express';
import type { AccountService } from '../business/accounts.js';
import { can, type Permission } from '../business/permissions.js';
import type { OperatorCredential } from '../business/operator.js';
import type { Principal } from '../business/principal.js';
import { ApiError } from './api-errors.js';

export const SESSION_COOKIE = 'orchard_session';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeCookieValue(part.slice(i + 1).trim());
  }
  return undefined;
}

/** A cookie value that is not percent-encoding names no session (RFC 6265 leaves decoding to us). */
function decodeCookieValue(v: string): string | undefined {
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
}

/** The origin of an Origin or Referer header; a value that is not a URL has none. */
function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p && isOperator(res)) throw new ApiError(403, 'forbidden', "the operator's credential acts on no organisation: use an account's API token");
  if (!p) throw new ApiError(401, 'unauthenticated', 'authentication required');
  return p;
}

/** The caller proved itself with the server operator's token (src/business/operator.ts). */
export const isOperator = (res: Response): boolean => res.locals.operator === true;

/** The route is the server operator's (test controls): an organisation's roles do not open it. */
export const requireOperator: RequestHandler = (_req, res, next) => {
  if (!isOperator(res)) throw new ApiError(403, 'operator_only', "only the server operator's token (<data dir>/operator-token) opens this route");
  next();
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(accounts: AccountService, baseUrl: string, operator?: OperatorCredential): RequestHandler {
  const origin = new URL(baseUrl).origin;
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (m && operator?.matches(m[1]!)) {
        res.locals.operator = true;
        return next();
      }
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
      const from = req.headers.origin ?? (req.headers.referer ? originOf(req.headers.referer) : undefined);
      if (from !== origin && req.headers['x-orchard-csrf'] !== '1') {
        throw new ApiError(403, 'csrf_rejected', 'cross-site request refused');
      }
    }
    res.locals.principal = principal;
    next();
  };
}

/**
 * The route needs `permission`; the matrix in business/permissions.ts decides. The step carries
 * its permission so the route sweep (test/probe/admin-sweep.test.ts) reads each route's need
 * from the mounted router instead of a second list that could drift.
 */
export function requirePermission(permission: Permission): RequestHandler & { permission: Permission } {
  const check: RequestHandler = (_req, res, next) => {
    const p = principalOf(res);
    if (!can(p.roles, permission)) throw new ApiError(403, 'forbidden', `your roles do not allow this (needs ${permission})`);
    next();
  };
  return Object.assign(check, { permission });
}
