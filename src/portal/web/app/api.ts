// Every call the portal makes, all to the documented admin API under /api/v1 (the OpenAPI
// document at /api/v1/openapi.json) through the typed client (src/client/), with the session
// cookie and X-Orchard-CSRF: 1. The portal holds no business logic: what it shows and changes, a
// script can with the same calls.
import { ApiClientError, createOrchardClient, type paths } from '../../../client/index.js';

export interface FieldProblem { pointer: string; problem: string; expected?: string }
export interface Page<T> { items: T[]; next_cursor: string | null }

/** A refusal of the API: its status, code, message and details (field problems, per-target results). */
export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
  /** Field problems, by pointer (`/body/name`, `/query/limit`...). */
  get fields(): FieldProblem[] {
    const errors = this.details.errors;
    return Array.isArray(errors) ? (errors as FieldProblem[]) : [];
  }
}

type Query = Record<string, string | number | undefined | null>;

/**
 * The typed client of the admin API (src/client/, generated from the OpenAPI document): the
 * session cookie of this browser and X-Orchard-CSRF: 1 on every call. A route or a field the
 * document drops no longer typechecks here.
 */
export const client = createOrchardClient({ url: window.location.origin, session: true });

let sessionEnded: () => void = () => {};
/** What to do when the API says the session is gone (401): the shell shows "your session ended". */
export function onSessionEnded(f: () => void): void { sessionEnded = f; }

/** One call through the client: its typed body, or an ApiFailure (a 401 ends the session unless `quiet401`). */
export async function call<T>(run: () => Promise<{ data?: T }>, quiet401 = false): Promise<T> {
  try {
    return (await run()).data as T;
  } catch (err) {
    if (err instanceof ApiClientError) {
      if (err.status === 401 && !quiet401) sessionEnded();
      throw new ApiFailure(err.status, err.code, err.message, err.details ?? {});
    }
    throw new ApiFailure(0, 'network', 'network');
  }
}

/**
 * Query and body names chosen at run time from the contract (queryFor, nameFor below) are
 * checked by the server's validator, not by the compiler: this is the one place they are passed.
 */
export const dynamic = <T,>(value: unknown): T => value as T;
/** A JSON body of names the server's validator checks (see dynamic). */
export const json = (body: unknown) => dynamic<never>(body);
/** A text body sent as is, under its content type (a CSV upload, an export file's JSON). */
export const rawBody = (text: string, contentType: string) => ({ body: dynamic<never>(text), bodySerializer: (b: unknown) => b as string, headers: { 'Content-Type': contentType } });
/** Another credential than the session's: the operator's token. */
export const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

// ---- the contract ----------------------------------------------------------------------------
// The portal reads the OpenAPI document once and sends only the names an operation declares, so
// it follows the API's names (common.md: `serial_number`, `cursor`, `sort`, `mdm_server_id`)
// where the server has them and the earlier names (`serial`, `after`, `mdm_server`) where not.
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
let contract: Promise<Doc | undefined> | undefined;
const loadContract = () => (contract ??= call(() => client.GET('/openapi.json'), true).then((d) => d as unknown as Doc, () => undefined));

function resolve(doc: Doc, schema: any): any {
  const ref = schema?.$ref as string | undefined;
  return ref ? doc.components.schemas[ref.split('/').pop()!] : schema;
}
/** The names `method path` takes in its query, or in its JSON body. */
async function declared(method: string, path: string, where: 'query' | 'body'): Promise<Set<string> | undefined> {
  const doc = await loadContract();
  const op = doc?.paths[path]?.[method.toLowerCase()];
  if (!op) return undefined;
  if (where === 'query') return new Set((op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name as string));
  return new Set(Object.keys(resolve(doc!, op.requestBody?.content?.['application/json']?.schema)?.properties ?? {}));
}
/** The first of `names` the operation declares (the current name first, then older ones). */
export async function nameFor(method: string, path: string, where: 'query' | 'body', names: string[]): Promise<string> {
  const known = await declared(method, path, where);
  return names.find((n) => known?.has(n)) ?? names[0]!;
}
/** Keeps only the query parameters the operation declares, each under the name it declares. */
export async function queryFor(method: string, path: string, wanted: Record<string, { names: string[]; value: string | number | undefined | null }>): Promise<Query> {
  const known = await declared(method, path, 'query');
  const out: Query = {};
  for (const { names, value } of Object.values(wanted)) {
    if (value === undefined || value === null || value === '') continue;
    const name = known ? names.find((n) => known.has(n)) : names[0];
    if (name) out[name] = value;
  }
  return out;
}

