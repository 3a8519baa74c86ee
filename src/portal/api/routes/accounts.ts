import { Router } from 'express';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { PERMISSIONS, can } from '../../../business/permissions.js';
import { ApiError, fieldApiError } from '../../../http/api-errors.js';
import { accountView, apiTokenView } from '../views.js';
import { listAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';

export function accountRoutes(s: AdminServices): Router {
  const r = Router();
  r.get('/me', async (_req, res) => {
    const p = principalOf(res);
    const account = await s.accounts.get(p, p.accountId);
    // The permissions the caller's roles grant: the portal shows only the pages they open.
    res.json({ ...accountView(account), organisation_id: p.orgId, permissions: PERMISSIONS.filter((x) => can(p.roles, x)) });
  });
  r.get('/accounts', requirePermission('accounts.read'), async (req, res) => {
    const { role, q } = req.query as Record<string, string | undefined>;
    const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const accounts = (await s.accounts.list(principalOf(res))).filter((a) => (!role || a.roles.includes(role as never))
      && words.every((w) => `${a.email} ${a.givenName} ${a.familyName}`.toLowerCase().includes(w)));
    res.json(listAnswer(req, accounts.map(accountView), LIST_SPECS.accounts, (a) => a));
  });
  r.post('/accounts', requirePermission('accounts.manage'), async (req, res) => {
    const b = req.body ?? {};
    const a = await s.accounts.create(principalOf(res), principalOf(res).orgId, {
      email: b.email, givenName: b.given_name, middleName: b.middle_name, familyName: b.family_name, locationId: b.location_id, contactEmail: b.contact_email, password: b.password, roles: b.roles,
    });
    res.status(201).location(`/api/v1/accounts/${a.id}`).json(accountView(a));
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
    // The document requires password, a string (validated before this handler).
    await s.accounts.setPassword(principalOf(res), param(req, 'id'), req.body.password);
    res.status(204).end();
  });
  // Sends the invitation again (the previous link dies); only while the account has no password.
  r.post('/accounts/:id/invitation', requirePermission('accounts.manage'), async (req, res) => {
    const inv = await s.accounts.reinvite(principalOf(res), param(req, 'id'), (a) => s.invitations.resend(a));
    res.json({ account_id: inv.accountId, created_at: inv.createdAt.toISOString(), expires_at: inv.expiresAt.toISOString() });
  });
  r.post('/accounts/:id/transfer', requirePermission('responsibilities.transfer'), async (req, res) => {
    const to = req.body.to_account_id as string; // required, a string: validated from the document
    const out = await s.accounts.transferResponsibilities(principalOf(res), param(req, 'id'), to);
    res.json({ from: accountView(out.from), to: accountView(out.to), moved_roles: out.moved });
  });

  // API tokens: an account manages its own; managers of accounts can revoke others'.
  r.post('/accounts/:id/api-tokens', async (req, res) => {
    const p = principalOf(res);
    if (req.params.id !== p.accountId) throw new ApiError(403, 'forbidden', 'you can only create API tokens for yourself');
    const b = req.body ?? {};
    const days = b.expires_in_days === undefined ? undefined : Number(b.expires_in_days);
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      throw fieldApiError('expires_in_days_invalid', 'expires_in_days must be 1..3650', '/body/expires_in_days', 'invalid_value', 'an integer from 1 to 3650');
    }
    const { token, record } = await s.accounts.issueApiToken(p.accountId, String(b.name ?? 'API token'), days);
    res.status(201).location(`/api/v1/accounts/${p.accountId}/api-tokens/${record.id}`).json({ ...apiTokenView(record), token });
  });
  r.get('/accounts/:id/api-tokens', async (req, res) => {
    const p = principalOf(res);
    if (req.params.id !== p.accountId) await s.accounts.get(p, param(req, 'id'));
    if (req.params.id !== p.accountId && !p.roles.includes('Administrator')) throw new ApiError(403, 'forbidden', 'only an Administrator can see other accounts\' tokens');
    res.json(listAnswer(req, (await s.accountTokens(param(req, 'id'))).map(apiTokenView), LIST_SPECS.apiTokens, (t) => t));
  });
  r.delete('/accounts/:id/api-tokens/:tokenId', async (req, res) => {
    const p = principalOf(res);
    if (req.params.id !== p.accountId && !p.roles.includes('Administrator')) throw new ApiError(403, 'forbidden', 'only an Administrator can revoke other accounts\' tokens');
    await s.accounts.revokeApiToken(p, param(req, 'id'), param(req, 'tokenId'));
    res.status(204).end();
  });
  return r;
}
