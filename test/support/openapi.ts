// Checks answers of the admin API against the OpenAPI document (src/portal/api/openapi/): the
// documented status's JSON schema for successes, the error shape for errors.
import assert from 'node:assert/strict';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { OPENAPI_DOCUMENT } from '../../src/portal/api/openapi/document.js';
import { fieldErrors, schemaCompiler } from '../../src/portal/api/openapi/validate.js';

type Schema = Record<string, any>;
const compile = schemaCompiler();
const cache = new Map<string, ValidateFunction>();

/** The documented operation object of `method` `template` (an OpenAPI path template, without /api/v1). */
export function operationOf(method: string, template: string): Schema {
  const op = (OPENAPI_DOCUMENT.paths as Schema)[template]?.[method.toLowerCase()];
  assert.ok(op, `${method.toUpperCase()} ${template} is not in the OpenAPI document`);
  return op;
}

function schemaOf(op: Schema, status: number): Schema | undefined {
  let r = op.responses[String(status)];
  if (!r) return undefined;
  if (r.$ref) r = (OPENAPI_DOCUMENT.components as Schema).responses[r.$ref.split('/').pop()];
  return r.content?.['application/json']?.schema;
}

/**
 * Asserts that an answer is one the document allows for the operation: a documented status, and a
 * JSON body that its schema accepts (closed objects: an undocumented field fails).
 */
export function assertMatchesContract(method: string, template: string, res: { status: number; body: unknown; headers: Record<string, string> }): void {
  const op = operationOf(method, template);
  const where = `${method.toUpperCase()} ${template} → ${res.status}`;
  assert.ok(op.responses[String(res.status)], `${where}: status not documented (${JSON.stringify(res.body).slice(0, 300)})`);
  const schema = schemaOf(op, res.status);
  if (!schema) return;
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, `${where}: not JSON`);
  const key = `${method} ${template} ${res.status}`;
  const validate = cache.get(key) ?? cache.set(key, compile(schema)).get(key)!;
  if (!validate(res.body)) assert.fail(`${where}: the body does not match the documented schema: ${JSON.stringify(fieldErrors('body', validate.errors))}\n${JSON.stringify(res.body).slice(0, 600)}`);
}
