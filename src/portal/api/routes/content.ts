// Admin API for content (Content Manager): catalogue, VPP credit and cards, purchases and the
// consolidated history, licence transfers, licences per location, content tokens, custom apps.
// Assigning apps to devices and users is in content-assign.ts.
import { Router } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import {
  cardView, catalogItemView, creditView, customAppView, itemSummaryView, licenceView, purchaseView, transferView,
} from '../content-views.js';
import { ApiError } from '../../../http/api-errors.js';
import { contentAssignRoutes } from './content-assign.js';
import { listAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function contentAdminRoutes(deps: AdminFaceDeps): Router {
  const s = deps.services;
  const c = s.content;
  const r = Router();
  const read = requirePermission('content.read');
  const manage = requirePermission('content.manage');

  /** Prices are shown for `country`, or the country of `location_id`, or US. */
  async function priceCountry(orgId: string, q: Record<string, unknown>): Promise<string> {
    if (str(q.location_id)) return (await s.organisations.getLocation(orgId, String(q.location_id))).country;
    return (str(q.country) ?? 'US').toUpperCase();
  }

  r.get('/catalog', read, async (req, res) => {
    const p = principalOf(res);
    const q = req.query as Record<string, unknown>;
    const items = await c.catalog.search(p.orgId, { media: str(q.media) as 'apps' | 'books' | undefined, term: str(q.q), platform: str(q.platform), category: str(q.category) });
    const country = await priceCountry(p.orgId, q);
    res.json(listAnswer(req, items.map((i) => catalogItemView(i, country, c.catalog.currencies[country])), LIST_SPECS.catalog, (i) => i));
  });
  r.get('/catalog/:adamId', read, async (req, res) => {
    const p = principalOf(res);
    const item = await c.catalog.get(p.orgId, param(req, 'adamId'));
    if (!item) throw new ApiError(404, 'item_not_found', 'app or book not found');
    const country = await priceCountry(p.orgId, req.query as Record<string, unknown>);
    res.json(catalogItemView(item, country, c.catalog.currencies[country]));
  });
  r.get('/custom-apps', read, async (req, res) => {
    res.json(listAnswer(req, (await c.customApps.listForOrg(principalOf(res).orgId)).map(customAppView), LIST_SPECS.customApps, (a) => a));
  });

  r.get('/locations/:id/credit', read, async (req, res) => {
    const b = await c.credit.balance(principalOf(res), param(req, 'id'));
    res.json(creditView(b.location.id, b.currency, b.balanceMinor));
  });
  r.post('/locations/:id/credit/redeem', manage, async (req, res) => {
    const b = await c.credit.redeem(principalOf(res), param(req, 'id'), String(req.body?.code ?? ''));
    res.json(creditView(b.location.id, b.currency, b.balanceMinor));
  });
  r.get('/cards', read, async (req, res) => {
    res.json(listAnswer(req, (await c.credit.listCards(principalOf(res))).map(cardView), LIST_SPECS.cards, (x) => x));
  });
  r.post('/cards', manage, async (req, res) => {
    const card = await c.credit.addCard(principalOf(res), { label: req.body?.label, last4: req.body?.last4 });
    res.status(201).location(`/api/v1/cards/${card.id}`).json(cardView(card));
  });
  r.delete('/cards/:id', manage, async (req, res) => {
    await c.credit.removeCard(principalOf(res), param(req, 'id'));
    res.status(204).end();
  });

  r.post('/purchases', manage, async (req, res) => {
    const b = req.body ?? {};
    const out = await c.purchases.purchase(principalOf(res), { locationId: b.location_id, adamId: b.adam_id, quantity: b.quantity, cardId: str(b.card_id) });
    res.status(201).json({
      ...purchaseView(out.purchase),
      ...(out.balanceMinor !== undefined ? { credit_balance: creditView(out.purchase.locationId, out.purchase.currency, out.balanceMinor).balance } : {}),
    });
  });
  r.get('/purchases', read, async (req, res) => {
    res.json(listAnswer(req, (await c.purchases.history(principalOf(res), str(req.query.location_id))).map(purchaseView), LIST_SPECS.purchases, (x) => x));
  });
  r.get('/purchases/summary', read, async (req, res) => {
    res.json(listAnswer(req, (await c.purchases.summary(principalOf(res))).map(itemSummaryView), LIST_SPECS.purchaseSummary, (x) => x));
  });
  r.post('/licence-transfers', manage, async (req, res) => {
    const b = req.body ?? {};
    const t = await c.purchases.transfer(principalOf(res), { fromLocationId: b.from_location_id, toLocationId: b.to_location_id, adamId: b.adam_id, quantity: b.quantity });
    res.status(201).json(transferView(t));
  });
  r.get('/licence-transfers', read, async (req, res) => {
    res.json(listAnswer(req, (await c.purchases.transfers(principalOf(res))).map(transferView), LIST_SPECS.licenceTransfers, (x) => x));
  });
  r.get('/locations/:id/licences', read, async (req, res) => {
    const loc = await s.organisations.getLocation(principalOf(res).orgId, param(req, 'id'));
    res.json({ location_id: loc.id, ...listAnswer(req, (await c.libraries.assetSummaries(loc.id)).map(licenceView), LIST_SPECS.licences, (x) => x) });
  });

  // Each download is a new token and revokes the previous one, as in Business Manager; the
  // audit trail skips GETs, so the issue is recorded here.
  r.get('/locations/:id/content-token', manage, async (req, res) => {
    const p = principalOf(res);
    const t = await c.tokens.issue(p, param(req, 'id'));
    await s.audit.record(p, 'content.token_issued', 'success', t.location.id, { expires_at: t.expiresAt.toISOString() });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="${t.filename}"`);
    res.type('application/octet-stream').send(Buffer.from(t.file, 'utf8'));
  });
  r.get('/locations/:id/content-token/status', read, async (req, res) => {
    const t = await c.tokens.status(principalOf(res), param(req, 'id'));
    res.json({ active: !!t, issued_at: t?.issuedAt.toISOString() ?? null, expires_at: t?.expiresAt.toISOString() ?? null });
  });
  r.delete('/locations/:id/content-token', manage, async (req, res) => {
    await c.tokens.revoke(principalOf(res), param(req, 'id'));
    res.status(204).end();
  });

  r.use(contentAssignRoutes(deps));
  return r;
}
