import { Router } from 'express';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { auditView, locationView, organisationView } from '../views.js';
import { listAnswer, listQuery, pageAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';
import { fieldApiError } from '../../../http/api-errors.js';

/** An ISO 8601 date or time of the query, or a 400 at its pointer. */
function dateParam(v: string | undefined, name: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) {
    throw fieldApiError('invalid_request', `the request does not match the API: /query/${name} must be an ISO 8601 date or time`, `/query/${name}`, 'invalid_value', 'an ISO 8601 date or time, e.g. 2026-12-01T00:00:00Z');
  }
  return d;
}

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
  r.patch('/locations/:id', requirePermission('locations.manage'), async (req, res) => {
    const b = req.body ?? {};
    res.json(locationView(await s.organisations.updateLocation(principalOf(res).orgId, param(req, 'id'), { name: b.name, address: b.address })));
  });
  r.delete('/locations/:id', requirePermission('locations.manage'), async (req, res) => {
    await s.organisations.deleteLocation(principalOf(res).orgId, param(req, 'id'));
    res.status(204).end();
  });

  r.get('/audit', requirePermission('audit.read'), async (req, res) => {
    // Newest first, paged in SQL by id (the order entries are written in). Filters (the portal's
    // Activity page): q in who, what or target; one outcome. Shapes checked by the contract.
    const query = listQuery(req, LIST_SPECS.audit);
    const beforeId = query.after ? Number(query.after[1]) : undefined;
    const q = req.query as Record<string, string | undefined>;
    const entries = await s.audit.list(principalOf(res), {
      limit: query.limit + 1, beforeId, actor: q.actor || undefined, action: q.action || undefined, since: dateParam(q.since, 'since'), until: dateParam(q.until, 'until'),
      q: q.q || undefined, outcome: q.outcome || undefined,
    });
    res.json(pageAnswer(entries.map(auditView), query, LIST_SPECS.audit, (e) => e));
  });
  return r;
}
