// Assets, assignments, associate / disassociate / revoke, and event status.
// developer.apple.com/documentation/devicemanagement/get-assets-4ski1, …/get-assignments-9wv1e,
// …/associate-assets, …/disassociate-assets, …/revoke-assets, …/events-status.
import { Router } from 'express';
import type { VppFaceDeps } from '../deps.js';
import { PageIndexError } from '../../business/content/library.js';
import { vppContext } from '../context.js';
import { pageIndex, parseAssets, parseTargets, queryBool, queryInt, queryString } from '../validate.js';
import { decodeVersionId, encodeVersionId, envelope, failureBody, LIMITS, paging, VppError } from '../wire.js';

/** Runs a page read, turning an out-of-range page into Apple's 9650. */
async function paged<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof PageIndexError) throw new VppError(9650);
    throw err;
  }
}

export function assetRoutes(deps: VppFaceDeps): Router {
  const s = deps.services.content;
  const r = Router();

  r.get('/assets', async (req, res) => {
    const ctx = vppContext(res);
    const q = req.query;
    const productType = queryString(q.productType);
    if (productType !== undefined && productType !== 'App' && productType !== 'Book') throw new VppError(9602);
    const pricingParam = queryString(q.pricingParam);
    if (pricingParam !== undefined && pricingParam !== 'STDQ' && pricingParam !== 'PLUS') throw new VppError(9602);
    const filter = {
      productType: productType as 'App' | 'Book' | undefined, pricingParam, revocable: queryBool(q.revocable), deviceAssignable: queryBool(q.deviceAssignable),
      minAvailableCount: queryInt(q.minAvailableCount), maxAvailableCount: queryInt(q.maxAvailableCount),
      minAssignedCount: queryInt(q.minAssignedCount), maxAssignedCount: queryInt(q.maxAssignedCount), adamId: queryString(q.adamId),
    };
    const page = await paged(() => s.libraries.assets(ctx.location.id, filter, pageIndex(q.pageIndex)));
    res.json({
      assets: page.items.map((a) => ({
        adamId: a.adamId, assignedCount: a.assignedCount, availableCount: a.availableCount, deviceAssignable: a.deviceAssignable,
        pricingParam: a.pricingParam, productType: a.productType, retiredCount: a.retiredCount, revocable: a.revocable,
        supportedPlatforms: a.supportedPlatforms, totalCount: a.totalCount,
      })),
      ...paging(page, page.items.length), ...envelope(ctx), versionId: encodeVersionId(ctx.library.uid, page.version),
    });
  });

  r.get('/assignments', async (req, res) => {
    const ctx = vppContext(res);
    const q = req.query;
    const since = queryString(q.sinceVersionId);
    const filter = {
      adamId: queryString(q.adamId), clientUserId: queryString(q.clientUserId), serialNumber: queryString(q.serialNumber),
      sinceVersion: since === undefined ? undefined : decodeVersionId(ctx.library.uid, since, ctx.library.version),
    };
    const page = await paged(() => s.libraries.assignments(ctx.location.id, filter, pageIndex(q.pageIndex)));
    res.json({
      assignments: page.items.map((a) => ({
        adamId: a.adamId, pricingParam: a.pricingParam, ...(a.serialNumber !== undefined ? { serialNumber: a.serialNumber } : { clientUserId: a.clientUserId }),
      })),
      ...paging(page, page.items.length), ...envelope(ctx), versionId: encodeVersionId(ctx.library.uid, page.version),
    });
  });

  for (const [path, type] of [['/assets/associate', 'ASSOCIATE'], ['/assets/disassociate', 'DISASSOCIATE']] as const) {
    r.post(path, async (req, res) => {
      const ctx = vppContext(res);
      const assets = parseAssets(req.body);
      const targets = parseTargets(req.body);
      const eventId = await s.vpp.submitAssets(ctx, type, { assets, ...targets });
      res.json({ eventId, ...envelope(ctx) });
    });
  }

  r.post('/assets/revoke', async (req, res) => {
    const ctx = vppContext(res);
    const targets = parseTargets(req.body, { users: LIMITS.maxRevokeClientUserIds, serials: LIMITS.maxRevokeSerialNumbers });
    const eventId = await s.vpp.submitRevoke(ctx, targets);
    res.json({ eventId, ...envelope(ctx) });
  });

  r.get('/status', async (req, res) => {
    const ctx = vppContext(res);
    const eventId = typeof req.query.eventId === 'string' ? req.query.eventId : '';
    const e = await s.vpp.status(ctx, eventId);
    res.json({
      eventStatus: e.status, eventType: e.eventType,
      ...(e.failures.length ? { failures: e.failures.map(failureBody) } : {}),
      numCompleted: e.numCompleted, numRequested: e.numRequested, ...envelope(ctx),
    });
  });
  return r;
}
