// The admin API calls of the Apps and Books, Custom Apps, People, Locations and Preferences
// pages (api.ts holds the typed client, the contract lookups and the shell's calls). Every call
// is a documented operation of /api/v1 through the typed client (src/client/): a path the
// document drops no longer typechecks. Lists are read as `{items, next_cursor}` whichever shape
// the server answers (pageOf), query and body names follow the contract (queryFor, nameFor).
import { call, client, dynamic, given, json, nameFor, pageOf, queryFor, save } from './api.js';

type Blobbed = Promise<{ data?: Blob; response: Response }>;
const q = (query: Record<string, unknown>) => ({ query: dynamic<never>(query) });
/** Every item of a list operation (the pages here list at most a few hundred rows: one page of up to 1,000 where the API pages). */
async function all<T>(path: '/locations' | '/accounts' | '/custom-apps' | '/cards' | '/purchases' | '/purchases/summary' | '/mdm-servers' | '/webhooks', legacyKey: string): Promise<T[]> {
  const query = await queryFor('GET', path, { limit: { names: ['limit'], value: 1000 } });
  return pageOf<T>(await call(() => client.GET(path, { params: q(query) })), legacyKey).items;
}

// ---- organisation, terms, purchase settings ---------------------------------------------------
export interface Organisation {
  id: string; name: string; org_id: string; duns: string | null; email: string; phone: string; address: string; org_type: string;
  terms: { required_version: number; accepted_version: number; accepted: boolean; accepted_at: string | null; accepted_by: string | null };
  apps_and_books?: {
    terms_accepted: boolean; terms_accepted_at: string | null; terms_accepted_by: string | null;
    billing: { name: string; email: string; address: string; tax_id: string | null } | null;
  };
}
/** The fields of the organisation an admin edits (PATCH /organisation), in the order the form shows them. */
export const ORGANISATION_FIELDS = ['name', 'email', 'phone', 'address'] as const;
export const organisation = () => call(() => client.GET('/organisation')) as Promise<Organisation>;
export const updateOrganisation = (fields: Partial<Record<(typeof ORGANISATION_FIELDS)[number], string>>) => call(() => client.PATCH('/organisation', { body: json(fields) })) as Promise<Organisation>;
export const acceptTerms = () => call(() => client.POST('/organisation/terms')) as Promise<Organisation>;
export interface PurchaseSettings { customer_numbers: string[]; reseller_ids: string[] }
export const purchaseSettings = () => call(() => client.GET('/purchase-settings')) as Promise<PurchaseSettings>;
export const setPurchaseSettings = (p: PurchaseSettings) => call(() => client.PATCH('/purchase-settings', { body: json(p) })) as Promise<PurchaseSettings>;

// ---- locations -----------------------------------------------------------------------------------
export interface Location { id: string; name: string; address: string; country: string; currency: string; created_at: string | null }
export const locations = () => all<Location>('/locations', 'locations');
export const createLocation = (l: { name: string; address: string; country: string; currency: string }) =>
  call(() => client.POST('/locations', { body: json({ name: given(l.name), address: given(l.address), country: given(l.country), currency: given(l.currency) }) })) as Promise<Location>;
export const updateLocation = (id: string, l: { name: string; address: string }) =>
  call(() => client.PATCH('/locations/{id}', { params: { path: { id } }, body: json({ name: given(l.name), address: l.address }) })) as Promise<Location>;
/** Refused (409 location_in_use, with what still belongs to it) while accounts or content do. */
export const deleteLocation = (id: string) => call(() => client.DELETE('/locations/{id}', { params: { path: { id } } })) as Promise<void>;
export interface Licence { adam_id: string; name: string; product_type: string; pricing_param: string; total: number; in_use: number; available: number; device_assignable: boolean; revocable: boolean }
export const licences = async (locationId: string) => {
  const body: any = await call(() => client.GET('/locations/{id}/licences', { params: { path: { id: locationId } } }));
  return (body.items ?? body.licences ?? []) as Licence[];
};
export interface ContentTokenStatus { active: boolean; issued_at: string | null; expires_at: string | null }
export const contentTokenStatus = (locationId: string) => call(() => client.GET('/locations/{id}/content-token/status', { params: { path: { id: locationId } } })) as Promise<ContentTokenStatus>;
export const downloadContentToken = (l: Location) => save(() => client.GET('/locations/{id}/content-token', { params: { path: { id: l.id } }, parseAs: 'blob' }) as Blobbed, `${l.name}.vpptoken`);
export const revokeContentToken = (locationId: string) => call(() => client.DELETE('/locations/{id}/content-token', { params: { path: { id: locationId } } })) as Promise<void>;
export interface Credit { location_id: string; balance: { amount: string; currency: string } | string | number }
export const credit = (locationId: string) => call(() => client.GET('/locations/{id}/credit', { params: { path: { id: locationId } } })) as Promise<Credit>;
export const redeemCredit = (locationId: string, code: string) => call(() => client.POST('/locations/{id}/credit/redeem', { params: { path: { id: locationId } }, body: json({ code: given(code) }) })) as Promise<Credit>;

