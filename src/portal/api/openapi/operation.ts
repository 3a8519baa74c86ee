// The shape of one documented operation of the admin API, and the small helpers the operation
// tables (operations/*.ts) are written with.
import type { Permission } from '../../../business/permissions.js';
import { closed, ref, s } from './schemas.js';
import type { ListSpec } from '../list.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../list.js';

export type Schema = Record<string, unknown>;

/** Who may call an operation. */
export type Access =
  | { permission: Permission }
  | 'public' // no authentication
  | 'account' // any signed-in account, whatever its roles
  | 'operator' // only the server operator's token; present only with test controls on
  | 'administrator-or-operator'; // an Administrator, or the operator when test controls are on

export interface Param { schema: Schema; description?: string; required?: boolean }

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // OpenAPI template, relative to /api/v1
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  path_params?: Record<string, Param>;
  query?: Record<string, Param>;
  /** The JSON body's schema (validated before the handler). */
  body?: Schema;
  bodyRequired?: boolean;
  /** Other body media types the route takes (e.g. text/csv of serial numbers). */
  otherBodies?: Record<string, Schema>;
  status: number;
  /** The JSON answer's schema; absent for 204 or a non-JSON answer (see `content`). */
  response?: Schema;
  /** Non-JSON answers: media type to schema. */
  content?: Record<string, Schema>;
  headers?: Record<string, string>;
  /** Other success answers of the operation (e.g. a dry run's 200 beside the write's 201): status to description and JSON schema. */
  otherSuccesses?: Record<number, { description: string; schema: Schema }>;
  /** Error statuses besides the common ones (400 when it has inputs, 401, 403, 404 when it has a path id). */
  errors?: number[];
  example?: { request?: unknown; response?: unknown };
}

const { str, int } = s;
/** Every list answers `{items, next_cursor}` (src/portal/api/list.ts); `extra`: fields beside them (e.g. a location's id). */
export const list = (item: Schema, extra: Record<string, Schema> = {}) => closed({
  ...extra,
  items: { type: 'array', items: item },
  next_cursor: { type: ['string', 'null'], description: 'pass as ?cursor= (with the same sort) for the next page; null on the last page' },
});
/** The query of a list: limit, cursor, sort (the sorts its spec allows, `-` for descending), plus its filters. */
export function listParams(spec: ListSpec<any>, filters: Record<string, Param> = {}): Record<string, Param> {
  const sorts = Object.keys(spec.sorts).flatMap((k) => [k, `-${k}`]);
  return {
    ...filters,
    limit: { schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT }, description: `page size, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})` },
    cursor: { schema: { type: 'string' }, description: "the previous answer's next_cursor, unchanged (opaque; a tampered one answers 400)" },
    sort: { schema: { type: 'string', enum: sorts }, description: `order of the items (default ${spec.defaultSort}); a leading - sorts descending` },
  };
}
export const body = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required, additionalProperties: false });
export const id = (description: string): Record<string, Param> => ({ id: { schema: str, description } });
export const q = (schema: Schema, description: string): Param => ({ schema, description });
export const limit = (dflt: number, max?: number) => q(int, `page size (default ${dflt}${max ? `, at most ${max}` : ''})`);
export const binary = { type: 'string', contentEncoding: 'binary' };
export const pem = (what: string) => ({ type: 'string', description: `${what}, PEM` });

export const deviceSelection = ref('DeviceSelection');
export const csvSerials = { 'text/csv': { type: 'string', description: 'a CSV whose first column holds serial numbers (a header row is allowed)' } };
