// Every list of the admin API answers `{"items": [...], "next_cursor": string | null}` and takes
// `limit` (1-1000, default 100), `cursor` (opaque, from the previous answer) and `sort` (a field,
// `-field` for descending) from the query: this module is the one place that reads those and
// builds the answer. The cursor is base64url of the last row's sort key and the sort it belongs
// to, with a checksum, so a cursor that was edited, truncated or made for another sort answers
// 400 with the pointer /query/cursor instead of a silently wrong page.
import type { Request } from 'express';
import { sha256Hex } from '../../crypto/random.js';
import { ApiError, fieldError } from '../../http/api-errors.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export type SortKey = string | number | null;

/** A list's sorts, declared once (list-specs.ts): each names the key a row sorts by; ties break by `tieBreak`. */
export interface ListSpec<T> {
  sorts: Record<string, (row: T) => SortKey>;
  defaultSort: string; // e.g. 'serial_number' or '-created_at'
  tieBreak: (row: T) => string | number; // unique per row
}

export interface ListQuery {
  limit: number;
  sort: string; // as given, e.g. '-created_at'
  field: string;
  descending: boolean;
  /** The sort key and tie-break of the last row of the previous page. */
  after?: [SortKey, string | number];
}

const checksum = (body: string) => sha256Hex(`orchard-cursor:${body}`).slice(0, 12);

export function encodeCursor(sort: string, key: [SortKey, string | number]): string {
  const body = Buffer.from(JSON.stringify([sort, key[0], key[1]]), 'utf8').toString('base64url');
  return `${body}.${checksum(body)}`;
}

const badCursor = () => new ApiError(400, 'invalid_request', 'the request does not match the API: /query/cursor must be a cursor from the previous answer (for the same sort)', {
  errors: [fieldError('/query/cursor', 'invalid_value', 'the next_cursor of the previous answer, unchanged, with the same sort')],
});

export function decodeCursor(raw: string, sort: string): [SortKey, string | number] {
  const [body, sum, ...rest] = raw.split('.');
  if (!body || !sum || rest.length || checksum(body) !== sum) throw badCursor();
  let parsed: unknown;
  try { parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')); } catch { throw badCursor(); }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort) throw badCursor();
  const [, key, tie] = parsed as [unknown, unknown, unknown];
  const scalar = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number';
  if (!scalar(key) || (typeof tie !== 'string' && typeof tie !== 'number')) throw badCursor();
  return [key as SortKey, tie];
}

/** Reads limit, sort and cursor of a list request (the OpenAPI schema has already checked their types). */
export function listQuery<T>(req: Request, spec: ListSpec<T>): ListQuery {
  const q = req.query as Record<string, unknown>;
  const limit = q.limit === undefined || q.limit === '' ? DEFAULT_LIMIT : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ApiError(400, 'invalid_request', `the request does not match the API: /query/limit must be an integer from 1 to ${MAX_LIMIT}`, {
      errors: [fieldError('/query/limit', 'invalid_value', `an integer from 1 to ${MAX_LIMIT}`)],
    });
  }
  const sort = typeof q.sort === 'string' && q.sort ? q.sort : spec.defaultSort;
  const field = sort.startsWith('-') ? sort.slice(1) : sort;
  if (!spec.sorts[field]) {
    const allowed = Object.keys(spec.sorts).flatMap((k) => [k, `-${k}`]);
    throw new ApiError(400, 'invalid_request', `the request does not match the API: /query/sort must be one of ${allowed.join(', ')}`, {
      errors: [fieldError('/query/sort', 'invalid_value', `one of ${allowed.join(', ')}`)],
    });
  }
  const cursor = typeof q.cursor === 'string' && q.cursor ? decodeCursor(q.cursor, sort) : undefined;
  return { limit, sort, field, descending: sort.startsWith('-'), ...(cursor ? { after: cursor } : {}) };
}

/** Orders two keys; nulls sort first ascending (last descending), as SQLite does. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a); const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A page of `rows` read one more than the limit (SQL keyset pages do so): the answer and its cursor. */
export function pageAnswer<T, V>(rows: T[], query: ListQuery, spec: ListSpec<T>, view: (row: T) => V): { items: V[]; next_cursor: string | null } {
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const more = rows.length > query.limit && last !== undefined;
  return { items: page.map(view), next_cursor: more ? encodeCursor(query.sort, [spec.sorts[query.field]!(last), spec.tieBreak(last)]) : null };
}

/** A list's sort and page for a store that pages in SQL (src/store/keyset.ts): the column's name, direction, and the row to start after. */
export function sqlSort<S extends string>(query: ListQuery): { by: S; descending: boolean; after?: [string | number, string | number] } {
  const after = query.after ? [query.after[0] ?? '', query.after[1]] as [string | number, string | number] : undefined;
  return { by: query.field as S, descending: query.descending, ...(after ? { after } : {}) };
}

/** Pages a list held in memory (the small lists: locations, tokens, cards, webhooks...) by the same rules. */
export function pageInMemory<T, V>(all: readonly T[], query: ListQuery, spec: ListSpec<T>, view: (row: T) => V): { items: V[]; next_cursor: string | null } {
  const key = spec.sorts[query.field]!;
  const dir = query.descending ? -1 : 1;
  const cmp = (a: T, b: T) => dir * (compareKeys(key(a), key(b)) || compareKeys(spec.tieBreak(a), spec.tieBreak(b)));
  let rows = [...all].sort(cmp);
  if (query.after) {
    const [k, t] = query.after;
    rows = rows.filter((r) => dir * (compareKeys(key(r), k) || compareKeys(spec.tieBreak(r), t)) > 0);
  }
  return pageAnswer(rows.slice(0, query.limit + 1), query, spec, view);
}

/** One call for a handler: read the query, page in memory, answer. */
export function listAnswer<T, V>(req: Request, all: readonly T[], spec: ListSpec<T>, view: (row: T) => V) {
  return pageInMemory(all, listQuery(req, spec), spec, view);
}
