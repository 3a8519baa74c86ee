// The OpenAPI 3.1 document of the admin API (/api/v1): the single source of truth for its routes,
// who may call them, their inputs and answers. Served at GET /api/v1/openapi.json, rendered at
// /api/docs, and compiled into the request validator (validate.ts).
import { MATRIX, ROLES, type Permission } from '../../../business/permissions.js';
import { OPERATIONS, type Access, type Operation } from './operations.js';
import { ref, schemas } from './schemas.js';

type Schema = Record<string, unknown>;

export const API_VERSION = '0.1.0';
export const API_PREFIX = '/api/v1';

export const rolesWith = (permission: Permission) => ROLES.filter((r) => MATRIX[r].includes(permission));

/** The sentence the description carries about who may call the operation. */
export function accessSentence(access: Access): string {
  if (access === 'public') return 'Public: no authentication needed.';
  if (access === 'account') return 'Any signed-in account, whatever its roles.';
  if (access === 'operator') return "Only the server operator's token (<data dir>/operator-token); the /test-controls routes are present only when test controls are on (ORCHARD_TEST_CONTROLS=1), the /operator routes always.";
  if (access === 'administrator-or-operator') return "An Administrator, or the server operator's token when test controls are on.";
  return `Needs the permission \`${access.permission}\` (roles: ${rolesWith(access.permission).join(', ')}).`;
}

const errorBody = (schema: Schema) => ({ 'application/json': { schema } });
const COMMON_RESPONSES = {
  BadRequest: { description: 'Invalid input: `invalid_request` with field pointers when the shape is wrong, or a handler\'s own code when the meaning is', content: errorBody({ anyOf: [ref('ValidationError'), ref('Error')] }) },
  Unauthenticated: { description: 'Not signed in, or the token is missing, expired or revoked (`unauthenticated`, `invalid_token`)', content: errorBody(ref('Error')) },
  Forbidden: { description: 'The caller\'s roles do not allow this (`forbidden`, `operator_only`, `csrf_rejected`...)', content: errorBody(ref('Error')) },
  NotFound: { description: 'No such resource in the caller\'s organisation (e.g. `device_not_found`)', content: errorBody(ref('Error')) },
  Conflict: { description: 'The request conflicts with the current state', content: errorBody(ref('Error')) },
  UnsupportedMediaType: { description: 'The body is not application/json (or a media type the route takes)', content: errorBody(ref('Error')) },
  Error: { description: 'An error', content: errorBody(ref('Error')) },
};

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No content' };

function operationObject(op: Operation): Schema {
  const parameters: Schema[] = [];
  for (const [name, p] of Object.entries(op.path_params ?? {})) parameters.push({ name, in: 'path', required: true, schema: p.schema, ...(p.description ? { description: p.description } : {}) });
  for (const [name, p] of Object.entries(op.query ?? {})) parameters.push({ name, in: 'query', required: !!p.required, schema: p.schema, ...(p.description ? { description: p.description } : {}) });

  const success: Schema = { description: op.summary.length < 80 ? STATUS_TEXT[op.status] ?? 'Success' : 'Success' };
  if (op.response) success.content = { 'application/json': { schema: op.response, ...(op.example?.response !== undefined ? { example: op.example.response } : {}) } };
  else if (op.content) success.content = Object.fromEntries(Object.entries(op.content).map(([type, schema]) => [type, { schema }]));
  if (op.headers) success.headers = Object.fromEntries(Object.entries(op.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]));

  const responses: Record<string, Schema> = { [String(op.status)]: success };
  for (const [status, o] of Object.entries(op.otherSuccesses ?? {})) responses[status] = { description: o.description, content: { 'application/json': { schema: o.schema } } };
  const hasInput = !!(op.body || op.query || op.path_params);
  if (hasInput) responses['400'] = { $ref: '#/components/responses/BadRequest' };
  if (op.access !== 'public') {
    responses['401'] = { $ref: '#/components/responses/Unauthenticated' };
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
  }
  if (op.path_params) responses['404'] = { $ref: '#/components/responses/NotFound' };
  if (op.body) responses['415'] = { $ref: '#/components/responses/UnsupportedMediaType' };
  for (const status of op.errors ?? []) {
    responses[String(status)] ??= status === 404 ? { $ref: '#/components/responses/NotFound' } : status === 409 ? { $ref: '#/components/responses/Conflict' } : { $ref: '#/components/responses/Error' };
  }

  const out: Schema = {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, accessSentence(op.access)].filter(Boolean).join('\n\n'),
    ...(typeof op.access === 'object' ? { 'x-orchard-permission': op.access.permission } : { 'x-orchard-access': op.access }),
    security: op.access === 'public' ? [] : op.access === 'operator' ? [{ operatorToken: [] }]
      : op.access === 'administrator-or-operator' ? [{ apiToken: [] }, { sessionCookie: [] }, { operatorToken: [] }] : [{ apiToken: [] }, { sessionCookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    responses,
  };
  if (op.body) {
    out.requestBody = {
      required: !!op.bodyRequired,
      content: {
        'application/json': { schema: op.body, ...(op.example?.request !== undefined ? { example: op.example.request } : {}) },
        ...Object.fromEntries(Object.entries(op.otherBodies ?? {}).map(([type, schema]) => [type, { schema }])),
      },
    };
  }
  return out;
}

function buildDocument(): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const tags = [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Orchard admin API',
      version: API_VERSION,
      summary: "Orchard's Business Manager: organisation, accounts, devices, MDM servers, content and MDM commands.",
      description: [
        'JSON over HTTPS under /api/v1, snake_case fields and ISO 8601 times.',
        'Authenticate with `Authorization: Bearer <API token>` (create one with POST /accounts/{id}/api-tokens, or the one sign-up returns), or with the session cookie from POST /session; writes made with the cookie must send `X-Orchard-CSRF: 1`.',
        'Every error is `{"error": {"code", "message", "details"?}}`. A request whose path, query or JSON body does not match its operation\'s schema answers 400 `invalid_request` with `details.errors`: one `{pointer, problem, expected}` per offending field, the pointer rooted at /path, /query or /body.',
        'Each operation names who may call it: `x-orchard-permission` (a permission of the role matrix) or `x-orchard-access` (public, account, operator, administrator-or-operator).',
      ].join('\n\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: API_PREFIX }],
    tags,
    paths,
    components: {
      schemas,
      responses: COMMON_RESPONSES,
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: "An account's API token" },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'orchard_session', description: 'From POST /session; writes also need the header X-Orchard-CSRF: 1' },
        operatorToken: { type: 'http', scheme: 'bearer', description: "The server operator's token (orch_op_…, in <data dir>/operator-token)" },
      },
    },
  };
}

/** Built once; the document is data, so every reader shares it (never mutate it). */
export const OPENAPI_DOCUMENT: Schema = deepFreeze(buildDocument());

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
