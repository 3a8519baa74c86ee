// Orchard's stand-ins for the App Store hosts that service/config points MDMs and users at:
// the public content metadata lookup (App Store items only: custom apps are never public) and
// the invitation a registered user accepts with a personal Apple Account (Apple's invitationEmail URL).
import express, { Router } from 'express';
import type { VppFaceDeps } from './deps.js';
import { fromMinor } from '../business/content/money.js';
import { vppErrorHandler } from './errors.js';
import { VppError } from './wire.js';

export function vppStoreRouter(deps: VppFaceDeps): Router {
  const content = deps.services.content;
  const r = Router();
  r.get('/lookup', async (req, res) => {
    const ids = String(req.query.id ?? '').split(',').filter(Boolean);
    if (!ids.length || ids.length > 100) throw new VppError(9602);
    const country = String(req.query.cc ?? 'US').toUpperCase();
    const results: Record<string, unknown> = {};
    for (const id of ids) {
      if (!content.catalog.isStoreItem(id)) continue;
      const item = (await content.catalog.lookup(id))!;
      const currency = content.catalog.currencies[country];
      const price = item.prices[country];
      results[id] = {
        id, name: item.name, kind: item.media === 'app' ? 'software' : 'book', genreNames: [item.category],
        ...(item.bundleId ? { bundleId: item.bundleId } : {}), ...(item.author ? { artistName: item.author } : {}),
        supportedPlatforms: item.platforms, deviceFamilies: item.iosDevices,
        ...(price !== undefined && currency ? { offers: [{ price: fromMinor(price, currency), currency }] } : {}),
      };
    }
    res.json({ results });
  });
  r.post('/invitations/accept', express.json({ limit: '16kb' }), async (req, res) => {
    const inviteCode = String(req.query.inviteCode ?? req.body?.inviteCode ?? '');
    const user = await content.invitations.accept(inviteCode, req.body?.appleId);
    res.json({ clientUserId: user.clientUserId, status: user.status });
  });
  r.use(vppErrorHandler(deps.logger));
  return r;
}
