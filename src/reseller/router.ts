// The reseller face at /reseller, modelled on Apple's reseller enrolment API: a reseller posts
// orders (bulk-enroll-devices), reads a transaction's outcome (check-transaction-status) and
// its orders (show-order-details). Each reseller authenticates with HTTP Basic
// `<reseller ID>:<secret>` (Apple uses a client certificate per reseller; Orchard a secret).
// Wire vocabulary: `{"errorCode": "...", "errorMessage": "..."}` with the HTTP status.
import express, { Router, type RequestHandler, type Response } from 'express';
import type { ResellerFaceDeps } from './deps.js';
import { resellerErrorHandler, ResellerError } from './errors.js';
import type { Reseller } from '../store/resellers.js';

const resellerOf = (res: Response) => res.locals.reseller as Reseller;

export function resellerRouter({ services: s, logger, bodyLimits }: ResellerFaceDeps): Router {
  const r = Router();
  r.use(express.json({ limit: bodyLimits.reseller, type: () => true }));

  const authenticate: RequestHandler = async (req, res, next) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const i = decoded.indexOf(':');
    const reseller = i > 0 ? await s.resellers.authenticate(decoded.slice(0, i), decoded.slice(i + 1)) : undefined;
    if (!reseller) {
      res.setHeader('WWW-Authenticate', 'Basic realm="orchard-reseller"');
      throw new ResellerError(401, 'UNAUTHORIZED', 'send Authorization: Basic <reseller ID>:<secret>');
    }
    res.locals.reseller = reseller;
    next();
  };
  r.use(authenticate);

  const body = (req: express.Request, res: Response) => {
    const b = req.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw new ResellerError(400, 'MALFORMED_REQUEST', 'the body must be a JSON object');
    const ctx = b.requestContext;
    if (!ctx || typeof ctx !== 'object' || typeof ctx.shipTo !== 'string' || typeof ctx.langCode !== 'string' || typeof ctx.timeZone !== 'string') {
      throw new ResellerError(400, 'REQUEST_CONTEXT_INVALID', 'requestContext needs shipTo, timeZone and langCode');
    }
    s.resellers.checkActsAs(resellerOf(res), b.depResellerId);
    return b as Record<string, any>;
  };

  r.post('/bulk-enroll-devices', async (req, res) => {
    const out = await s.resellers.bulkEnroll(resellerOf(res), body(req, res));
    res.json({
      deviceEnrollmentTransactionId: out.transactionId,
      enrollDevicesResponse: { statusCode: 'SUCCESS', statusMessage: 'Transaction posted; check its status for each order' },
      orders: out.outcomes,
    });
  });

  r.post('/check-transaction-status', async (req, res) => {
    const b = body(req, res);
    const tx = await s.resellers.transaction(resellerOf(res), b.deviceEnrollmentTransactionId);
    if (!tx) throw new ResellerError(404, 'TRANSACTION_NOT_FOUND', 'no transaction with this deviceEnrollmentTransactionId');
    res.json({ deviceEnrollmentTransactionId: tx.id, statusCode: tx.status, completedOn: tx.receivedAt.toISOString(), orders: tx.result });
  });

  r.post('/show-order-details', async (req, res) => {
    const b = body(req, res);
    const found = await s.resellers.orderDetails(resellerOf(res), b.customerId, b.orderNumbers);
    res.json({
      orders: found.map((f) => {
        if (!f.order) return { orderNumber: f.orderNumber, errorCode: 'ORDER_NOT_FOUND', errorMessage: 'no such order from this reseller' };
        const deliveries = new Map<string, { deliveryNumber: string; shipDate: string | null; devices: Array<{ deviceId: string; assetTag: string; returned?: true }> }>();
        for (const l of f.lines!) {
          const d = deliveries.get(l.deliveryNumber) ?? { deliveryNumber: l.deliveryNumber, shipDate: l.shipDate?.toISOString() ?? null, devices: [] };
          d.devices.push({ deviceId: l.serialNumber, assetTag: l.assetTag, ...(l.returnedAt ? { returned: true as const } : {}) });
          deliveries.set(l.deliveryNumber, d);
        }
        return {
          orderNumber: f.order.orderNumber, orderDate: f.order.orderDate.toISOString(), orderType: f.order.orderType,
          customerId: f.order.customerId, poNumber: f.order.poNumber, availableAt: f.order.availableAt.toISOString(),
          orderStatus: f.order.voidedAt ? 'VOIDED' : f.order.deliveredAt ? 'AVAILABLE' : 'PENDING', deliveries: [...deliveries.values()],
        };
      }),
    });
  });

  r.use((req, _res, next) => next(new ResellerError(404, 'NOT_FOUND', `no reseller endpoint ${req.method} ${req.path}`)));
  r.use(resellerErrorHandler(logger));
  return r;
}
