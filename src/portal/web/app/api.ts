// Every call the portal makes, all to the documented admin API under /api/v1 (the OpenAPI
// document at /api/v1/openapi.json), with the session cookie and X-Orchard-CSRF: 1. The portal
// holds no business logic: what it shows and changes, a script can with the same calls.

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
interface Call { query?: Query; json?: unknown; body?: BodyInit; contentType?: string; /** a 401 is an answer, not the end of the session */ quiet401?: boolean }

let sessionEnded: () => void = () => {};
/** What to do when the API says the session is gone (401): the shell shows "your session ended". */
export function onSessionEnded(f: () => void): void { sessionEnded = f; }

export function apiUrl(path: string, query: Query = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `/api/v1${path}${s ? `?${s}` : ''}`;
}

export async function request<T>(method: string, path: string, c: Call = {}): Promise<T> {
  const headers: Record<string, string> = { 'X-Orchard-CSRF': '1', Accept: 'application/json' };
  let body: BodyInit | undefined = c.body;
  if (c.json !== undefined) { body = JSON.stringify(c.json); headers['Content-Type'] = 'application/json'; }
  if (c.contentType) headers['Content-Type'] = c.contentType;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, c.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'network', 'network');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: any = undefined;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  if (!res.ok) {
    const e = parsed?.error ?? {};
    if (res.status === 401 && !c.quiet401) sessionEnded();
    throw new ApiFailure(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, e.details ?? {});
  }
  return parsed as T;
}

// ---- the contract ----------------------------------------------------------------------------
// The portal reads the OpenAPI document once and sends only the names an operation declares, so
// it follows the API's names (common.md: `serial_number`, `cursor`, `sort`, `mdm_server_id`)
// where the server has them and the earlier names (`serial`, `after`, `mdm_server`) where not.
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
let contract: Promise<Doc | undefined> | undefined;
const loadContract = () => (contract ??= fetch('/api/v1/openapi.json', { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : undefined), () => undefined));

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

/** Saves a file from the API under the name its Content-Disposition gives (or `fallback`). */
export async function download(path: string, query: Query, fallback: string): Promise<void> {
  const res = await fetch(apiUrl(path, query), { headers: { 'X-Orchard-CSRF': '1' }, credentials: 'same-origin' });
  if (res.status === 401) { sessionEnded(); throw new ApiFailure(401, 'unauthenticated', 'session ended'); }
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))).error ?? {};
    throw new ApiFailure(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, e.details ?? {});
  }
  const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '');
  const blob = await res.blob();
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
export interface Me {
  id: string; email: string; given_name?: string; family_name?: string; roles: string[];
  organisation_id: string; permissions: string[];
}
/** A blank form field is sent as absent, so the API names it as missing (a field pointer) rather than wrong. */
export const given = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
export const signIn = (email: string, password: string) =>
  request<{ account_id: string; email: string; roles: string[]; expires_at: string }>('POST', '/session', { json: { email: given(email), password: given(password) }, quiet401: true });
export const signOut = () => request<void>('DELETE', '/session', { quiet401: true });
export const me = (quiet401 = false) => request<Me>('GET', '/me', { quiet401 });

// ---- dashboard and activity ---------------------------------------------------------------
export interface Dashboard {
  devices: null | { total: number; by_family: Record<string, number>; by_mdm_server: Array<{ mdm_server_id: string | null; name: string | null; count: number }> };
  enrolments: null | Record<string, number>;
  commands_last_day: null | Record<string, number>;
  licences: null | Array<{ location_id: string; name: string; bought: number; in_use: number }>;
  expiring: Array<{ kind: 'server_token' | 'content_token' | 'push_certificate'; id: string; name: string; expires_at: string }>;
}
export const dashboard = () => request<Dashboard>('GET', '/dashboard');

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
  const body: any = await request('GET', '/audit', { query });
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
  return pageOf<Device>(await request('GET', '/devices', { query }), 'devices');
}
/** Whether the device list sorts on the server (the `sort` parameter); the table offers sorting only then. */
export const devicesSortable = async () => (await declared('GET', '/devices', 'query'))?.has('sort') ?? false;
export const device = (serial: string) => request<Device>('GET', `/devices/${encodeURIComponent(serial)}`);
export const deviceCsv = () => download('/devices.csv', {}, 'devices.csv');

export interface MdmServer { id: string; name: string; device_count?: number }
export async function mdmServers(): Promise<MdmServer[]> {
  const query = await queryFor('GET', '/mdm-servers', { limit: { names: ['limit'], value: 1000 } });
  return pageOf<MdmServer>(await request('GET', '/mdm-servers', { query }), 'mdm_servers').items;
}

/** Devices named by serials, orders or a CSV. */
export type Selection = { serial_numbers: string[] } | { order_numbers: string[] } | { csv: string };
async function selectionBody(method: string, path: string, sel: Selection): Promise<Call> {
  if ('csv' in sel) return { body: sel.csv, contentType: 'text/csv' };
  if ('serial_numbers' in sel) return { json: { [await nameFor(method, path, 'body', ['serial_numbers', 'serials'])]: sel.serial_numbers } };
  return { json: { order_numbers: sel.order_numbers } };
}
export interface AssignOutcome { assigned?: number; moved?: number; unchanged?: number; moved_serials?: string[]; moved_serial_numbers?: string[]; unassigned?: number; not_assigned?: string[] | number; not_assigned_serial_numbers?: string[]; results?: Array<{ serial_number: string; outcome?: string; status?: string; code?: string; message?: string }> }
export const assignDevices = async (serverId: string, sel: Selection) =>
  request<AssignOutcome>('POST', `/mdm-servers/${encodeURIComponent(serverId)}/devices`, await selectionBody('POST', '/mdm-servers/{id}/devices', sel));
export const unassignDevices = async (serverId: string, sel: Selection) =>
  request<AssignOutcome>('DELETE', `/mdm-servers/${encodeURIComponent(serverId)}/devices`, await selectionBody('DELETE', '/mdm-servers/{id}/devices', sel));
export const releaseDevices = async (sel: Selection) => request<{ released: number }>('POST', '/devices/release', await selectionBody('POST', '/devices/release', sel));

// ---- one device's MDM side ----------------------------------------------------------------
export interface CommandTarget {
  enrollment_id: string; command_uuid: string; request_type: string | null; state: string; queued_at: string | null;
  result_at: string | null; cancelled_at: string | null; response: unknown;
}
export interface DeviceMdm {
  serial_number: string;
  assignments: Array<{ at: string; op: string; mdm_server_id: string; mdm_server_name: string | null }>;
  enrollment: null | { enrollment_id: string; udid: string | null; state: string; enrolled_at: string | null; last_seen_at: string | null; os_version: string | null; model_name: string | null; device_name: string | null };
  queue: CommandTarget[];
  history: CommandTarget[];
  installed_apps: null | { at: string | null; items: Array<{ identifier: string | null; name: string | null; version: string | null }> };
}
export const deviceMdm = (serial: string) => request<DeviceMdm>('GET', `/devices/${encodeURIComponent(serial)}/mdm`);
export const queueCommand = (udid: string, command: Record<string, unknown>) =>
  request<{ command_uuid: string }>('POST', '/commands', { json: { udids: [udid], command } });
export const cancelCommand = (uuid: string, udid: string) => request<unknown>('POST', `/commands/${encodeURIComponent(uuid)}/cancel`, { json: { udids: [udid] } });
