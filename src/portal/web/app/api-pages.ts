// The admin API calls of the Apps and Books, Custom Apps, People, Locations and Preferences
// pages (api.ts holds the transport, the contract lookups and the shell's calls). Every call is a
// documented operation of /api/v1; lists are read as `{items, next_cursor}` whichever shape the
// server answers (pageOf), and query names follow the contract (queryFor).
import { ApiFailure, apiUrl, download, given, nameFor, pageOf, queryFor, request } from './api.js';

const enc = encodeURIComponent;
/** Every item of a list operation (the pages here list at most a few hundred rows). */
async function all<T>(path: string, legacyKey: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const q = await queryFor('GET', path, Object.fromEntries(Object.entries(query).map(([k, v]) => [k, { names: [k], value: v }])));
  return pageOf<T>(await request('GET', path, { query: q }), legacyKey).items;
}

// ---- organisation, terms, purchase settings ---------------------------------------------------
export interface Organisation {
  id: string; name: string; org_id: string; duns: string | null; email: string; phone: string; address: string; org_type: string;
  terms: { required_version: number; accepted_version: number; accepted: boolean; accepted_at: string | null; accepted_by: string | null };
}
/** The fields of the organisation an admin edits (PATCH /organisation), in the order the form shows them. */
export const ORGANISATION_FIELDS = ['name', 'email', 'phone', 'address'] as const;
export const organisation = () => request<Organisation>('GET', '/organisation');
export const updateOrganisation = (fields: Partial<Record<(typeof ORGANISATION_FIELDS)[number], string>>) => request<Organisation>('PATCH', '/organisation', { json: fields });
export const acceptTerms = () => request<Organisation>('POST', '/organisation/terms');
export interface PurchaseSettings { customer_numbers: string[]; reseller_ids: string[] }
export const purchaseSettings = () => request<PurchaseSettings>('GET', '/purchase-settings');
export const setPurchaseSettings = (p: PurchaseSettings) => request<PurchaseSettings>('PATCH', '/purchase-settings', { json: p });

// ---- locations -----------------------------------------------------------------------------------
export interface Location { id: string; name: string; address: string; country: string; currency: string; created_at: string | null }
export const locations = () => all<Location>('/locations', 'locations', { limit: 1000 });
export const createLocation = (l: { name: string; address: string; country: string; currency: string }) =>
  request<Location>('POST', '/locations', { json: { name: given(l.name), address: given(l.address), country: given(l.country), currency: given(l.currency) } });
export interface Licence { adam_id: string; name: string; product_type: string; pricing_param: string; total: number; in_use: number; available: number; device_assignable: boolean; revocable: boolean }
export const licences = async (locationId: string) => {
  const body: any = await request('GET', `/locations/${enc(locationId)}/licences`);
  return (body.items ?? body.licences ?? []) as Licence[];
};
export interface ContentTokenStatus { active: boolean; issued_at: string | null; expires_at: string | null }
export const contentTokenStatus = (locationId: string) => request<ContentTokenStatus>('GET', `/locations/${enc(locationId)}/content-token/status`);
export const downloadContentToken = (l: Location) => download(`/locations/${enc(l.id)}/content-token`, {}, `${l.name}.vpptoken`);
export const revokeContentToken = (locationId: string) => request<void>('DELETE', `/locations/${enc(locationId)}/content-token`);
export interface Credit { location_id: string; balance: { amount: string; currency: string } | string | number }
export const credit = (locationId: string) => request<Credit>('GET', `/locations/${enc(locationId)}/credit`);
export const redeemCredit = (locationId: string, code: string) => request<Credit>('POST', `/locations/${enc(locationId)}/credit/redeem`, { json: { code: given(code) } });

// ---- accounts --------------------------------------------------------------------------------------
export const ROLE_NAMES = ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager', 'Staff'] as const;
export interface Account { id: string; email: string; given_name: string; family_name: string; roles: string[]; active: boolean; created_at: string | null; [k: string]: unknown }
/**
 * The account fields the People page edits, in one place: each is a text field of the create
 * form and a column of the list. The people-accounts work adds its fields (middle name...) here.
 */
