// The admin API's wire vocabulary for errors: `{"error": {"code", "message", "details"?}}`
// with the HTTP status, in one place: its error type, the mapping from domain errors and from
// clients' faults (body, encoding, charset, path), and its handler. Unexpected errors become a
// 500 that names only the request id (also in the X-Request-Id header and the log).
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '../business/errors.js';
import { CryptoError } from '../crypto/types.js';
import { clientErrorOf, type ClientFault } from './client-errors.js';
import { logServerFault } from './request-id.js';
import type { Logger } from '../log.js';
import { PlistError } from '../plist/index.js';
import { HTTP_STATUS_OF_KIND } from './domain-status.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

/** A field problem, the one detail shape of every 400 that names a field: `details.errors[{pointer, problem, expected?}]`. */
export type FieldProblem = 'wrong_type' | 'missing' | 'unknown_field' | 'invalid_value';
export interface FieldError { pointer: string; problem: FieldProblem; expected?: string }

export const fieldError = (pointer: string, problem: FieldProblem, expected?: string): FieldError => ({ pointer, problem, ...(expected !== undefined ? { expected } : {}) });

/** A 400 about one field (pointer rooted at /path, /query or /body), with its own code and message. */
export function fieldApiError(code: string, message: string, pointer: string, problem: FieldProblem, expected?: string): ApiError {
  return new ApiError(400, code, message, { errors: [fieldError(pointer, problem, expected)] });
}

/**
 * A request naming several targets whose every target was refused answers 422
 * `all_targets_refused`, with the per-target outcomes in `details.results`; when some succeeded the
 * route answers 200 with the same outcomes.
 */
export function allTargetsRefused(results: unknown[]): ApiError {
  return new ApiError(422, 'all_targets_refused', `every target was refused (${results.length}); nothing was done: see details.results for each one's reason`, { results });
}

const CODE_OF_FAULT: Record<ClientFault, string> = {
  'body-too-large': 'body_too_large',
  'too-many-parameters': 'too_many_parameters',
  'unsupported-encoding': 'unsupported_encoding',
  'unsupported-charset': 'unsupported_encoding',
  'malformed-body': 'malformed_json',
  'unreadable-body': 'unreadable_body',
  'malformed-path': 'malformed_path',
};

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return new ApiError(HTTP_STATUS_OF_KIND[err.kind], err.code, err.message, err.details);
  if (err instanceof CryptoError) return new ApiError(400, `crypto_${err.reason.replace(/-/g, '_')}`, err.message);
  if (err instanceof PlistError) return new ApiError(400, 'plist_invalid', err.message);
  const client = clientErrorOf(err);
  if (!client) return undefined;
  // The admin API takes JSON bodies (CSV and PEM uploads are read raw, never parsed).
  const message = client.fault === 'malformed-body' ? 'the request body is not valid JSON' : client.message;
  return new ApiError(client.status, CODE_OF_FAULT[client.fault], message);
}

/**
 * A field problem the business layer raised (it names the field in its own words, `details.field`,
 * or by a code `<field>_invalid` / `<field>_required` when the request carries that field) gets the
 * same `details.errors[{pointer, problem}]` as a schema refusal, the pointer rooted at /query or
 * /body where the request holds it. The domain's own details stay beside it.
 */
export function withFieldPointer(api: ApiError, body: unknown, query: Record<string, unknown>): ApiError {
  if (api.status !== 400 || Array.isArray(api.details?.errors)) return api;
  const inBody = (k: string) => body !== null && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, k);
  const inQuery = (k: string) => Object.hasOwn(query, k);
  const stem = /^([a-z][a-z0-9_]*?)_(invalid|required)$/.exec(api.code);
  const named = typeof api.details?.field === 'string' ? api.details.field : undefined;
  const field = named ?? (stem && (inBody(stem[1]!) || inQuery(stem[1]!)) ? stem[1] : undefined);
  if (!field) return api;
  const pointer = `${inQuery(field) && !inBody(field) ? '/query' : '/body'}/${field}`;
  const problem: FieldProblem = inBody(field) || inQuery(field) ? 'invalid_value' : 'missing';
  return new ApiError(api.status, api.code, api.message, { ...api.details, errors: [fieldError(pointer, problem)] });
}

export function apiErrorHandler(logger: Logger, face = 'admin'): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const found = toApiError(err);
    const api = found && withFieldPointer(found, req.body, (req.query ?? {}) as Record<string, unknown>);
    if (!api) {
      const requestId = logServerFault(logger, face, req.originalUrl.split('?')[0]!, res, err);
      res.status(500).json({ error: { code: 'internal_error', message: 'internal error', details: { request_id: requestId } } });
      return;
    }
    res.status(api.status).json({ error: { code: api.code, message: api.message, ...(api.details ? { details: api.details } : {}) } });
  };
}

export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'route_not_found', message: `no route ${req.method} ${req.originalUrl.split('?')[0]}` } });
};
