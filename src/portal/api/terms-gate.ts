// The terms gate of the admin API (issue 16), the one place it is decided for this face: until
// an organisation has accepted the terms version currently required, its writes answer 403
// `terms_not_accepted` (and so does downloading a content token). Reads stay open, and so does
// accepting the terms. (The DEP face answers
// T_C_NOT_SIGNED in src/dep/runtime.ts; the Apps and Books face in src/vpp/router.ts.)
import type { RequestHandler } from 'express';
import type { Principal } from '../../business/principal.js';
import { ApiError } from '../../http/api-errors.js';
import type { AdminServices } from '../deps.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes that stay open: accepting the terms is how the gate opens. */
const OPEN_WRITES = new Set(['POST /organisation/terms']);
/** Reads that issue something, closed like writes: a content token download makes a new sToken. */
const ISSUING_READS = /^\/locations\/[^/]+\/content-token$/;

export function termsGate(s: Pick<AdminServices, 'organisations'>): RequestHandler {
  return async (req, res, next) => {
    const p = res.locals.principal as Principal | undefined;
    if (!p || (READS.has(req.method) && !ISSUING_READS.test(req.path)) || OPEN_WRITES.has(`${req.method} ${req.path}`)) return next();
    const org = await s.organisations.get(p.orgId);
    if (!s.organisations.termsAccepted(org)) {
      throw new ApiError(403, 'terms_not_accepted', `an Administrator must accept the terms (version ${org.termsVersionRequired}, POST /api/v1/organisation/terms) before anything else changes`, {
        required_version: org.termsVersionRequired, accepted_version: org.termsVersionAccepted,
      });
    }
    next();
  };
}
