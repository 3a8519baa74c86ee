import { Router } from 'express';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { auditView, locationView, organisationView } from '../views.js';
import { listAnswer, listQuery, pageAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';

export function organisationRoutes(s: AdminServices): Router {
  const r = Router();
  r.get('/organisation', requirePermission('org.read'), async (_req, res) => {
    res.json(organisationView(await s.organisations.get(principalOf(res).orgId)));
  });
  r.patch('/organisation', requirePermission('org.manage'), async (req, res) => {
    const b = req.body ?? {};
    const org = await s.organisations.update(principalOf(res), {
      name: b.name, email: b.email, phone: b.phone, address: b.address, consentText: b.consent_text, brandColor: b.brand_color,
    });
    res.json(organisationView(org));
  });
  r.post('/organisation/terms', requirePermission('terms.accept'), async (_req, res) => {
    res.json(organisationView(await s.organisations.acceptTerms(principalOf(res))));
  });

  r.get('/locations', requirePermission('org.read'), async (req, res) => {
    res.json(listAnswer(req, (await s.organisations.listLocations(principalOf(res).orgId)).map(locationView), LIST_SPECS.locations, (l) => l));
  });
  r.post('/locations', requirePermission('locations.manage'), async (req, res) => {
    const loc = await s.organisations.createLocation(principalOf(res).orgId, req.body ?? {});
    res.status(201).location(`/api/v1/locations/${loc.id}`).json(locationView(loc));
  });
  r.get('/locations/:id', requirePermission('org.read'), async (req, res) => {
    res.json(locationView(await s.organisations.getLocation(principalOf(res).orgId, param(req, 'id'))));
  });

  r.get('/audit', requirePermission('audit.read'), async (req, res) => {
    // Newest first, paged in SQL by id (the order entries are written in). Filters (the portal's
    // Activity page): q in who, what or target; one outcome. Shapes checked by the contract.
    const query = listQuery(req, LIST_SPECS.audit);
    const beforeId = query.after ? Number(query.after[1]) : undefined;
    const filter = { q: typeof req.query.q === 'string' ? req.query.q : undefined, outcome: typeof req.query.outcome === 'string' ? req.query.outcome : undefined };
    const entries = await s.audit.list(principalOf(res), { limit: query.limit + 1, beforeId, ...filter });
    res.json(pageAnswer(entries.map(auditView), query, LIST_SPECS.audit, (e) => e));
  });
  return r;
}
