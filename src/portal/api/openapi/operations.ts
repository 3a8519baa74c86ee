// Every operation of the admin API under /api/v1: path, permission, parameters, body, answer.
// Read from the handlers (src/portal/api/routes/*.ts, src/enroll/admin-routes.ts,
// src/dep/test-controls.ts) and their views; the drift test holds this list to the router.
import type { Permission } from '../../../business/permissions.js';
import { accountFields, closed, enrollmentFields, orderFields, pushFields, pushStateFields, ref, s } from './schemas.js';

type Schema = Record<string, unknown>;

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

const { str, int, bool, strings, anyObject } = s;
const list = (key: string, item: Schema, extra: Record<string, Schema> = {}) => closed({ [key]: { type: 'array', items: item }, ...extra });
const body = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required, additionalProperties: false });
const id = (description: string): Record<string, Param> => ({ id: { schema: str, description } });
const q = (schema: Schema, description: string): Param => ({ schema, description });
const limit = (dflt: number, max?: number) => q(int, `page size (default ${dflt}${max ? `, at most ${max}` : ''})`);
const binary = { type: 'string', contentEncoding: 'binary' };
const pem = (what: string) => ({ type: 'string', description: `${what}, PEM` });

const deviceSelection = ref('DeviceSelection');
const csvSerials = { 'text/csv': { type: 'string', description: 'a CSV whose first column holds serial numbers (a header row is allowed)' } };

