// Routes of the admin API that need no prior authentication: sign-up and sign-in.
import { Router } from 'express';
import { DomainError } from '../../../business/errors.js';
import type { AdminServices } from '../../deps.js';
import { SESSION_COOKIE, readCookie } from '../../../http/admin-auth.js';
import { ApiError } from '../../../http/api-errors.js';
import { accountView, organisationView } from '../views.js';

export function publicRoutes(s: AdminServices, secureCookies: boolean): Router {
  const r = Router();
  /** An organisation enrols: verified against the D-U-N-S directory; its first account is an Administrator. */
  r.post('/signup', async (req, res) => {
    const b = req.body ?? {};
    const admin = b.administrator ?? {};
    if (typeof admin.password !== 'string') throw new ApiError(400, 'password_required', 'administrator.password is required');
    const { org, account, token } = await s.signUp({ name: b.name, duns: b.duns, email: b.email, phone: b.phone, orgType: b.org_type }, {
      email: admin.email, givenName: admin.given_name, familyName: admin.family_name, password: admin.password, roles: ['Administrator'],
    });
    res.status(201).json({ organisation: organisationView(org), administrator: accountView(account), api_token: token });
  });
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
