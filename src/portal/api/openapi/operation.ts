// The shape of one documented operation of the admin API, and the small helpers the operation
// tables (operations/*.ts) are written with.
import type { Permission } from '../../../business/permissions.js';
import { closed, ref, s } from './schemas.js';

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
  /** Error statuses besides the common ones (400 when it has inputs, 401, 403, 404 when it has a path id). */
  errors?: number[];
  example?: { request?: unknown; response?: unknown };
}

const { str, int } = s;
export const list = (key: string, item: Schema, extra: Record<string, Schema> = {}) => closed({ [key]: { type: 'array', items: item }, ...extra });
export const body = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required, additionalProperties: false });
export const id = (description: string): Record<string, Param> => ({ id: { schema: str, description } });
export const q = (schema: Schema, description: string): Param => ({ schema, description });
export const limit = (dflt: number, max?: number) => q(int, `page size (default ${dflt}${max ? `, at most ${max}` : ''})`);
export const binary = { type: 'string', contentEncoding: 'binary' };
export const pem = (what: string) => ({ type: 'string', description: `${what}, PEM` });

export const deviceSelection = ref('DeviceSelection');
export const csvSerials = { 'text/csv': { type: 'string', description: 'a CSV whose first column holds serial numbers (a header row is allowed)' } };
