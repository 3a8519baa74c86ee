import { Router } from 'express';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { auditView, locationView, organisationView } from '../views.js';

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

  r.get('/locations', requirePermission('org.read'), async (_req, res) => {
    res.json({ locations: (await s.organisations.listLocations(principalOf(res).orgId)).map(locationView) });
  });
  r.post('/locations', requirePermission('locations.manage'), async (req, res) => {
    const loc = await s.organisations.createLocation(principalOf(res).orgId, req.body ?? {});
    res.status(201).json(locationView(loc));
  });
  r.get('/locations/:id', requirePermission('org.read'), async (req, res) => {
    res.json(locationView(await s.organisations.getLocation(principalOf(res).orgId, param(req, 'id'))));
  });
  r.patch('/locations/:id', requirePermission('locations.manage'), async (req, res) => {
    const b = req.body ?? {};
    res.json(locationView(await s.organisations.updateLocation(principalOf(res).orgId, param(req, 'id'), { name: b.name, address: b.address })));
  });
  r.delete('/locations/:id', requirePermission('locations.manage'), async (req, res) => {
    await s.organisations.deleteLocation(principalOf(res).orgId, param(req, 'id'));
    res.status(204).end();
  });

  r.get('/audit', requirePermission('audit.read'), async (req, res) => {
    const limit = Number(req.query.limit ?? 100);
    const before = req.query.before_id ? Number(req.query.before_id) : undefined;
    const entries = await s.audit.list(principalOf(res), { limit: Number.isFinite(limit) ? limit : 100, beforeId: before });
    res.json({ entries: entries.map(auditView) });
  });
  return r;
}