// ---- accounts --------------------------------------------------------------------------------------
export const ROLE_NAMES = ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager', 'Staff'] as const;
export interface Account { id: string; email: string; given_name: string; middle_name?: string | null; family_name: string; location_id?: string | null; contact_email?: string | null; roles: string[]; active: boolean; created_at: string | null; [k: string]: unknown }
/**
 * The account fields the People page edits, in one place: each is a text field of the create
 * form and a column of the list. The people-accounts work adds its fields (middle name...) here.
 */
export const ACCOUNT_TEXT_FIELDS = ['given_name', 'middle_name', 'family_name'] as const;
export type AccountText = Record<(typeof ACCOUNT_TEXT_FIELDS)[number], string>;
export const accounts = () => all<Account>('/accounts', 'accounts');
/** A new account: without a password, Orchard mails it an invitation to set one. */
export const createAccount = (a: AccountText & { email: string; password: string; roles: string[]; location_id: string; contact_email: string }) =>
  call(() => client.POST('/accounts', { body: json({
    email: given(a.email), password: given(a.password), roles: a.roles, location_id: given(a.location_id), contact_email: given(a.contact_email),
    ...Object.fromEntries(ACCOUNT_TEXT_FIELDS.map((f) => [f, given(a[f])])),
  }) })) as Promise<Account>;
export const updateAccount = (id: string, patch: Partial<{ roles: string[]; active: boolean; location_id: string | null; contact_email: string | null } & AccountText>) =>
  call(() => client.PATCH('/accounts/{id}', { params: { path: { id } }, body: json(patch) })) as Promise<Account>;
export const deleteAccount = (id: string) => call(() => client.DELETE('/accounts/{id}', { params: { path: { id } } })) as Promise<void>;
export const resendInvitation = (id: string) => call(() => client.POST('/accounts/{id}/invitation', { params: { path: { id } } })) as Promise<{ account_id: string; expires_at: string }>;
export const resetPassword = (id: string, password: string) => call(() => client.POST('/accounts/{id}/password', { params: { path: { id } }, body: json({ password: given(password) }) })) as Promise<void>;

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
  return pageOf<CatalogItem>(await call(() => client.GET('/catalog', { params: q(query) })), 'items').items;
}
export const catalogItem = (adamId: string) => call(() => client.GET('/catalog/{adamId}', { params: { path: { adamId } } })) as Promise<CatalogItem>;
export interface CustomApp { adam_id: string; name: string; developer: string; bundle_id: string; category: string; platforms: string[]; versions: Array<{ version: string; review_status: string; submitted_at: string; reviewed_at: string | null }> }
export const customApps = () => all<CustomApp>('/custom-apps', 'custom_apps');
export interface Card { id: string; label: string; last4: string; created_at: string }
export const cards = () => all<Card>('/cards', 'cards');
export const addCard = (label: string, last4: string) => call(() => client.POST('/cards', { body: json({ label: given(label), last4: given(last4) }) })) as Promise<Card>;
export const removeCard = (id: string) => call(() => client.DELETE('/cards/{id}', { params: { path: { id } } })) as Promise<void>;
export type Money = { amount: string; currency: string } | string | number;
export interface Purchase { id: string; location_id: string; adam_id: string; name: string; quantity: number; total: Money; payment_method: string; card_id: string | null; purchased_by: string; purchased_at: string }
export const purchase = (p: { location_id: string; adam_id: string; quantity: number; card_id: string | null }) => call(() => client.POST('/purchases', { body: json(p) })) as Promise<Purchase>;
export const purchases = () => all<Purchase>('/purchases', 'purchases');
export interface ItemSummary { adam_id: string; name: string; product_type: string; purchased: number; in_use: number; available: number; locations: Array<{ location_id: string; total: number; in_use: number }> }
export const purchaseSummary = () => all<ItemSummary>('/purchases/summary', 'items');
export const transferLicences = (t: { from_location_id: string; to_location_id: string; adam_id: string; quantity: number }) => call(() => client.POST('/licence-transfers', { body: json(t) })) as Promise<unknown>;
export interface TargetResult { serial_number?: string; client_user_id?: string; adam_id: string; status: string; reason: string | null; command_uuid: string | null }
const results = (body: any): TargetResult[] => body.items ?? body.results ?? [];
export async function assignContent(a: { location_id: string; adam_id: string; serial_numbers?: string[]; families?: string[] }): Promise<TargetResult[]> {
  const serialsName = await nameFor('POST', '/content/assignments', 'body', ['serial_numbers', 'serials']);
  const body: Record<string, unknown> = { location_id: a.location_id, adam_id: a.adam_id };
  if (a.serial_numbers?.length) body[serialsName] = a.serial_numbers;
  if (a.families?.length) body.families = a.families;
  return results(await call(() => client.POST('/content/assignments', { body: dynamic<never>(body) })));
}
export const revokeContent = async (r: { location_id: string; adam_id: string; serial_numbers: string[] }) =>
  results(await call(() => client.POST('/content/revocations', { body: json(r) })));

