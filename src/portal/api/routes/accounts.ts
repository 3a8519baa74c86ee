import { Router } from 'express';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { ApiError } from '../../../http/api-errors.js';
import { accountView, apiTokenView } from '../views.js';

export function accountRoutes(s: AdminServices): Router {
  const r = Router();
  r.get('/me', async (_req, res) => {
    const p = principalOf(res);
    const account = await s.accounts.get(p, p.accountId);
    res.json({ ...accountView(account), organisation_id: p.orgId });
  });
  r.get('/accounts', requirePermission('accounts.read'), async (_req, res) => {
    res.json({ accounts: (await s.accounts.list(principalOf(res))).map(accountView) });
  });
  r.post('/accounts', requirePermission('accounts.manage'), async (req, res) => {
    const b = req.body ?? {};
    const a = await s.accounts.create(principalOf(res), principalOf(res).orgId, {
      email: b.email, givenName: b.given_name, middleName: b.middle_name, familyName: b.family_name, locationId: b.location_id, contactEmail: b.contact_email, password: b.password, roles: b.roles,
    });
    res.status(201).json(accountView(a));
  });
  r.get('/accounts/:id', requirePermission('accounts.read'), async (req, res) => {
    res.json(accountView(await s.accounts.get(principalOf(res), param(req, 'id'))));
  });
  r.patch('/accounts/:id', requirePermission('accounts.manage'), async (req, res) => {
    const b = req.body ?? {};
    const a = await s.accounts.update(principalOf(res), param(req, 'id'), {
      givenName: b.given_name, middleName: b.middle_name, familyName: b.family_name, locationId: b.location_id, contactEmail: b.contact_email, active: b.active, roles: b.roles, password: b.password,
    });
    res.json(accountView(a));
  });
  r.delete('/accounts/:id', requirePermission('accounts.manage'), async (req, res) => {
    await s.accounts.remove(principalOf(res), param(req, 'id'));
    res.status(204).end();
  });
  // An administrator's reset of another account's password (the account cannot sign in, or lost
  // it): permission-checked as account edits are, audited by the trail (never with the password).
  r.post('/accounts/:id/password', requirePermission('accounts.manage'), async (req, res) => {
    const password = (req.body ?? {}).password;
    if (typeof password !== 'string') throw new ApiError(400, 'password_required', 'password is required (a string)');
    await s.accounts.setPassword(principalOf(res), param(req, 'id'), password);
    res.status(204).end();
  });
  // Sends the invitation again (the previous link dies); only while the account has no password.
  r.post('/accounts/:id/invitation', requirePermission('accounts.manage'), async (req, res) => {
    const inv = await s.accounts.reinvite(principalOf(res), param(req, 'id'), (a) => s.invitations.resend(a));
    res.json({ account_id: inv.accountId, created_at: inv.createdAt.toISOString(), expires_at: inv.expiresAt.toISOString() });
  });
  r.post('/accounts/:id/transfer', requirePermission('responsibilities.transfer'), async (req, res) => {
    const to = (req.body ?? {}).to_account_id;
    if (typeof to !== 'string') throw new ApiError(400, 'to_account_id_required', 'to_account_id is required');
    const out = await s.accounts.transferResponsibilities(principalOf(res), param(req, 'id'), to);
    res.json({ from: accountView(out.from), to: accountView(out.to), moved_roles: out.moved });
  });

  // API tokens: an account manages its own; managers of accounts can revoke others'.
  r.post('/accounts/:id/api-tokens', async (req, res) => {
    const p = principalOf(res);
    if (req.params.id !== p.accountId) throw new ApiError(403, 'forbidden', 'you can only create API tokens for yourself');
    const b = req.body ?? {};
    const days = b.expires_in_days === undefined ? undefined : Number(b.expires_in_days);
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new ApiError(400, 'expires_in_days_invalid', 'expires_in_days must be 1..3650');
    const { token, record } = await s.accounts.issueApiToken(p.accountId, String(b.name ?? 'API token'), days);
    res.status(201).json({ ...apiTokenView(record), token });
  });
  r.get('/accounts/:id/api-tokens', async (req, res) => {
    const p = principalOf(res);
    if (req.params.id !== p.accountId) await s.accounts.get(p, param(req, 'id'));
    if (req.params.id !== p.accountId && !p.roles.includes('Administrator')) throw new ApiError(403, 'forbidden', 'only an Administrator can see other accounts\' tokens');
    res.json({ api_tokens: (await s.accountTokens(param(req, 'id'))).map(apiTokenView) });
  });
  r.delete('/accounts/:id/api-tokens/:tokenId', async (req, res) => {
    const p = principalOf(res);
    if (req.params.id !== p.accountId && !p.roles.includes('Administrator')) throw new ApiError(403, 'forbidden', 'only an Administrator can revoke other accounts\' tokens');
    await s.accounts.revokeApiToken(p, param(req, 'id'), param(req, 'tokenId'));
    res.status(204).end();
  });
  return r;
}
