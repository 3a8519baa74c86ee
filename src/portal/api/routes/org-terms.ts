// The Apps and Books terms and billing information (issue 16), accepted and set before the first
// purchase (src/business/content/purchases.ts refuses until then).
import { Router } from 'express';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import type { AdminServices } from '../../deps.js';
import { organisationView } from '../views.js';

export function orgTermsRoutes(s: AdminServices): Router {
  const r = Router();
  r.post('/organisation/content-terms', requirePermission('terms.accept'), async (_req, res) => {
    res.json(organisationView(await s.organisations.acceptContentTerms(principalOf(res))));
  });
  r.put('/organisation/billing', requirePermission('org.manage'), async (req, res) => {
    res.json(organisationView(await s.organisations.setBilling(principalOf(res), req.body ?? {})));
  });
  return r;
}
