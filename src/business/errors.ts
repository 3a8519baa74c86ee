// Domain errors: what went wrong in business terms. Each HTTP face maps `kind` to its own
// wire vocabulary (JSON for the admin API, bare codes for DEP, errorNumber for Apps and Books).
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'unavailable' | 'rate-limited';

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  /** A stable machine-readable code, e.g. 'certificate_invalid'. */
  readonly code: string;
  readonly details?: Record<string, unknown>;
  constructor(kind: DomainErrorKind, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', code, message, details);
export const notFound = (what: string, code = 'not_found') => new DomainError('not-found', code, `${what} not found`);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', code, message, details);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
