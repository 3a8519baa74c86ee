// Domains for Managed Apple IDs (issue 16): add one, publish its TXT record, verify, remove.
import { Router } from 'express';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { domainView } from '../views.js';

export function domainRoutes(s: AdminServices): Router {
  const r = Router();
  r.get('/domains', requirePermission('org.read'), async (_req, res) => {
    res.json({ items: (await s.domains.list(principalOf(res))).map(domainView), next_cursor: null });
  });
  r.post('/domains', requirePermission('domains.manage'), async (req, res) => {
    const d = await s.domains.add(principalOf(res), (req.body ?? {}).name);
    res.status(201).location(`${req.baseUrl}/domains/${encodeURIComponent(d.id)}`).json(domainView(d));
  });
  r.get('/domains/:id', requirePermission('org.read'), async (req, res) => {
    res.json(domainView(await s.domains.get(principalOf(res), param(req, 'id'))));
  });
  r.post('/domains/:id/verify', requirePermission('domains.manage'), async (req, res) => {
    res.json(domainView(await s.domains.verify(principalOf(res), param(req, 'id'))));
  });
  r.delete('/domains/:id', requirePermission('domains.manage'), async (req, res) => {
    await s.domains.remove(principalOf(res), param(req, 'id'));
    res.status(204).end();
  });
  return r;
}