export const ACCOUNT_TEXT_FIELDS = ['given_name', 'family_name'] as const;
export type AccountText = Record<(typeof ACCOUNT_TEXT_FIELDS)[number], string>;
export const accounts = () => all<Account>('/accounts', 'accounts', { limit: 1000 });
export const createAccount = (a: AccountText & { email: string; password: string; roles: string[] }) =>
  request<Account>('POST', '/accounts', { json: { email: given(a.email), password: given(a.password), roles: a.roles, ...Object.fromEntries(ACCOUNT_TEXT_FIELDS.map((f) => [f, given(a[f])])) } });
export const updateAccount = (id: string, patch: Partial<{ roles: string[]; active: boolean } & AccountText>) => request<Account>('PATCH', `/accounts/${enc(id)}`, { json: patch });
export const resetPassword = (id: string, password: string) => request<void>('POST', `/accounts/${enc(id)}/password`, { json: { password: given(password) } });

// ---- apps and books ------------------------------------------------------------------------------
export interface CatalogItem {
  adam_id: string; name: string; media: string; category: string; bundle_id: string | null; author: string | null; platforms: string[]; device_assignable: boolean;
  price: { amount: string; currency: string; country: string } | null; custom: boolean;
}
export async function catalog(f: { q?: string; media?: string; platform?: string; category?: string; location_id?: string }): Promise<CatalogItem[]> {
  const query = await queryFor('GET', '/catalog', {
    q: { names: ['q', 'term'], value: f.q }, media: { names: ['media'], value: f.media }, platform: { names: ['platform'], value: f.platform },
    category: { names: ['category'], value: f.category }, location: { names: ['location_id'], value: f.location_id },
  });
  return pageOf<CatalogItem>(await request('GET', '/catalog', { query }), 'items').items;
}
export const catalogItem = (adamId: string) => request<CatalogItem>('GET', `/catalog/${enc(adamId)}`);
export interface CustomApp { adam_id: string; name: string; developer: string; bundle_id: string; category: string; platforms: string[]; versions: Array<{ version: string; review_status: string; submitted_at: string; reviewed_at: string | null }> }
export const customApps = () => all<CustomApp>('/custom-apps', 'custom_apps');
export interface Card { id: string; label: string; last4: string; created_at: string }
export const cards = () => all<Card>('/cards', 'cards');
export const addCard = (label: string, last4: string) => request<Card>('POST', '/cards', { json: { label: given(label), last4: given(last4) } });
export const removeCard = (id: string) => request<void>('DELETE', `/cards/${enc(id)}`);
export type Money = { amount: string; currency: string } | string | number;
export interface Purchase { id: string; location_id: string; adam_id: string; name: string; quantity: number; total: Money; payment_method: string; card_id: string | null; purchased_by: string; purchased_at: string }
export const purchase = (p: { location_id: string; adam_id: string; quantity: number; card_id: string | null }) => request<Purchase>('POST', '/purchases', { json: p });
export const purchases = () => all<Purchase>('/purchases', 'purchases', { limit: 1000 });
export interface ItemSummary { adam_id: string; name: string; product_type: string; purchased: number; in_use: number; available: number; locations: Array<{ location_id: string; total: number; in_use: number }> }
export const purchaseSummary = () => all<ItemSummary>('/purchases/summary', 'items', { limit: 1000 });
export const transferLicences = (t: { from_location_id: string; to_location_id: string; adam_id: string; quantity: number }) => request<unknown>('POST', '/licence-transfers', { json: t });
export interface TargetResult { serial_number?: string; client_user_id?: string; adam_id: string; status: string; reason: string | null; command_uuid: string | null }
const results = (body: any): TargetResult[] => body.items ?? body.results ?? [];
export async function assignContent(a: { location_id: string; adam_id: string; serial_numbers?: string[]; families?: string[] }): Promise<TargetResult[]> {
  const serialsName = await nameFor('POST', '/content/assignments', 'body', ['serial_numbers', 'serials']);
  const json: Record<string, unknown> = { location_id: a.location_id, adam_id: a.adam_id };
  if (a.serial_numbers?.length) json[serialsName] = a.serial_numbers;
  if (a.families?.length) json.families = a.families;
  return results(await request('POST', '/content/assignments', { json }));
}
export const revokeContent = async (r: { location_id: string; adam_id: string; serial_numbers: string[] }) =>
  results(await request('POST', '/content/revocations', { json: r }));

