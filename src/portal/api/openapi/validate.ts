// Request validation from the OpenAPI document: one middleware that finds the operation a request
// is for (method + path template) and checks its path parameters, query and JSON body against the
// operation's schemas with ajv (JSON Schema 2020-12, as OpenAPI 3.1), before any handler runs.
// Validators are compiled once, when the middleware is made. A mismatch answers 400
// `invalid_request` with one {pointer, problem, expected} per offending field.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Request, RequestHandler, Response } from 'express';
import { can } from '../../../business/permissions.js';
import type { Principal } from '../../../business/principal.js';
import { ApiError } from '../../../http/api-errors.js';
import { OPERATIONS, type Access, type Operation } from './operations.js';
import { schemas } from './schemas.js';

type Schema = Record<string, unknown>;
// ajv-formats is CommonJS: its default export arrives as module.default under Node ESM.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

interface CompiledOperation {
  op: Operation;
  pattern: RegExp;
  names: string[];
  params?: ValidateFunction;
  query?: ValidateFunction;
  body?: ValidateFunction;
}

export interface FieldError { pointer: string; problem: 'wrong_type' | 'missing' | 'unknown_field' | 'invalid_value'; expected: string }

/** One Ajv per input kind: path and query arrive as strings, so those coerce ("5" is an integer). `verbose` gives each error its parent schema, to name the fields expected. */
function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, coerceTypes: coerce, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  ajv.addSchema(rebase({ $id: SCHEMAS_ID, $defs: schemas }));
  return ajv;
}

/** The document's `components.schemas`, as one schema resource that `$ref`s point into. */
const SCHEMAS_ID = 'urn:orchard:admin-api:schemas';

/** `#/components/schemas/X` (a ref within the OpenAPI document) becomes a ref into SCHEMAS_ID. */
function rebase(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${SCHEMAS_ID}#/$defs/`));
}

function compile(ajv: Ajv2020, schema: Schema): ValidateFunction {
  return ajv.compile(rebase(schema));
}

/** A compiler of the document's schemas (refs to components resolved), e.g. for tests that check answers. */
export function schemaCompiler(): (schema: Schema) => ValidateFunction {
  const ajv = newAjv(false);
  return (schema) => compile(ajv, schema);
}

function objectOf(params: Record<string, { schema: Schema; required?: boolean }>, allRequired: boolean): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.schema])),
    required: Object.entries(params).filter(([, p]) => allRequired || p.required).map(([k]) => k),
    additionalProperties: false,
  };
}

/**
 * Path templates to regexes that match as Express does by default (case-insensitive, optional
 * trailing slash); literal paths sort before templated ones so /devices/release beats /devices/{serial}.
 */
function matcher(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template.split('/').map((seg) => {
    const m = /^\{(\w+)\}$/.exec(seg);
    if (m) { names.push(m[1]!); return '([^/]+)'; }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), names };
}

export function compileOperations(operations: readonly Operation[] = OPERATIONS): CompiledOperation[] {
  const strictAjv = newAjv(false);
  const coercingAjv = newAjv(true);
  const compiled = operations.map((op) => ({
    op,
    ...matcher(op.path),
    ...(op.path_params ? { params: compile(coercingAjv, objectOf(op.path_params, true)) } : {}),
    query: compile(coercingAjv, objectOf(op.query ?? {}, false)),
    ...(op.body ? { body: compile(strictAjv, op.body) } : {}),
  }));
  return compiled.sort((a, b) => a.names.length - b.names.length);
}

export function findOperation(compiled: CompiledOperation[], method: string, path: string): { c: CompiledOperation; params: Record<string, string> } | undefined {
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  for (const c of compiled) {
    if (c.op.method !== m) continue;
    const hit = c.pattern.exec(path);
    if (!hit) continue;
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(hit[i + 1]!)]));
    } catch {
      continue; // a malformed escape: Express will not match it either
    }
    return { c, params };
  }
  return undefined;
}

