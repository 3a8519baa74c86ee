// The admin JSON API under /api/v1: JSON bodies only, every route authenticated and
// permission-checked, every write audited, errors in one JSON shape, 404 last.
import express, { Router } from 'express';
import type { BodyLimits } from '../../config.js';
import type { AdminFaceDeps } from '../deps.js';
import { authenticate } from '../../http/admin-auth.js';
import { auditTrail } from './audit-trail.js';
import { apiErrorHandler, apiNotFound, ApiError } from '../../http/api-errors.js';
import { OPENAPI_DOCUMENT } from './openapi/document.js';
import { compileOperations, validateRequests } from './openapi/validate.js';
import { domainRoutes } from './routes/domains.js';
import { federationRoutes, federationSignInRoutes } from './routes/federation.js';
import { accountRoutes } from './routes/accounts.js';
import { organisationRoutes } from './routes/organisation.js';
import { publicRoutes } from './routes/public.js';
import { orgTermsRoutes } from './routes/org-terms.js';
import { signupOperatorRoutes, signupPublicRoutes } from './routes/signup.js';
import { termsGate } from './terms-gate.js';
import { upgradeImportRoutes } from './routes/upgrade-imports.js';

/** `extra`: admin routes of other capabilities (devices, MDM, content...), built by the composition root. */
export function adminApi(deps: AdminFaceDeps & { bodyLimits: BodyLimits }, extra: Router[] = []): Router {
  const { services: s, config, logger } = deps;
  const r = Router();
  r.use((req, _res, next) => {
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0' || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH' || req.method === 'DELETE')) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const allowed = type === 'application/json' || (req as any).acceptsRawUpload?.(type);
      if (!allowed && !/^text\/csv$|^application\/x-pem-file$|^application\/x-pkcs12$|^application\/octet-stream$/.test(type)) {
        return next(new ApiError(415, 'unsupported_media_type', 'send the body as application/json'));
      }
    }
    next();
  });
  r.use(express.json({ limit: deps.bodyLimits.adminJson, type: 'application/json' }));
  r.use(auditTrail(s.audit, logger));
  // The contract (src/portal/api/openapi/), readable without signing in; its schemas validate
  // every documented request before its handler: public ones here, the rest once the caller is known.
  r.get('/openapi.json', (_req, res) => { res.json(OPENAPI_DOCUMENT); });
  const operations = compileOperations();
  r.use(validateRequests({ publicOnly: true }, operations));
  r.use(publicRoutes(s, config.baseUrl.startsWith('https:')));
  r.use(signupPublicRoutes(s));
  r.use(federationSignInRoutes(s, config.baseUrl.startsWith('https:')));
  r.use(authenticate(s.accounts, config.baseUrl, s.operator));
  r.use(validateRequests({}, operations));
  r.use(signupOperatorRoutes(s));
  r.use(termsGate(s));
  r.use(organisationRoutes(s));
  r.use(orgTermsRoutes(s));
  r.use(accountRoutes(s));
  r.use(domainRoutes(s));
  r.use(federationRoutes(s));
  r.use(upgradeImportRoutes(s));
  for (const routes of extra) r.use(routes);
  r.use(apiNotFound);
  r.use(apiErrorHandler(logger));
  return r;
}
