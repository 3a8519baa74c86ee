// The HTTP status each kind of domain error means (src/business/errors.ts), for the faces that
// answer with plain HTTP semantics (admin and developer APIs, enrolment). A face whose wire says
// otherwise derives its table from this one and says why (src/mdm/errors.ts).
import type { DomainErrorKind } from '../business/errors.js';

export const HTTP_STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400, 'not-found': 404, conflict: 409, forbidden: 403, unauthenticated: 401, unavailable: 503, 'rate-limited': 429,
};
