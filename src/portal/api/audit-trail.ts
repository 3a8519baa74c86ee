import type { RequestHandler } from 'express';
import type { AuditService } from '../../business/audit.js';
import type { Principal } from '../../business/principal.js';
import type { Logger } from '../../log.js';

/**
 * Writes every admin action (any method but GET/HEAD) to the audit log once answered:
 * who, which route, which target, when, and the outcome, including refusals.
 */
export function auditTrail(audit: AuditService, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    res.on('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      const route = (req.route?.path as string | undefined) ?? req.path;
      const action = `${req.method} ${req.baseUrl}${route}`;
      const status = res.statusCode;
      const outcome = status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failed';
      const target = Object.values(req.params ?? {}).join('/') || undefined;
      audit.record(principal, action, outcome, target, { status }).catch((err) => logger.error('audit write failed', { error: String(err) }));
    });
    next();
  };
}