// ---- MDM servers, defaults, enrolment profile ----------------------------------------------------
export interface ServerToken { issued_at: string | null; expires_at: string | null; file_name: string }
export type MdmServerBase = Omit<MdmServerFull, 'device_count' | 'devices_by_family'>;
export interface MdmServerFull { id: string; name: string; server_uuid: string; created_at: string | null; token: ServerToken | null; device_count: number; devices_by_family: Record<string, number> }
export const mdmServersFull = () => all<MdmServerFull>('/mdm-servers', 'mdm_servers');
export const createMdmServer = (name: string, publicKey: string) => call(() => client.POST('/mdm-servers', { body: json({ name: given(name), public_key: given(publicKey) }) })) as Promise<MdmServerBase>;
export const renameMdmServer = (id: string, name: string) => call(() => client.PATCH('/mdm-servers/{id}', { params: { path: { id } }, body: json({ name: given(name) }) })) as Promise<MdmServerBase>;
export const deleteMdmServer = (id: string) => call(() => client.DELETE('/mdm-servers/{id}', { params: { path: { id } } })) as Promise<void>;
export const renewServerToken = (id: string, publicKey?: string) => call(() => client.POST('/mdm-servers/{id}/token', { params: { path: { id } }, body: json({ public_key: publicKey ? publicKey : null }) })) as Promise<MdmServerBase>;
export const downloadServerToken = (s: MdmServerFull) => save(() => client.GET('/mdm-servers/{id}/token', { params: { path: { id: s.id } }, parseAs: 'blob' }) as Blobbed, s.token?.file_name ?? `${s.name}_Token.p7m`);
export const FAMILIES = ['Mac', 'iPhone', 'iPad', 'AppleTV'] as const;
export type ServerDefaults = Record<(typeof FAMILIES)[number], { id: string; name: string | null } | null>;
export const serverDefaults = () => call(() => client.GET('/mdm-server-defaults')) as Promise<ServerDefaults>;
export const setServerDefault = (family: string, serverId: string | null) => call(() => client.PUT('/mdm-server-defaults', { body: json({ [family]: serverId }) })) as Promise<ServerDefaults>;
export async function serverDevices(id: string): Promise<Array<{ serial_number: string; family: string; model: string }>> {
  const query = await queryFor('GET', '/mdm-servers/{id}/devices', { limit: { names: ['limit'], value: 100 } });
  const body: any = await call(() => client.GET('/mdm-servers/{id}/devices', { params: { path: { id }, ...q(query) } }));
  return body.items ?? body.devices ?? [];
}
export const downloadEnrollmentProfile = () => save(() => client.GET('/enrollment-profile', { parseAs: 'blob' }) as Blobbed, 'orchard-enrollment.mobileconfig');

// ---- push certificate, webhooks --------------------------------------------------------------------
export interface PushCertificate { topic: string; subject: string; not_after: string | null; days_left: number; warning: string | null }
export const pushCertificate = () => call(() => client.GET('/push-certificate')) as Promise<PushCertificate>;
export const uploadPushCertificate = (certificate: string, privateKey?: string) =>
  call(() => client.PUT('/push-certificate', { body: json(privateKey ? { certificate, private_key: privateKey } : { certificate }) })) as Promise<PushCertificate>;
export const uploadPushPkcs12 = (pkcs12: string, password: string) => call(() => client.PUT('/push-certificate', { body: json({ pkcs12, password }) })) as Promise<PushCertificate>;
/** Makes the request file for Apple's push certificates portal and saves it (PushCertificateRequest.plist). */
export const pushCertificateRequest = (vendor: { vendor_certificate: string; vendor_private_key: string }) =>
  save(() => client.POST('/push-certificate/request', { body: json(vendor), parseAs: 'blob' }) as Blobbed, 'PushCertificateRequest.plist');
export interface Webhook { id: string; url: string; active: boolean; created_at: string | null; secret?: string }
export const webhooks = () => all<Webhook>('/webhooks', 'webhooks');
export const createWebhook = (url: string) => call(() => client.POST('/webhooks', { body: json({ url: given(url) }) })) as Promise<Webhook>;
export const deleteWebhook = (id: string) => call(() => client.DELETE('/webhooks/{id}', { params: { path: { id } } })) as Promise<void>;