const typeName = (t: unknown) => (Array.isArray(t) ? t.join(' or ') : String(t));

/** ajv's errors as pointers rooted at /path, /query or /body, and what was expected there. */
export function fieldErrors(root: string, errors: ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    const at = `/${root}${e.instancePath}`;
    const p = e.params as Record<string, any>;
    if (e.keyword === 'type') out.push({ pointer: at, problem: 'wrong_type', expected: typeName(p.type) });
    else if (e.keyword === 'required') {
      const prop = (e.parentSchema as any)?.properties?.[p.missingProperty];
      out.push({ pointer: `${at}/${escape(p.missingProperty)}`, problem: 'missing', expected: prop?.type ? typeName(prop.type) : 'a value' });
    } else if (e.keyword === 'additionalProperties') {
      const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
      out.push({ pointer: `${at}/${escape(p.additionalProperty)}`, problem: 'unknown_field', expected: allowed.length ? `one of the fields ${allowed.join(', ')}` : 'no fields' });
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'allOf') continue; // their branches report the detail
    else out.push({ pointer: at, problem: 'invalid_value', expected: e.keyword === 'enum' ? `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : e.message ?? e.keyword });
  }
  // One entry per pointer and problem: allErrors may report a field twice (e.g. each branch of a union).
  return out.filter((x, i) => out.findIndex((y) => y.pointer === x.pointer && y.problem === x.problem) === i);
}

const escape = (key: string) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

export function invalidRequest(errors: FieldError[]): ApiError {
  const shown = errors.slice(0, 5).map((e) => `${e.pointer} ${e.problem === 'missing' ? 'is required' : e.problem === 'unknown_field' ? 'is not a field of this request' : `must be ${e.expected}`}`);
  const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
  return new ApiError(400, 'invalid_request', `the request does not match the API: ${shown.join('; ')}${more}`, { errors });
}

/** Whether the caller may call the operation at all: if not, the route's own check answers (401/403), not the validator. */
function mayCall(access: Access, res: Response): boolean {
  const principal = res.locals.principal as Principal | undefined;
  const operator = res.locals.operator === true;
  if (access === 'public') return true;
  if (access === 'operator') return operator;
  if (access === 'administrator-or-operator') return operator || !!principal?.roles.includes('Administrator');
  if (access === 'account') return !!principal;
  return !!principal && can(principal.roles, access.permission);
}

const isJson = (req: Request) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * The middleware. Mount it once where the caller is known (after authentication) and once before
 * the public routes with `publicOnly`; requests for no documented operation pass on (to the 404).
 */
export function validateRequests(opts: { publicOnly?: boolean } = {}, compiled: CompiledOperation[] = compileOperations()): RequestHandler {
  return (req, res, next) => {
    const found = findOperation(compiled, req.method, req.path);
    if (!found) return next();
    const { c, params } = found;
    if (opts.publicOnly ? c.op.access !== 'public' : c.op.access === 'public' || !mayCall(c.op.access, res)) return next();
    const errors: FieldError[] = [];
    if (c.params && !c.params(params)) errors.push(...fieldErrors('path', c.params.errors));
    if (c.query && !c.query({ ...(req.query as object) })) errors.push(...fieldErrors('query', c.query.errors));
    if (c.body && isJson(req)) {
      // No body at all reads as {} (the handlers' `req.body ?? {}`), so required fields are reported as missing.
      const body = req.body === undefined ? {} : req.body;
      if (!c.body(body)) errors.push(...fieldErrors('body', c.body.errors));
    } else if (c.body && c.op.bodyRequired && req.body === undefined && !hasBody(req)) {
      if (!c.body({})) errors.push(...fieldErrors('body', c.body.errors));
    }
    if (errors.length) return next(invalidRequest(errors));
    next();
  };
}

const hasBody = (req: Request) => (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