export const OPERATIONS: Operation[] = [
  // ---- the contract itself -------------------------------------------------------------------
  {
    method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'Contract', access: 'public', status: 200,
    summary: 'This OpenAPI 3.1 document', description: 'The contract of the admin API, readable without authentication; rendered for people at /api/docs.',
    response: { type: 'object', description: 'an OpenAPI 3.1 document' },
  },

  // ---- sign-up and sessions ------------------------------------------------------------------
  {
    method: 'post', path: '/signup', operationId: 'signUp', tag: 'Sign-up and sessions', access: 'public', status: 201,
    summary: 'Enrol an organisation',
    description: 'The organisation is verified against the D-U-N-S directory; its first account is an Administrator, and its API token is shown once.',
    body: body({
      name: str, duns: { type: 'string', description: 'nine digits, as in the D-U-N-S directory' }, email: str, phone: str,
      org_type: { type: 'string', description: 'org (business) or edu' },
      administrator: body({ email: str, given_name: str, family_name: str, password: { type: 'string', description: 'at least 8 characters' } }, ['password']),
    }, ['administrator']),
    bodyRequired: true,
    response: closed({ organisation: ref('Organisation'), administrator: ref('Account'), api_token: { type: 'string', description: 'shown once' } }),
    errors: [409],
    example: { request: { name: 'Demo Orchard Ltd', duns: '123456789', email: 'it@demo.test', administrator: { email: 'ada@demo.test', given_name: 'Ada', family_name: 'Lovelace', password: 'correct horse battery' } } },
  },
  {
    method: 'post', path: '/session', operationId: 'signIn', tag: 'Sign-up and sessions', access: 'public', status: 200,
    summary: 'Sign in (session cookie)',
    description: 'Sets the `orchard_session` cookie (HttpOnly, SameSite=Strict). Writes made with the cookie must also send `X-Orchard-CSRF: 1` (or come from the portal\'s own origin).',
    body: body({ email: str, password: str }, ['email', 'password']), bodyRequired: true,
    response: closed({ account_id: str, email: str, roles: { type: 'array', items: ref('Role') }, expires_at: s.time }),
    example: { request: { email: 'ada@demo.test', password: 'correct horse battery' }, response: { account_id: '0b0e…', email: 'ada@demo.test', roles: ['Administrator'], expires_at: '2026-12-05T03:00:00.000Z' } },
  },
  {
    method: 'delete', path: '/session', operationId: 'signOut', tag: 'Sign-up and sessions', access: 'public', status: 204,
    summary: 'Sign out', description: 'Ends the session named by the cookie, if any, and clears the cookie.',
  },

  // ---- organisation, locations, audit ------------------------------------------------------
  { method: 'get', path: '/organisation', operationId: 'getOrganisation', tag: 'Organisation', access: { permission: 'org.read' }, status: 200, summary: "The caller's organisation", response: ref('Organisation') },
  {
    method: 'patch', path: '/organisation', operationId: 'updateOrganisation', tag: 'Organisation', access: { permission: 'org.manage' }, status: 200,
    summary: 'Edit the organisation', description: 'Each field given is a string of at most 4000 characters; name cannot be empty.',
    body: body({ name: str, email: str, phone: str, address: str, consent_text: str, brand_color: str }), response: ref('Organisation'),
    example: { request: { phone: '+44 20 7946 0000' } },
  },
  { method: 'post', path: '/organisation/terms', operationId: 'acceptTerms', tag: 'Organisation', access: { permission: 'terms.accept' }, status: 200, summary: "Accept Apple's terms and conditions (the version currently required)", response: ref('Organisation') },
  { method: 'get', path: '/locations', operationId: 'listLocations', tag: 'Organisation', access: { permission: 'org.read' }, status: 200, summary: 'Locations', response: list('locations', ref('Location')) },
  {
    method: 'post', path: '/locations', operationId: 'createLocation', tag: 'Organisation', access: { permission: 'locations.manage' }, status: 201,
    summary: 'Create a location', description: 'name: at most 200 characters, unique in the organisation; country: ISO 3166-1 alpha-2 (default US); currency: ISO 4217 (default USD).',
    body: body({ name: str, address: str, country: str, currency: str }, ['name']), bodyRequired: true, response: ref('Location'), errors: [409],
    example: { request: { name: 'London HQ', country: 'GB', currency: 'GBP' } },
  },
  { method: 'get', path: '/locations/{id}', operationId: 'getLocation', tag: 'Organisation', access: { permission: 'org.read' }, path_params: id('location id'), status: 200, summary: 'One location', response: ref('Location') },
  {
    method: 'get', path: '/audit', operationId: 'listAudit', tag: 'Organisation', access: { permission: 'audit.read' }, status: 200,
    summary: 'The audit log, newest first', description: 'Every write of the admin API (any method but GET), with who, which route, the target and the outcome, refusals included.',
    query: { limit: limit(100), before_id: q(int, 'entries older than this id (the next page)') }, response: list('entries', ref('AuditEntry')),
  },

  // ---- accounts and API tokens --------------------------------------------------------------
  {
    method: 'get', path: '/me', operationId: 'getMe', tag: 'Accounts', access: 'account', status: 200, summary: 'The signed-in account',
    response: closed({ ...accountFields, organisation_id: str }),
  },
  { method: 'get', path: '/accounts', operationId: 'listAccounts', tag: 'Accounts', access: { permission: 'accounts.read' }, status: 200, summary: 'Accounts of the organisation', response: list('accounts', ref('Account')) },
  {
    method: 'post', path: '/accounts', operationId: 'createAccount', tag: 'Accounts', access: { permission: 'accounts.manage' }, status: 201,
    summary: 'Create an account',
    description: 'Give a password (at least 8 characters) for an account that signs in; without one the account cannot sign in. Granting Administrator needs accounts.administer.',
    body: body({ email: str, given_name: str, family_name: str, password: str, roles: { type: 'array', items: str } }, ['email']), bodyRequired: true,
    response: ref('Account'), errors: [409],
    example: { request: { email: 'grace@demo.test', given_name: 'Grace', family_name: 'Hopper', password: 'a long passphrase', roles: ['DeviceManager'] } },
  },
  { method: 'get', path: '/accounts/{id}', operationId: 'getAccount', tag: 'Accounts', access: { permission: 'accounts.read' }, path_params: id('account id'), status: 200, summary: 'One account', response: ref('Account') },
  {
    method: 'patch', path: '/accounts/{id}', operationId: 'updateAccount', tag: 'Accounts', access: { permission: 'accounts.manage' }, path_params: id('account id'), status: 200,
    summary: 'Edit an account', description: 'Changing an Administrator, or granting the role, needs accounts.administer; the last active Administrator stays.',
    body: body({ given_name: str, family_name: str, active: bool, roles: { type: 'array', items: str }, password: str }), response: ref('Account'),
    example: { request: { roles: ['DeviceManager', 'ContentManager'] } },
  },
  { method: 'delete', path: '/accounts/{id}', operationId: 'deleteAccount', tag: 'Accounts', access: { permission: 'accounts.manage' }, path_params: id('account id'), status: 204, summary: 'Delete an account' },
  {
    method: 'post', path: '/accounts/{id}/transfer', operationId: 'transferResponsibilities', tag: 'Accounts', access: { permission: 'responsibilities.transfer' }, path_params: id('account id (from)'), status: 200,
    summary: "Move an account's roles to another account", body: body({ to_account_id: str }, ['to_account_id']), bodyRequired: true,
    response: closed({ from: ref('Account'), to: ref('Account'), moved_roles: { type: 'array', items: ref('Role') } }),
  },
  {
    method: 'post', path: '/accounts/{id}/api-tokens', operationId: 'createApiToken', tag: 'Accounts', access: 'account', path_params: id('your own account id'), status: 201,
    summary: 'Create an API token for yourself', description: 'Only for your own account. The token is shown once; send it as `Authorization: Bearer <token>`.',
    body: body({ name: str, expires_in_days: { type: 'integer', description: '1 to 3650' } }),
    response: closed({ id: str, name: str, created_at: s.ntime, expires_at: s.ntime, revoked_at: s.ntime, last_used_at: s.ntime, token: str }),
    example: { request: { name: 'CI', expires_in_days: 90 } },
  },
  {
    method: 'get', path: '/accounts/{id}/api-tokens', operationId: 'listApiTokens', tag: 'Accounts', access: 'account', path_params: id('account id'), status: 200,
    summary: "An account's API tokens", description: 'Your own, or (Administrators) anyone\'s in the organisation.', response: list('api_tokens', ref('ApiToken')),
  },
  {
    method: 'delete', path: '/accounts/{id}/api-tokens/{tokenId}', operationId: 'revokeApiToken', tag: 'Accounts', access: 'account',
    path_params: { ...id('account id'), tokenId: { schema: str, description: 'API token id' } }, status: 204,
    summary: 'Revoke an API token', description: 'Your own, or (Administrators) anyone\'s in the organisation.',
  },

  // ---- MDM servers ---------------------------------------------------------------------------
  { method: 'get', path: '/mdm-servers', operationId: 'listMdmServers', tag: 'MDM servers', access: { permission: 'devices.read' }, status: 200, summary: 'MDM servers with their device totals', response: list('mdm_servers', ref('MdmServerWithTotals')) },
  {
    method: 'post', path: '/mdm-servers', operationId: 'createMdmServer', tag: 'MDM servers', access: { permission: 'servers.manage' }, status: 201,
    summary: 'Link an MDM server', description: "public_key is the MDM server's public key certificate (PEM X.509, not a bare key); its token is then downloaded from GET /mdm-servers/{id}/token.",
    body: body({ name: str, public_key: pem('the MDM server\'s certificate') }, ['name', 'public_key']), bodyRequired: true,
    response: ref('MdmServer'), headers: { Location: 'the new server\'s URL' }, errors: [409],
    example: { request: { name: 'Fleet MDM', public_key: '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n' } },
  },
  { method: 'get', path: '/mdm-servers/{id}', operationId: 'getMdmServer', tag: 'MDM servers', access: { permission: 'devices.read' }, path_params: id('MDM server id'), status: 200, summary: 'One MDM server', response: ref('MdmServerWithTotals') },
  { method: 'patch', path: '/mdm-servers/{id}', operationId: 'renameMdmServer', tag: 'MDM servers', access: { permission: 'servers.manage' }, path_params: id('MDM server id'), status: 200, summary: 'Rename an MDM server', body: body({ name: str }, ['name']), bodyRequired: true, response: ref('MdmServer'), errors: [409] },
  { method: 'delete', path: '/mdm-servers/{id}', operationId: 'deleteMdmServer', tag: 'MDM servers', access: { permission: 'servers.manage' }, path_params: id('MDM server id'), status: 204, summary: 'Delete an MDM server (its devices become unassigned)' },
  {
    method: 'get', path: '/mdm-servers/{id}/token', operationId: 'downloadServerToken', tag: 'MDM servers', access: { permission: 'servers.manage' }, path_params: id('MDM server id'), status: 200,
    summary: 'Download the server token', description: "As Apple's portal hands it out: an S/MIME (CMS enveloped-data) file for the server's certificate; decrypt with `openssl smime -decrypt` and the server's key.",
    content: { 'application/pkcs7-mime': binary },
  },
  {
    method: 'post', path: '/mdm-servers/{id}/token', operationId: 'renewServerToken', tag: 'MDM servers', access: { permission: 'servers.manage' }, path_params: id('MDM server id'), status: 201,
    summary: 'Renew the server token', description: 'With a new public key certificate, or without one to reuse the one on file; the previous token is revoked at once.',
    body: body({ public_key: { type: ['string', 'null'], description: 'PEM certificate; omit, null or empty to reuse the one on file' } }), response: ref('MdmServer'),
  },
  { method: 'get', path: '/mdm-server-defaults', operationId: 'getServerDefaults', tag: 'MDM servers', access: { permission: 'devices.read' }, status: 200, summary: 'Default MDM server per device family', response: ref('ServerDefaults') },
  {
    method: 'put', path: '/mdm-server-defaults', operationId: 'setServerDefaults', tag: 'MDM servers', access: { permission: 'servers.manage' }, status: 200,
    summary: 'Set or clear default servers', description: 'Families Mac, iPhone, iPad, AppleTV: a server id sets, null clears; families not named stay.',
    body: { type: 'object', additionalProperties: { type: ['string', 'null'] }, description: '{"Mac": "<server id>" | null, ...}' }, bodyRequired: true,
    response: ref('ServerDefaults'), example: { request: { Mac: '6f1c…', iPad: null } },
  },
  {
    method: 'get', path: '/mdm-servers/{id}/devices', operationId: 'listServerDevices', tag: 'MDM servers', access: { permission: 'devices.read' }, path_params: id('MDM server id'), status: 200,
    summary: 'Devices assigned to a server', query: { family: q(str, 'Mac, iPhone, iPad, AppleTV...'), after: q(str, 'the previous page\'s next_after'), limit: q(int, 'page size') },
    response: ref('DevicePage'),
  },
  {
    method: 'post', path: '/mdm-servers/{id}/devices', operationId: 'assignDevices', tag: 'MDM servers', access: { permission: 'devices.manage' }, path_params: id('MDM server id'), status: 200,
    summary: 'Assign devices to a server', description: 'By serials, by order numbers, or a text/csv body of serials; devices on another server move.',
    body: deviceSelection, otherBodies: csvSerials,
    response: closed({ mdm_server: str, assigned: int, moved: int, unchanged: int, moved_serials: strings }),
    example: { request: { serials: ['C02DEMO00001'] }, response: { mdm_server: '6f1c…', assigned: 1, moved: 0, unchanged: 0, moved_serials: [] } },
  },
  {
    method: 'delete', path: '/mdm-servers/{id}/devices', operationId: 'unassignDevices', tag: 'MDM servers', access: { permission: 'devices.manage' }, path_params: id('MDM server id'), status: 200,
    summary: 'Unassign devices from a server', body: deviceSelection, otherBodies: csvSerials,
    response: closed({ mdm_server: str, unassigned: int, not_assigned: strings }),
  },

  // ---- devices and orders --------------------------------------------------------------------
  {
    method: 'get', path: '/devices', operationId: 'listDevices', tag: 'Devices', access: { permission: 'devices.read' }, status: 200,
    summary: 'Devices, filtered and paged',
    query: { family: q(str, 'Mac, iPhone, iPad, AppleTV...'), order_number: q(str, 'an order number'), mdm_server: q(str, 'an MDM server id'), serial: q(str, 'a serial number'), after: q(str, "the previous page's next_after"), limit: q(int, 'page size') },
    response: ref('DevicePage'),
  },
  {
    method: 'post', path: '/devices', operationId: 'addDevice', tag: 'Devices', access: { permission: 'devices.manage' }, status: 201,
    summary: "Add a device by hand (Apple Configurator's addition)", description: 'Supervised and provisional for 30 days; assigned to the default server of its family. Give product_code, or family and model.',
    body: body({
      serial_number: str, serialNumber: { type: 'string', description: 'older spelling of serial_number' }, product_code: str, family: str, model: str,
      description: str, color: str, os: str, asset_tag: { type: 'string', description: 'at most 64 characters' },
    }),
    bodyRequired: true, response: ref('Device'), headers: { Location: "the device's URL" }, errors: [409],
    example: { request: { serial_number: 'C02MANUAL001', family: 'Mac', model: 'MacBook Air (M2)' } },
  },
  {
    method: 'get', path: '/devices.csv', operationId: 'exportDevicesCsv', tag: 'Devices', access: { permission: 'devices.read' }, status: 200,
    summary: 'Devices as CSV', description: 'All available devices, or those of the orders given.', query: { order_numbers: q(str, 'comma-separated order numbers, or all (default)') },
    content: { 'text/csv': str },
  },
  {
    method: 'post', path: '/devices/release', operationId: 'releaseDevices', tag: 'Devices', access: { permission: 'devices.manage' }, status: 200,
    summary: 'Release devices from the organisation (permanent)', body: deviceSelection, otherBodies: csvSerials, response: closed({ released: int }),
  },
  { method: 'get', path: '/devices/{serial}', operationId: 'getDevice', tag: 'Devices', access: { permission: 'devices.read' }, path_params: { serial: { schema: str, description: 'serial number' } }, status: 200, summary: 'One device', response: ref('Device') },
  {
    method: 'patch', path: '/devices/{serial}', operationId: 'setAssetTag', tag: 'Devices', access: { permission: 'devices.manage' }, path_params: { serial: { schema: str, description: 'serial number' } }, status: 200,
    summary: "Set a device's asset tag", body: body({ asset_tag: { type: 'string', description: 'at most 64 characters' } }, ['asset_tag']), bodyRequired: true, response: ref('Device'),
  },
  {
    method: 'get', path: '/assignments', operationId: 'verifyAssignments', tag: 'Devices', access: { permission: 'devices.read' }, status: 200,
    summary: 'Verify assignments: totals per server and each device\'s server',
    query: { order_number: q(str, 'an order number'), serial: q(str, 'a serial number'), mdm_server: q(str, 'an MDM server id'), after: q(str, "the previous page's next_after"), limit: q(int, 'page size') },
    response: closed({
      servers: { type: 'array', items: closed({ id: str, name: str, total: int, by_family: { type: 'object', additionalProperties: int } }) },
      devices: { type: 'array', items: closed({ serial_number: str, family: str, order_number: s.nstr, mdm_server: s.nstr, mdm_server_name: s.nstr, assigned_at: s.ntime }) },
      next_after: s.nstr,
    }),
  },
  {
    method: 'get', path: '/orders', operationId: 'searchOrders', tag: 'Devices', access: { permission: 'devices.read' }, status: 200, summary: 'Orders, searched',
    query: { order_number: q(str, 'an order number'), serial: q(str, 'a serial number in the order'), from: q(str, 'ordered on or after (ISO date)'), to: q(str, 'ordered on or before (ISO date)'), limit: q(int, 'at most this many') },
    response: list('orders', ref('Order')),
  },
  {
    method: 'get', path: '/orders/{number}', operationId: 'getOrder', tag: 'Devices', access: { permission: 'devices.read' }, path_params: { number: { schema: str, description: 'order number' } }, status: 200,
    summary: 'One order with its devices', response: closed({ ...orderFields, device_count: int, devices: { type: 'array', items: ref('OrderLine') } }, ['device_count']),
  },
  { method: 'get', path: '/purchase-settings', operationId: 'getPurchaseSettings', tag: 'Devices', access: { permission: 'org.read' }, status: 200, summary: 'Customer numbers and reseller ids whose orders come in', response: ref('PurchaseSettings') },
  {
    method: 'patch', path: '/purchase-settings', operationId: 'setPurchaseSettings', tag: 'Devices', access: { permission: 'org.manage' }, status: 200,
    summary: 'Edit purchase settings', body: body({ customer_numbers: strings, reseller_ids: strings }), response: ref('PurchaseSettings'),
  },

  // ---- test controls (operator) ------------------------------------------------------------
  { method: 'get', path: '/test-controls/clock', operationId: 'getTestClock', tag: 'Test controls', access: 'operator', status: 200, summary: "Orchard's clock", response: ref('Clock') },
  {
    method: 'post', path: '/test-controls/clock', operationId: 'advanceTestClock', tag: 'Test controls', access: 'operator', status: 200,
    summary: "Move Orchard's clock forward", description: 'For every organisation: sessions, DEP cursors (7 days) and server tokens (1 year) expire. At most ten years per step.',
    body: body({ advance_seconds: { type: 'integer', description: `0 to ${10 * 366 * 24 * 60 * 60}` } }, ['advance_seconds']), bodyRequired: true, response: ref('Clock'),
    example: { request: { advance_seconds: 86400 } },
  },
  { method: 'get', path: '/test-controls/dep/servers/{id}/faults', operationId: 'listDepFaults', tag: 'Test controls', access: 'operator', path_params: id('MDM server id'), status: 200, summary: "An MDM server's injected DEP faults", response: list('faults', ref('Fault')) },
  {
    method: 'post', path: '/test-controls/dep/servers/{id}/faults', operationId: 'addDepFault', tag: 'Test controls', access: 'operator', path_params: id('MDM server id'), status: 201,
    summary: 'Inject a DEP fault for an MDM server',
    body: body({
      kind: { type: 'string', description: 'throttled, rate_limited, server_error, expired_cursor, exhausted_cursor, invalid_cursor or terms_not_accepted' },
      count: { type: 'integer', description: 'requests it affects (default: until cleared)' },
      retry_after_seconds: { type: 'integer', description: 'default 60' }, status: { type: 'integer', description: 'server_error: 500, 502, 503 (default) or 504' },
      serials: { type: 'array', items: str, description: 'throttled: which serials (default all)' },
    }, ['kind']),
    bodyRequired: true, response: list('faults', ref('Fault')), example: { request: { kind: 'rate_limited', count: 2, retry_after_seconds: 30 } },
  },
  { method: 'delete', path: '/test-controls/dep/servers/{id}/faults', operationId: 'clearDepFaults', tag: 'Test controls', access: 'operator', path_params: id('MDM server id'), status: 204, summary: "Clear an MDM server's faults" },

  // ---- content ---------------------------------------------------------------------------------
  {
    method: 'get', path: '/catalog', operationId: 'searchCatalog', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Search apps and books',
    query: {
      media: q(str, 'apps or books'), term: q(str, 'words in the name'), platform: q(str, 'iOS, macOS, tvOS...'), category: q(str, 'a category'),
      country: q(str, 'prices for this country (default US)'), location_id: q(str, "prices for this location's country"),
    },
    response: list('items', ref('CatalogItem')),
  },
  {
    method: 'get', path: '/catalog/{adamId}', operationId: 'getCatalogItem', tag: 'Content', access: { permission: 'content.read' }, path_params: { adamId: { schema: str, description: 'the App Store id' } }, status: 200,
    summary: 'One app or book', query: { country: q(str, 'prices for this country (default US)'), location_id: q(str, "prices for this location's country") }, response: ref('CatalogItem'),
  },
  { method: 'get', path: '/custom-apps', operationId: 'listCustomApps', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Custom apps offered to the organisation', response: list('custom_apps', ref('CustomApp')) },
  { method: 'get', path: '/locations/{id}/credit', operationId: 'getCredit', tag: 'Content', access: { permission: 'content.read' }, path_params: id('location id'), status: 200, summary: "A location's Volume Purchase credit", response: ref('Credit') },
  {
    method: 'post', path: '/locations/{id}/credit/redeem', operationId: 'redeemCredit', tag: 'Content', access: { permission: 'content.manage' }, path_params: id('location id'), status: 200,
    summary: 'Redeem a credit code', body: body({ code: str }, ['code']), bodyRequired: true, response: ref('Credit'), errors: [409],
  },
  { method: 'get', path: '/cards', operationId: 'listCards', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Company cards', response: list('cards', ref('Card')) },
  {
    method: 'post', path: '/cards', operationId: 'addCard', tag: 'Content', access: { permission: 'content.manage' }, status: 201,
    summary: 'Add a company card', body: body({ label: str, last4: { type: 'string', description: 'four digits' } }, ['label', 'last4']), bodyRequired: true, response: ref('Card'),
    example: { request: { label: 'Finance Amex', last4: '1005' } },
  },
  { method: 'delete', path: '/cards/{id}', operationId: 'removeCard', tag: 'Content', access: { permission: 'content.manage' }, path_params: id('card id'), status: 204, summary: 'Remove a company card' },
  {
    method: 'post', path: '/purchases', operationId: 'purchase', tag: 'Content', access: { permission: 'content.manage' }, status: 201,
    summary: 'Buy licences', description: "Paid with the location's credit, or with card_id. credit_balance is present when credit paid.",
    body: body({ location_id: str, adam_id: str, quantity: int, card_id: { type: ['string', 'null'] } }, ['location_id', 'adam_id', 'quantity']), bodyRequired: true,
    response: ref('PurchaseResult'), errors: [409],
    example: { request: { location_id: '9a0e…', adam_id: '361309726', quantity: 10 } },
  },
  { method: 'get', path: '/purchases', operationId: 'listPurchases', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Purchase history', query: { location_id: q(str, 'one location only') }, response: list('purchases', ref('Purchase')) },
  { method: 'get', path: '/purchases/summary', operationId: 'purchaseSummary', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Licences per item across locations', response: list('items', ref('ItemSummary')) },
  {
    method: 'post', path: '/licence-transfers', operationId: 'transferLicences', tag: 'Content', access: { permission: 'content.manage' }, status: 201,
    summary: 'Move unused licences between locations', body: body({ from_location_id: str, to_location_id: str, adam_id: str, quantity: int }, ['from_location_id', 'to_location_id', 'adam_id', 'quantity']),
    bodyRequired: true, response: ref('LicenceTransfer'), errors: [409],
  },
  { method: 'get', path: '/licence-transfers', operationId: 'listLicenceTransfers', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Licence transfers', response: list('transfers', ref('LicenceTransfer')) },
  {
    method: 'get', path: '/locations/{id}/licences', operationId: 'listLicences', tag: 'Content', access: { permission: 'content.read' }, path_params: id('location id'), status: 200,
    summary: "A location's licences", response: closed({ location_id: str, licences: { type: 'array', items: ref('Licence') } }),
  },
  {
    method: 'get', path: '/locations/{id}/content-token', operationId: 'downloadContentToken', tag: 'Content', access: { permission: 'content.manage' }, path_params: id('location id'), status: 200,
    summary: "Download the location's content token (sToken)", description: 'Each download is a new token and revokes the previous one, as in Business Manager.',
    content: { 'application/octet-stream': binary },
  },
  {
    method: 'get', path: '/locations/{id}/content-token/status', operationId: 'contentTokenStatus', tag: 'Content', access: { permission: 'content.read' }, path_params: id('location id'), status: 200,
    summary: "The location's content token", response: closed({ active: bool, issued_at: s.ntime, expires_at: s.ntime }),
  },
  { method: 'delete', path: '/locations/{id}/content-token', operationId: 'revokeContentToken', tag: 'Content', access: { permission: 'content.manage' }, path_params: id('location id'), status: 204, summary: "Revoke the location's content token" },
  {
    method: 'post', path: '/content/assignments', operationId: 'assignContent', tag: 'Content', access: { permission: 'content.manage' }, status: 200,
    summary: 'Assign an app or book to devices or users',
    description: "Targets: serial_numbers, group_ids ('order:<number>' or 'server:<id>'), families, users. Each result says what was associated and which MDM command was queued (command_uuid null when no enrolled device could take it).",
    body: body({
      location_id: str, adam_id: str, serial_numbers: strings, group_ids: strings, families: strings,
      users: {
        type: 'array',
        items: body({ client_user_id: str, email: str, managed_apple_id: str, country: str, serial_number: { type: 'string', description: "the user's device, where the install is queued" } }, ['client_user_id']),
      },
    }, ['location_id', 'adam_id']),
    bodyRequired: true, response: list('results', ref('TargetResult')), errors: [409],
    example: { request: { location_id: '9a0e…', adam_id: '361309726', serial_numbers: ['DMOPH0000001'] } },
  },
  {
    method: 'post', path: '/content/revocations', operationId: 'revokeContent', tag: 'Content', access: { permission: 'content.manage' }, status: 200,
    summary: 'Revoke device licences', description: 'RemoveApplication is queued after grace_period_days (default: the install settings).',
    body: body({ location_id: str, adam_id: str, serial_numbers: strings, grace_period_days: int }, ['location_id', 'adam_id', 'serial_numbers']), bodyRequired: true,
    response: list('results', ref('TargetResult')),
  },
  {
    method: 'post', path: '/content/migrations', operationId: 'migrateContent', tag: 'Content', access: { permission: 'content.manage' }, status: 200,
    summary: "Move a user's licence to a device", description: 'InstallApplication is queued again for the device.',
    body: body({ location_id: str, adam_id: str, client_user_id: str, serial_number: str }, ['location_id', 'adam_id', 'client_user_id', 'serial_number']), bodyRequired: true,
    response: closed({ result: ref('TargetResult') }),
  },
  { method: 'get', path: '/content/install-settings', operationId: 'getInstallSettings', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Install settings', response: ref('InstallSettings') },
  {
    method: 'put', path: '/content/install-settings', operationId: 'setInstallSettings', tag: 'Content', access: { permission: 'content.manage' }, status: 200,
    summary: 'Set the default revocation grace period', body: body({ revocation_grace_period_days: { type: 'integer', description: '0 to 30' } }, ['revocation_grace_period_days']), bodyRequired: true,
    response: ref('InstallSettings'),
  },

  // ---- MDM commands, enrolled devices, events -------------------------------------------
  {
    method: 'post', path: '/commands', operationId: 'queueCommand', tag: 'MDM', access: { permission: 'mdm.commands' }, status: 201,
    summary: 'Queue an MDM command for devices', description: "command is the command dictionary with Apple's keys (RequestType and its keys); devices named by udids or enrollment_ids are pushed.",
    body: body({
      udids: strings, enrollment_ids: strings, command: { type: 'object', description: "Apple's command dictionary: RequestType and its keys" },
      not_before: { type: ['string', 'null'], description: 'ISO 8601: deliver no earlier' }, command_uuid: { type: ['string', 'null'], description: 'your own CommandUUID (idempotent tooling)' },
    }, ['command']),
    bodyRequired: true, response: closed({ command_uuid: str, enrollment_ids: strings, push_targets: int, not_before: s.ntime }), errors: [409],
    example: { request: { udids: ['0000FE00-5A9C2B31E0A4402E'], command: { RequestType: 'DeviceInformation', Queries: ['OSVersion'] } } },
  },
  { method: 'get', path: '/commands/{uuid}', operationId: 'getCommand', tag: 'MDM', access: { permission: 'devices.read' }, path_params: { uuid: { schema: str, description: 'CommandUUID' } }, status: 200, summary: 'A command, with each device\'s state and response', response: ref('Command') },
  {
    method: 'post', path: '/commands/{uuid}/cancel', operationId: 'cancelCommand', tag: 'MDM', access: { permission: 'mdm.commands' }, path_params: { uuid: { schema: str, description: 'CommandUUID' } }, status: 200,
    summary: 'Cancel a command not yet sent', body: body({ udids: { type: 'array', items: str, description: 'only for these devices (default all)' } }),
    response: closed({ cancelled: { type: 'array', items: str, description: 'the enrolments whose copy was cancelled' }, command: ref('Command') }),
  },
  {
    method: 'delete', path: '/commands/{uuid}', operationId: 'deleteCommand', tag: 'MDM', access: { permission: 'mdm.commands' }, path_params: { uuid: { schema: str, description: 'CommandUUID' } }, status: 200,
    summary: 'Cancel a command not yet sent (same as POST …/cancel)', body: body({ udids: strings }),
    response: closed({ cancelled: { type: 'array', items: str, description: 'the enrolments whose copy was cancelled' }, command: ref('Command') }),
  },
  {
    method: 'get', path: '/mdm/devices', operationId: 'listEnrollments', tag: 'MDM', access: { permission: 'devices.read' }, status: 200, summary: 'Enrolled devices and user channels',
    query: { channel: q(str, 'device or user'), state: q(str, 'authenticated, enrolled or unenrolled'), limit: limit(200), after: q(str, 'enrollment id to page after') },
    response: list('devices', ref('Enrollment')),
  },
  {
    method: 'get', path: '/mdm/devices/{id}', operationId: 'getEnrollment', tag: 'MDM', access: { permission: 'devices.read' }, path_params: id('enrollment id or UDID'), status: 200,
    summary: 'One enrolment with its push state, queue and history', response: enrollmentDetail(),
  },
  {
    method: 'delete', path: '/mdm/devices/{id}/queue', operationId: 'clearQueue', tag: 'MDM', access: { permission: 'mdm.commands' }, path_params: id('enrollment id or UDID'), status: 200,
    summary: "Cancel everything in a device's queue", response: closed({ cancelled_commands: { type: 'array', items: str, description: 'CommandUUIDs cancelled' } }),
  },
  {
    method: 'get', path: '/events', operationId: 'listEvents', tag: 'Events', access: { permission: 'events.manage' }, status: 200, summary: 'The event log with webhook deliveries',
    query: { after_id: q(int, 'events after this id'), limit: limit(100), type: q(str, 'one event type') }, response: list('events', ref('Event')),
  },
  { method: 'get', path: '/webhooks', operationId: 'listWebhooks', tag: 'Events', access: { permission: 'events.manage' }, status: 200, summary: 'Webhooks', response: list('webhooks', ref('Webhook')) },
  {
    method: 'post', path: '/webhooks', operationId: 'createWebhook', tag: 'Events', access: { permission: 'events.manage' }, status: 201,
    summary: 'Add a webhook', description: 'The signing secret is shown once, in this answer.', body: body({ url: str }, ['url']), bodyRequired: true, response: ref('Webhook'),
    example: { request: { url: 'https://hooks.example.com/orchard' } },
  },
  { method: 'delete', path: '/webhooks/{id}', operationId: 'deleteWebhook', tag: 'Events', access: { permission: 'events.manage' }, path_params: id('webhook id'), status: 204, summary: 'Remove a webhook' },

  // ---- push ------------------------------------------------------------------------------------
  { method: 'get', path: '/push-certificate', operationId: 'getPushCertificate', tag: 'Push', access: { permission: 'push.manage' }, status: 200, summary: 'The MDM push certificate (404 push_certificate_missing when none)', response: ref('PushCertificate'), errors: [404] },
  {
    method: 'put', path: '/push-certificate', operationId: 'uploadPushCertificate', tag: 'Push', access: { permission: 'push.manage' }, status: 200,
    summary: 'Install the MDM push certificate', description: 'Either {pkcs12 (base64), password} or {certificate (PEM), private_key (PEM)}; the key may be omitted when it was made by POST /push-certificate/request.',
    body: body({ pkcs12: str, password: str, certificate: str, private_key: str }), bodyRequired: true, response: ref('PushCertificate'), errors: [409],
  },
  {
    method: 'post', path: '/push-certificate/request', operationId: 'createPushCertificateRequest', tag: 'Push', access: { permission: 'push.manage' }, status: 201,
    summary: 'Make the request file for Apple\'s push certificates portal', description: 'Orchard keeps the new key; the vendor identity signs the CSR: {vendor_pkcs12, vendor_password} or {vendor_certificate, vendor_private_key, vendor_chain?} (PEM).',
    body: body({ vendor_pkcs12: str, vendor_password: str, vendor_certificate: str, vendor_private_key: str, vendor_chain: str }), bodyRequired: true,
    content: { 'text/plain': { type: 'string', description: 'PushCertificateRequest.plist (base64)' } },
  },
  {
    method: 'post', path: '/push-certificate/local-portal', operationId: 'localPushPortal', tag: 'Push', access: { permission: 'push.manage' }, status: 201,
    summary: "Orchard's offline stand-in for Apple's push certificates portal", description: "Signs the request with the local push CA (for the local APNs simulator), keeping the current topic.",
    body: body({ request: { type: 'string', description: 'the base64 push certificate request file' } }, ['request']), bodyRequired: true,
    content: { 'application/x-pem-file': str }, errors: [503],
  },
  { method: 'post', path: '/mdm/devices/{id}/push', operationId: 'pushDevice', tag: 'Push', access: { permission: 'mdm.commands' }, path_params: id('enrollment id or UDID'), status: 200, summary: 'Push one device now', response: ref('PushResult') },
  {
    method: 'post', path: '/push', operationId: 'pushDevices', tag: 'Push', access: { permission: 'mdm.commands' }, status: 200, summary: 'Push devices now (at most 10000)',
    body: body({ udids: strings, enrollment_ids: strings }), bodyRequired: true, response: list('results', ref('PushResult')),
  },
  {
    method: 'get', path: '/apns', operationId: 'getApns', tag: 'Push', access: { permission: 'devices.read' }, status: 200, summary: 'Where pushes go, and where a simulated device listens',
    response: closed({ mode: str, address: s.nstr, port: { type: ['integer', 'null'] }, device_channel_url: s.nstr, device_stream: s.nstr, device_streams: s.nstr }),
  },
  {
    method: 'get', path: '/mdm/devices/{id}/pushes', operationId: 'listPushes', tag: 'Push', access: { permission: 'devices.read' }, path_params: id('enrollment id or UDID'), status: 200,
    summary: "A device's push log, newest first", query: { limit: limit(20) }, response: list('pushes', ref('PushLogEntry')),
  },

  // ---- enrolment -------------------------------------------------------------------------------
  {
    method: 'get', path: '/enrollment-profile', operationId: 'getEnrollmentProfile', tag: 'Enrolment', access: { permission: 'devices.manage' }, status: 200,
    summary: 'A signed manual-enrolment profile', description: 'Each download carries its own one-time SCEP challenge.',
    query: { identity: q(str, 'scep (default) or pkcs12') }, content: { 'application/x-apple-aspen-config': binary },
  },
  {
    method: 'post', path: '/sim/device-identities', operationId: 'certifySimulatedDevice', tag: 'Enrolment', access: 'administrator-or-operator', status: 201,
    summary: "The simulated factory: certify a simulated device's key",
    description: "For devices of the caller's organisation (404 device_not_found otherwise); the operator, with test controls on, for any serial.",
    body: body({ serial_number: { type: 'string', description: '8 to 14 capital letters or digits' }, udid: str, csr: { type: 'string', description: 'PKCS#10, PEM or base64 DER' } }, ['serial_number', 'udid', 'csr']),
    bodyRequired: true, response: closed({ serial_number: str, udid: str, certificate: pem('device identity certificate'), chain: strings, activation_anchors: strings }),
  },
];

function enrollmentDetail(): Schema {
  const { push: _push, ...rest } = enrollmentFields;
  return closed({
    ...rest,
    push: closed({ ...pushFields, ...pushStateFields }),
    queue: { type: 'array', items: ref('CommandTarget') },
    history: { type: 'array', items: ref('CommandTarget') },
  });
}