// ---- MDM servers, defaults, enrolment profile ----------------------------------------------------
export interface ServerToken { issued_at: string | null; expires_at: string | null; file_name: string }
export interface MdmServerFull { id: string; name: string; server_uuid: string; created_at: string | null; token: ServerToken | null; device_count: number; devices_by_family: Record<string, number> }
export const mdmServersFull = () => all<MdmServerFull>('/mdm-servers', 'mdm_servers', { limit: 1000 });
export const createMdmServer = (name: string, publicKey: string) => request<MdmServerFull>('POST', '/mdm-servers', { json: { name: given(name), public_key: given(publicKey) } });
export const renameMdmServer = (id: string, name: string) => request<MdmServerFull>('PATCH', `/mdm-servers/${enc(id)}`, { json: { name: given(name) } });
export const deleteMdmServer = (id: string) => request<void>('DELETE', `/mdm-servers/${enc(id)}`);
export const renewServerToken = (id: string, publicKey?: string) => request<MdmServerFull>('POST', `/mdm-servers/${enc(id)}/token`, { json: { public_key: publicKey ? publicKey : null } });
export const downloadServerToken = (s: MdmServerFull) => download(`/mdm-servers/${enc(s.id)}/token`, {}, s.token?.file_name ?? `${s.name}_Token.p7m`);
export const FAMILIES = ['Mac', 'iPhone', 'iPad', 'AppleTV'] as const;
export type ServerDefaults = Record<(typeof FAMILIES)[number], { id: string; name: string | null } | null>;
export const serverDefaults = () => request<ServerDefaults>('GET', '/mdm-server-defaults');
export const setServerDefault = (family: string, serverId: string | null) => request<ServerDefaults>('PUT', '/mdm-server-defaults', { json: { [family]: serverId } });
export async function serverDevices(id: string): Promise<Array<{ serial_number: string; family: string; model: string }>> {
  const query = await queryFor('GET', '/mdm-servers/{id}/devices', { limit: { names: ['limit'], value: 100 } });
  const body: any = await request('GET', `/mdm-servers/${enc(id)}/devices`, { query });
  return body.items ?? body.devices ?? [];
}
export const downloadEnrollmentProfile = () => download('/enrollment-profile', {}, 'orchard-enrollment.mobileconfig');

// ---- push certificate, webhooks --------------------------------------------------------------------
export interface PushCertificate { topic: string; subject: string; not_after: string | null; days_left: number; warning: string | null }
export const pushCertificate = () => request<PushCertificate>('GET', '/push-certificate');
export const uploadPushCertificate = (certificate: string, privateKey?: string) =>
  request<PushCertificate>('PUT', '/push-certificate', { json: privateKey ? { certificate, private_key: privateKey } : { certificate } });
export const uploadPushPkcs12 = (pkcs12: string, password: string) => request<PushCertificate>('PUT', '/push-certificate', { json: { pkcs12, password } });
/** Makes the request file for Apple's push certificates portal and saves it (PushCertificateRequest.plist). */
export async function pushCertificateRequest(vendor: { vendor_certificate: string; vendor_private_key: string }): Promise<void> {
  const res = await fetch(apiUrl('/push-certificate/request'), {
    method: 'POST', credentials: 'same-origin', headers: { 'X-Orchard-CSRF': '1', 'Content-Type': 'application/json' }, body: JSON.stringify(vendor),
  });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))).error ?? {};
    throw new ApiFailure(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, e.details ?? {});
  }
  saveBlob(await res.blob(), /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'PushCertificateRequest.plist');
}
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
export interface Webhook { id: string; url: string; active: boolean; created_at: string | null; secret?: string }
export const webhooks = () => all<Webhook>('/webhooks', 'webhooks');
export const createWebhook = (url: string) => request<Webhook>('POST', '/webhooks', { json: { url: given(url) } });
export const deleteWebhook = (id: string) => request<void>('DELETE', `/webhooks/${enc(id)}`);
