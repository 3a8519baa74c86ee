// The typed client of the admin API (/api/v1): openapi-fetch over the types openapi-typescript
// generates from the OpenAPI document (schema.ts, `npm run gen:client`), so a caller that uses a
// renamed field or a removed route no longer typechecks. Used by the CLI, the device simulator
// and the bench; it imports nothing else of Orchard and no node: built-in, so a browser can run it
// too (dependency-cruiser `client-is-a-leaf`, `client-runs-in-a-browser`).
//
//   const api = createOrchardClient({ url: 'http://localhost:8080', token });
//   const apns = await ok(api.GET('/apns'));            // typed answer, or throws ApiClientError
//   await ok(api.POST('/commands', { body: { ... } }));
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths, operations } from './schema.js';
export type Schemas = components['schemas'];
export type OrchardClient = Client<paths>;

export const API_PREFIX = '/api/v1';

/** One offending field of a 400 `invalid_request` (`details.errors[]`). */
export interface FieldProblem {
  /** JSON pointer rooted at /path, /query or /body, e.g. `/body/serial_numbers/0`. */
  pointer: string;
  problem: string;
  expected?: string;
}

/**
 * What the server refused: its HTTP status, the `error.code` (`invalid_request`, `forbidden`,
 * `device_not_found`...), the message, `details` as sent, and the field pointers of
 * `details.errors` when there are any. A body that is not the API's error shape (a proxy's page)
 * keeps its first 200 characters as the message and `code` `http_<status>`.
 */
export class ApiClientError extends Error {
  override name = 'ApiClientError';
  readonly errors: FieldProblem[];
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
    const errs = details?.errors;
    this.errors = Array.isArray(errs) ? errs.filter((e): e is FieldProblem => !!e && typeof e === 'object' && typeof (e as FieldProblem).pointer === 'string') : [];
  }

  /** The request id the server logged the failure under (500 answers carry it). */
  get requestId(): string | undefined {
    const id = this.details?.request_id;
    return typeof id === 'string' ? id : undefined;
  }

  /** One line: `POST /api/v1/devices/assign: 400 invalid_request: ... (/body/x: must be string)`. */
  describe(): string {
    const fields = this.errors.map((e) => `${e.pointer}: ${e.problem}${e.expected ? ` (expected ${e.expected})` : ''}`).join('; ');
    return `${this.method} ${this.path}: ${this.status} ${this.code}: ${this.message}${fields ? ` [${fields}]` : ''}`;
  }

  static async fromResponse(request: Request, response: Response): Promise<ApiClientError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const path = new URL(request.url).pathname;
    const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (err && typeof err.code === 'string') {
      const details = err.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : undefined;
      return new ApiClientError(response.status, err.code, typeof err.message === 'string' ? err.message : err.code, details, request.method, path);
    }
    const message = text.trim().slice(0, 200) || response.statusText || `HTTP ${response.status}`;
    return new ApiClientError(response.status, `http_${response.status}`, message, undefined, request.method, path);
  }
}

export interface OrchardClientOptions {
  /** The server's base URL as `orchard serve` prints it (`http://localhost:8080`); `/api/v1` is added. */
  url: string;
  /** An API token (`Authorization: Bearer`). */
  token?: string;
  /**
   * Sign in by session cookie instead: the `orchard_session` cookie's value (outside a browser),
   * or `true` in a browser, whose cookie jar sends it. Either way every request sends
   * `X-Orchard-CSRF: 1`, which writes made with the cookie need.
   */
  session?: string | true;
  /** A fetch to use instead of the global one (tests, a keep-alive agent). */
  fetch?: (request: Request) => Promise<Response>;
}

/** `url` without trailing slashes, `/api/v1` appended unless it is already there. */
export function apiBaseUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith(API_PREFIX) ? base : base + API_PREFIX;
}

/** A client whose every call answers the typed body of a 2xx, or throws ApiClientError. */
export function createOrchardClient(opts: OrchardClientOptions): OrchardClient {
  const client = createClient<paths>({
    baseUrl: apiBaseUrl(opts.url),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.session === true ? { credentials: 'include' as const } : {}),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      if (opts.token) request.headers.set('authorization', `Bearer ${opts.token}`);
      if (opts.session !== undefined) {
        request.headers.set('x-orchard-csrf', '1');
        if (typeof opts.session === 'string') request.headers.set('cookie', `orchard_session=${opts.session}`);
      }
      return request;
    },
    async onResponse({ request, response }) {
      if (!response.ok) throw await ApiClientError.fromResponse(request, response);
      return undefined;
    },
  };
  client.use(auth);
  return client;
}

/**
 * The body of a call that succeeded (the middleware has already thrown ApiClientError for any
 * other status): `const devices = await ok(api.GET('/devices'))`.
 */
export async function ok<R extends { data?: unknown }>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data } = await call;
  return data as NonNullable<R['data']>;
}
