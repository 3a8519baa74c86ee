// Federated authentication (issue 16): admins link a verified domain to an OpenID Connect
// provider, see the conflicts, migrate and enable, rotate its secret, disable; people sign in
// through the provider.
import { Router } from 'express';
import { fieldApiError } from '../../../http/api-errors.js';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission, SESSION_COOKIE } from '../../../http/admin-auth.js';
import { federationView } from '../views.js';

export function federationRoutes(s: AdminServices): Router {
  const r = Router();
  const manage = requirePermission('domains.manage');
  r.get('/federations', requirePermission('org.read'), async (_req, res) => {
    res.json({ items: (await s.federation.list(principalOf(res))).map(federationView), next_cursor: null });
  });
  r.post('/federations', manage, async (req, res) => {
    const b = req.body ?? {};
    const f = await s.federation.create(principalOf(res), { domainId: b.domain_id, issuer: b.issuer, clientId: b.client_id, clientSecret: b.client_secret });
    res.status(201).location(`${req.baseUrl}/federations/${encodeURIComponent(f.id)}`).json(federationView(f));
  });
  r.get('/federations/:id', requirePermission('org.read'), async (req, res) => {
    res.json(federationView(await s.federation.get(principalOf(res), param(req, 'id'))));
  });
  r.patch('/federations/:id', manage, async (req, res) => {
    const b = req.body ?? {};
    res.json(federationView(await s.federation.update(principalOf(res), param(req, 'id'), { issuer: b.issuer, clientId: b.client_id, clientSecret: b.client_secret })));
  });
  r.post('/federations/:id/disable', manage, async (req, res) => {
    res.json(federationView(await s.federation.disable(principalOf(res), param(req, 'id'))));
  });
  r.get('/federations/:id/conflicts', requirePermission('org.read'), async (req, res) => {
    res.json(await s.federation.conflicts(principalOf(res), param(req, 'id')));
  });
  r.post('/federations/:id/migrate', manage, async (req, res) => {
    res.json({ migrated: await s.federation.migrate(principalOf(res), param(req, 'id')) });
  });
  r.post('/federations/:id/enable', manage, async (req, res) => {
    res.json(federationView(await s.federation.enable(principalOf(res), param(req, 'id'))));
  });
  return r;
}

/** The public half: start a sign-in, finish it from the provider's redirect (sets the session cookie as POST /session does). */
export function federationSignInRoutes(s: AdminServices, secureCookies: boolean): Router {
  const r = Router();
  r.post('/federation/sign-in', async (req, res) => {
    const b = req.body ?? {};
    if (b.federation_id === undefined && b.email === undefined) {
      throw fieldApiError('federation_or_email_required', 'name the federation (federation_id) or the person signing in (email)', '/body/email', 'missing');
    }
    // The sign-in page knows the person's address, not the federation: the enabled one of its domain.
    const id = b.federation_id ?? await s.federationByEmail(b.email);
    res.json({ authorization_url: await s.federation.start(id) });
  });
  r.post('/federation/callback', async (req, res) => {
    const account = await s.federation.finish((req.body ?? {}).query, req.ip);
    const { sessionId, principal, expiresAt } = await s.accounts.openSession(account);
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', secure: secureCookies, expires: expiresAt, path: '/' });
    res.json({ account_id: principal.accountId, email: principal.email, roles: principal.roles, expires_at: expiresAt.toISOString() });
  });
  return r;
}
