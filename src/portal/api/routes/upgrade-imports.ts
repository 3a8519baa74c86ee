// Upgrading from the old separate programmes (issue 16): import an old DEP/VPP account's export
// into the caller's organisation (?dry_run=true: the plan only), and read the imports made.
import { Router } from 'express';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import type { AdminServices } from '../../deps.js';
import { upgradeImportView } from '../views.js';

export function upgradeImportRoutes(s: AdminServices): Router {
  const r = Router();
  r.post('/organisation/upgrade-imports', requirePermission('upgrade.import'), async (req, res) => {
    const actor = principalOf(res);
    if (req.query.dry_run === 'true') {
      const plan = await s.upgradeImports.plan(actor, req.body);
      res.json({ dry_run: true, source_digest: plan.digest, counts: plan.counts, refusals: plan.refusals.map(({ pointer, code, message }) => ({ pointer, code, message })) });
      return;
    }
    const rec = await s.upgradeImports.import(actor, req.body);
    res.status(201).location(`${req.baseUrl}/organisation/upgrade-imports/${encodeURIComponent(rec.id)}`).json(upgradeImportView(rec));
  });
  r.get('/organisation/upgrade-imports', requirePermission('upgrade.import'), async (_req, res) => {
    res.json({ items: (await s.upgradeImports.list(principalOf(res))).map(upgradeImportView), next_cursor: null });
  });
  r.get('/organisation/upgrade-imports/:id', requirePermission('upgrade.import'), async (req, res) => {
    res.json(upgradeImportView(await s.upgradeImports.get(principalOf(res), param(req, 'id'))));
  });
  return r;
}
