import type { RequestHandler } from 'express';
import type { AuditService } from '../../business/audit.js';
import type { Principal } from '../../business/principal.js';
import type { Logger } from '../../log.js';

/**
 * The `:name` segments of `route` read from `path`. An error thrown by a route leaves the route
 * with Express's params already restored to the router's (empty), so a refused write would be
 * audited without its target; the matched route's pattern still names them.
 */
function paramsOf(route: string, path: string): Record<string, string> | undefined {
  const want = route.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const out: Record<string, string> = {};
  want.forEach((seg, i) => {
    if (seg.startsWith(':')) out[seg.slice(1)] = decodeURIComponent(got[i]!);
  });
  return out;
}

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
      const params = Object.keys(req.params ?? {}).length ? req.params : paramsOf(route, req.path);
      const target = Object.values(params ?? {}).join('/') || undefined;
      audit.record(principal, action, outcome, target, { status }).catch((err) => logger.error('audit write failed', { error: String(err) }));
    });
    next();
  };
}