/** A list answer as `{items, next_cursor}` (the API's list shape; older answers named the array). */
export function pageOf<T>(body: any, legacyKey: string): Page<T> {
  if (Array.isArray(body?.items)) return { items: body.items, next_cursor: body.next_cursor ?? null };
  return { items: body?.[legacyKey] ?? [], next_cursor: body?.next_after ?? body?.next_cursor ?? null };
}

/** Saves a file the API answers under the name its Content-Disposition gives (or `fallback`). */
export async function save(run: () => Promise<{ data?: Blob; response: Response }>, fallback: string): Promise<void> {
  let response: Response | undefined;
  const blob = await call<Blob>(async () => { const r = await run(); response = r.response; return r; });
  const m = /filename="([^"]+)"/.exec(response?.headers.get('Content-Disposition') ?? '');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = m?.[1] ?? fallback;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- sessions -----------------------------------------------------------------------------
type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
export type Me = Json<'/me', 'get'>;
/** A blank form field is sent as absent, so the API names it as missing (a field pointer) rather than wrong. */
export const given = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
export const signIn = (email: string, password: string) =>
  call(() => client.POST('/session', { body: dynamic<never>({ email: given(email), password: given(password) }) }), true);
export const signOut = () => call(() => client.DELETE('/session'), true);
export const me = (quiet401 = false) => call(() => client.GET('/me'), quiet401);

// ---- dashboard and activity ---------------------------------------------------------------
export type Dashboard = Json<'/dashboard', 'get'>;
export const dashboard = () => call(() => client.GET('/dashboard'));

export interface AuditEntry { id: number; /** `at` before the list conversion */ created_at?: string | null; at?: string | null; actor: string | null; actor_email: string | null; action: string; target: string | null; outcome: string; detail: unknown }
/** The audit log, newest first, a page at a time (the API's cursor, or before_id before the list conversion). */
/** Whether the API filters the audit log itself (`q`, `outcome`). */
export const auditFiltersOnServer = async () => (await declared('GET', '/audit', 'query'))?.has('q') ?? false;
export async function audit(q: { cursor?: string | null; limit?: number; q?: string; outcome?: string }): Promise<Page<AuditEntry>> {
  const limit = q.limit ?? 100;
  const query = await queryFor('GET', '/audit', {
    limit: { names: ['limit'], value: limit }, cursor: { names: ['cursor', 'before_id'], value: q.cursor },
    q: { names: ['q'], value: q.q }, outcome: { names: ['outcome'], value: q.outcome },
  });
  const body: any = await call(() => client.GET('/audit', { params: { query: dynamic<never>(query) } }));
  const page = pageOf<AuditEntry>(body, 'entries');
  if (!Array.isArray(body?.items)) page.next_cursor = page.items.length === limit ? String(page.items[page.items.length - 1]!.id) : null;
  return page;
}

