// Routes of the admin API that need no prior authentication: sign-in and sign-out (sign-up: signup.ts).
import { Router } from 'express';
import { DomainError } from '../../../business/errors.js';
import type { AdminServices } from '../../deps.js';
import { SESSION_COOKIE, readCookie } from '../../../http/admin-auth.js';

export function publicRoutes(s: AdminServices, secureCookies: boolean): Router {
  const r = Router();
  r.post('/session', async (req, res) => {
    const b = req.body ?? {};
    const { sessionId, principal, expiresAt } = await s.accounts.login(b.email, b.password, req.ip).catch((err) => {
      // A locked sign-in says when to come back (RFC 9110 §10.2.3).
      if (err instanceof DomainError && err.code === 'sign_in_locked') res.setHeader('Retry-After', String(err.details?.retry_after_seconds ?? 1));
      throw err;
    });
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', secure: secureCookies, expires: expiresAt, path: '/' });
    res.json({ account_id: principal.accountId, email: principal.email, roles: principal.roles, expires_at: expiresAt.toISOString() });
  });
  // The invitation link's page (the portal's) posts its token and the new password here.
  r.post('/invitations/accept', async (req, res) => {
    const b = req.body ?? {};
    const account = await s.invitations.accept(b.token, b.password, req.ip);
    res.json({ account_id: account.id, email: account.email });
  });
  r.delete('/session', async (req, res) => {
    const sid = readCookie(req, SESSION_COOKIE);
    if (sid) await s.accounts.logout(sid);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });
  return r;
}
