// The documented operations of the admin API: the contract itself, sign-up and sessions, the organisation, locations, audit, accounts and API tokens (src/portal/api/routes/public.ts, organisation.ts, accounts.ts).
// Read from the handlers and their views; the drift test holds them to the router.
import { body, id, list, listParams, q, type Operation } from '../operation.js';
import { LIST_SPECS } from '../../list-specs.js';
import { accountFields, closed, ref, s } from '../schemas.js';

const { str, bool } = s;

export const ACCOUNTS_OPERATIONS: Operation[] = [
  // ---- the contract itself -------------------------------------------------------------------
  {
    method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'Contract', access: 'public', status: 200,
    summary: 'This OpenAPI 3.1 document', description: 'The contract of the admin API, readable without authentication; rendered for people at /api/docs.',
    response: { type: 'object', description: 'an OpenAPI 3.1 document' },
  },

  // ---- sign-up and sessions ------------------------------------------------------------------
  {
    method: 'post', path: '/session', operationId: 'signIn', tag: 'Sign-up and sessions', access: 'public', status: 200,
    summary: 'Sign in (session cookie)',
    description: 'Sets the `orchard_session` cookie (HttpOnly, SameSite=Strict). Writes made with the cookie must also send `X-Orchard-CSRF: 1` (or come from the portal\'s own origin).',
    body: body({ email: str, password: str }, ['email', 'password']), bodyRequired: true,
    response: closed({ account_id: str, email: str, roles: { type: 'array', items: ref('Role') }, expires_at: s.time }),
    example: { request: { email: 'ada@demo.test', password: 'correct horse battery' }, response: { account_id: '0b0e…', email: 'ada@demo.test', roles: ['Administrator'], expires_at: '2026-12-05T03:00:00.000Z' } },
  },
  {
    method: 'post', path: '/invitations/accept', operationId: 'acceptInvitation', tag: 'Sign-up and sessions', access: 'public', status: 200,
    summary: 'Set the password of an invited account',
    description: 'The token is the `token` of the invitation link\'s fragment (`/portal/invitation#token=…`). The password policy applies (400 password_invalid; the link stays usable). A link works once and for 7 days: an unknown one answers 400 invitation_invalid; used, replaced by a resend, or expired, 409 invitation_used / invitation_revoked / invitation_expired; every refusal is audited and changes nothing. Then sign in with POST /session.',
    body: body({ token: str, password: str }, ['token', 'password']), bodyRequired: true,
    response: closed({ account_id: str, email: str }), errors: [409],
    example: { request: { token: 'q3V…', password: 'a long passphrase' }, response: { account_id: '0b0e…', email: 'grace@demo.test' } },
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
  { method: 'get', path: '/locations', operationId: 'listLocations', tag: 'Organisation', access: { permission: 'org.read' }, status: 200, summary: 'Locations', query: listParams(LIST_SPECS.locations), response: list(ref('Location')) },
  {
    method: 'post', path: '/locations', operationId: 'createLocation', tag: 'Organisation', access: { permission: 'locations.manage' }, status: 201,
    summary: 'Create a location', description: 'name: at most 200 characters, unique in the organisation; country: ISO 3166-1 alpha-2 (default US); currency: ISO 4217 (default USD).',
    body: body({ name: str, address: str, country: str, currency: str }, ['name']), bodyRequired: true, response: ref('Location'), headers: { Location: "the new location's URL" }, errors: [409],
    example: { request: { name: 'London HQ', country: 'GB', currency: 'GBP' } },
  },
  { method: 'get', path: '/locations/{id}', operationId: 'getLocation', tag: 'Organisation', access: { permission: 'org.read' }, path_params: id('location id'), status: 200, summary: 'One location', response: ref('Location') },
  {
    method: 'patch', path: '/locations/{id}', operationId: 'updateLocation', tag: 'Organisation', access: { permission: 'locations.manage' }, path_params: id('location id'), status: 200,
    summary: 'Rename a location or change its address', description: 'name: at most 200 characters, not empty, unique in the organisation (409 location_exists); address: at most 1000 characters.',
    body: body({ name: str, address: str }), response: ref('Location'), errors: [409],
    example: { request: { name: 'London Office', address: '1 Canada Square, London E14 5AB' } },
  },
  {
    method: 'delete', path: '/locations/{id}', operationId: 'deleteLocation', tag: 'Organisation', access: { permission: 'locations.manage' }, path_params: id('location id'), status: 204,
    summary: 'Delete a location',
    description: 'Refused with 409 location_in_use while accounts or content belong to it; details.usage counts them (accounts, purchases, licence_pools, licence_assignments, content_tokens, users).',
    errors: [409],
  },
  {
    method: 'get', path: '/audit', operationId: 'listAudit', tag: 'Organisation', access: { permission: 'audit.read' }, status: 200,
    summary: 'The audit log, newest first', description: 'Every write of the admin API (any method but GET), with who, which route, the target and the outcome, refusals included.',
    query: listParams(LIST_SPECS.audit, {
      actor: q(str, "an account id or email: that actor's entries"), action: q(str, 'one action, e.g. PATCH /api/v1/organisation or sign_in'),
      since: q(str, 'entries at or after this ISO 8601 time'), until: q(str, 'entries at or before this ISO 8601 time'),
      q: q({ type: 'string', minLength: 1, maxLength: 200 }, "text found in the actor's email, the action or the target (case-insensitive)"),
      outcome: q({ type: 'string', enum: ['success', 'denied', 'failed'] }, 'only entries with this outcome'),
    }), response: list(ref('AuditEntry')),
  },

  // ---- accounts and API tokens --------------------------------------------------------------
  {
    method: 'get', path: '/me', operationId: 'getMe', tag: 'Accounts', access: 'account', status: 200, summary: 'The signed-in account',
    description: "`permissions`: what the account's roles allow (src/business/permissions.ts); the portal shows only the pages they open.",
    response: closed({ ...accountFields, organisation_id: str, permissions: { type: 'array', items: ref('Permission') } }),
  },
  { method: 'get', path: '/accounts', operationId: 'listAccounts', tag: 'Accounts', access: { permission: 'accounts.read' }, status: 200, summary: 'Accounts of the organisation',
    query: listParams(LIST_SPECS.accounts, { role: q(ref('Role'), 'accounts with this role'), q: q(str, 'words found in the email, given or family name') }), response: list(ref('Account')) },
  {
    method: 'post', path: '/accounts', operationId: 'createAccount', tag: 'Accounts', access: { permission: 'accounts.manage' }, status: 201,
    summary: 'Create an account',
    description: 'The Managed Apple ID (email) must be in a verified domain of the organisation (see /domains; 400 managed_apple_id_domain_unverified), unique across Orchard (409 email_taken) and not a personal Apple ID (409 personal_apple_id_conflict). location_id: a location of the organisation. Give a password for an account that signs in (the password policy: 8 to 256 characters, not a common password, not the Managed Apple ID); without one the account is invited: an email (the outbox) to contact_email, or else the Managed Apple ID, carries a one-time link, valid 7 days, to set the password (POST /invitations/accept). Granting Administrator needs accounts.administer.',
    body: body({ email: str, given_name: str, middle_name: str, family_name: str, location_id: s.nstr, contact_email: s.nstr, password: str, roles: { type: 'array', items: str } }, ['email']), bodyRequired: true,
    response: ref('Account'), headers: { Location: "the new account's URL" }, errors: [409],
    example: { request: { email: 'grace@demo.test', given_name: 'Grace', family_name: 'Hopper', password: 'a long passphrase', roles: ['DeviceManager'] } },
  },
  { method: 'get', path: '/accounts/{id}', operationId: 'getAccount', tag: 'Accounts', access: { permission: 'accounts.read' }, path_params: id('account id'), status: 200, summary: 'One account', response: ref('Account') },
  {
    method: 'patch', path: '/accounts/{id}', operationId: 'updateAccount', tag: 'Accounts', access: { permission: 'accounts.manage' }, path_params: id('account id'), status: 200,
    summary: 'Edit an account', description: 'active: false deactivates (the account cannot sign in; its API tokens stop working), true reactivates. location_id: a location of the organisation, or null. Changing an Administrator, or granting the role, needs accounts.administer; the last active Administrator stays.',
    body: body({ given_name: str, middle_name: str, family_name: str, location_id: s.nstr, contact_email: s.nstr, active: bool, roles: { type: 'array', items: str }, password: str }), response: ref('Account'),
    example: { request: { roles: ['DeviceManager', 'ContentManager'] } },
  },
  {
    method: 'post', path: '/accounts/{id}/password', operationId: 'resetPassword', tag: 'Accounts', access: { permission: 'accounts.manage' }, path_params: id('account id'), status: 204,
    summary: "Set (reset) an account's password",
    description: "Under the password policy (8 to 256 characters, not a common password, not the Managed Apple ID); every portal session of the account ends. Only an Administrator changes an Administrator's password. Audited without the password.",
    body: body({ password: str }, ['password']), bodyRequired: true,
    example: { request: { password: 'a long passphrase' } },
  },
  { method: 'delete', path: '/accounts/{id}', operationId: 'deleteAccount', tag: 'Accounts', access: { permission: 'accounts.manage' }, path_params: id('account id'), status: 204, summary: 'Delete an account' },
  {
    method: 'post', path: '/accounts/{id}/invitation', operationId: 'resendInvitation', tag: 'Accounts', access: { permission: 'accounts.manage' }, path_params: id('account id'), status: 200,
    summary: "Send an account's invitation again",
    description: 'A new one-time link (7 days) by email; the previous link stops working. Refused (409 account_has_password) once the account has a password, and (409 account_inactive) for a deactivated account.',
    response: closed({ account_id: str, created_at: s.time, expires_at: s.time }), errors: [409],
  },
  {
    method: 'post', path: '/accounts/{id}/transfer', operationId: 'transferResponsibilities', tag: 'Accounts', access: { permission: 'responsibilities.transfer' }, path_params: id('account id (from)'), status: 200,
    summary: "Move an account's roles to another account", body: body({ to_account_id: str }, ['to_account_id']), bodyRequired: true,
    response: closed({ from: ref('Account'), to: ref('Account'), moved_roles: { type: 'array', items: ref('Role') } }),
  },
  {
    method: 'post', path: '/accounts/{id}/api-tokens', operationId: 'createApiToken', tag: 'Accounts', access: 'account', path_params: id('your own account id'), status: 201,
    summary: 'Create an API token for yourself', description: 'Only for your own account. The token is shown once; send it as `Authorization: Bearer <token>`.',
    body: body({ name: str, expires_in_days: { type: 'integer', description: '1 to 3650' } }),
    response: closed({ id: str, name: str, created_at: s.ntime, expires_at: s.ntime, revoked_at: s.ntime, last_used_at: s.ntime, token: str }), headers: { Location: "the new token's URL (DELETE it to revoke)" },
    example: { request: { name: 'CI', expires_in_days: 90 } },
  },
  {
    method: 'get', path: '/accounts/{id}/api-tokens', operationId: 'listApiTokens', tag: 'Accounts', access: 'account', path_params: id('account id'), status: 200,
    summary: "An account's API tokens", description: 'Your own, or (Administrators) anyone\'s in the organisation. last_used_at is kept to the minute: it is written at most once a minute, so a token used several times within a minute shows the first of those uses.',
    query: listParams(LIST_SPECS.apiTokens), response: list(ref('ApiToken')),
  },
  {
    method: 'delete', path: '/accounts/{id}/api-tokens/{tokenId}', operationId: 'revokeApiToken', tag: 'Accounts', access: 'account',
    path_params: { ...id('account id'), tokenId: { schema: str, description: 'API token id' } }, status: 204,
    summary: 'Revoke an API token', description: 'Your own, or (Administrators) anyone\'s in the organisation.',
  },
];