// ---- devices ------------------------------------------------------------------------------
export interface Device {
  serial_number: string; family: string; model: string; description?: string; order_number: string | null;
  mdm_server_id?: string | null; mdm_server?: string | null; mdm_server_name?: string | null; assigned_at?: string | null;
  enrolment_state?: string | null; [k: string]: unknown;
}
export interface DeviceQuery { family?: string; mdm_server_id?: string; serial_number?: string; order_number?: string; sort?: string; limit?: number; cursor?: string | null }
export async function devices(q: DeviceQuery): Promise<Page<Device>> {
  const query = await queryFor('GET', '/devices', {
    family: { names: ['family'], value: q.family },
    server: { names: ['mdm_server_id', 'mdm_server'], value: q.mdm_server_id },
    // An exact serial, or the serial prefix search `q` where the list offers that instead.
    serial: { names: ['serial_number', 'serial', 'q'], value: q.serial_number },
    order: { names: ['order_number'], value: q.order_number },
    sort: { names: ['sort'], value: q.sort },
    limit: { names: ['limit'], value: q.limit },
    cursor: { names: ['cursor', 'after'], value: q.cursor },
  });
  return pageOf<Device>(await call(() => client.GET('/devices', { params: { query: dynamic<never>(query) } })), 'devices');
}
/** Whether the device list sorts on the server (the `sort` parameter); the table offers sorting only then. */
export const devicesSortable = async () => (await declared('GET', '/devices', 'query'))?.has('sort') ?? false;
export const device = (serial: string) => call(() => client.GET('/devices/{serial}', { params: { path: { serial } } })) as Promise<Device>;
export const deviceCsv = () => save(() => client.GET('/devices.csv', { parseAs: 'blob' }) as Promise<{ data?: Blob; response: Response }>, 'devices.csv');

export interface MdmServer { id: string; name: string; device_count?: number }
export async function mdmServers(): Promise<MdmServer[]> {
  const query = await queryFor('GET', '/mdm-servers', { limit: { names: ['limit'], value: 1000 } });
  return pageOf<MdmServer>(await call(() => client.GET('/mdm-servers', { params: { query: dynamic<never>(query) } })), 'mdm_servers').items;
}

/** Devices named by serials, orders or a CSV. */
export type Selection = { serial_numbers: string[] } | { order_numbers: string[] } | { csv: string };
async function selectionBody(method: string, path: string, sel: Selection) {
  if ('csv' in sel) return rawBody(sel.csv, 'text/csv');
  if ('serial_numbers' in sel) return { body: dynamic<never>({ [await nameFor(method, path, 'body', ['serial_numbers', 'serials'])]: sel.serial_numbers }) };
  return { body: dynamic<never>({ order_numbers: sel.order_numbers }) };
}
export interface AssignOutcome { assigned?: number; moved?: number; unchanged?: number; moved_serials?: string[]; moved_serial_numbers?: string[]; unassigned?: number; not_assigned?: string[] | number; not_assigned_serial_numbers?: string[]; results?: Array<{ serial_number: string; outcome?: string; status?: string; code?: string; message?: string }> }
export async function assignDevices(serverId: string, sel: Selection): Promise<AssignOutcome> {
  const init = await selectionBody('POST', '/mdm-servers/{id}/devices', sel);
  return call(() => client.POST('/mdm-servers/{id}/devices', { params: { path: { id: serverId } }, ...init })) as Promise<AssignOutcome>;
}
export async function unassignDevices(serverId: string, sel: Selection): Promise<AssignOutcome> {
  const init = await selectionBody('DELETE', '/mdm-servers/{id}/devices', sel);
  return call(() => client.DELETE('/mdm-servers/{id}/devices', { params: { path: { id: serverId } }, ...init })) as Promise<AssignOutcome>;
}
export async function releaseDevices(sel: Selection): Promise<{ released: number }> {
  const init = await selectionBody('POST', '/devices/release', sel);
  return call(() => client.POST('/devices/release', init)) as Promise<{ released: number }>;
}

// ---- one device's MDM side ----------------------------------------------------------------
export type DeviceMdm = Json<'/devices/{serial}/mdm', 'get'>;
export type CommandTarget = DeviceMdm['queue'][number];
export const deviceMdm = (serial: string) => call(() => client.GET('/devices/{serial}/mdm', { params: { path: { serial } } }));
export const queueCommand = (udid: string, command: Record<string, unknown>) =>
  call(() => client.POST('/commands', { body: dynamic<never>({ udids: [udid], command }) })) as Promise<{ command_uuid: string }>;
export const cancelCommand = (uuid: string, udid: string) => call(() => client.POST('/commands/{uuid}/cancel', { params: { path: { uuid } }, body: { udids: [udid] } }));
