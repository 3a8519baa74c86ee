// The documented operations of domains for Managed Apple IDs (src/portal/api/routes/domains.ts).
import { body, id, type Operation } from '../operation.js';
import { closed, ref, s } from '../schemas.js';

const { str } = s;

export const DOMAINS_OPERATIONS: Operation[] = [
  {
    method: 'get', path: '/domains', operationId: 'listDomains', tag: 'Domains', access: { permission: 'org.read' }, status: 200,
    summary: "The organisation's domains", description: 'Every domain added, pending or verified, by name.',
    response: closed({ items: { type: 'array', items: ref('Domain') }, next_cursor: s.nstr }),
  },
  {
    method: 'post', path: '/domains', operationId: 'addDomain', tag: 'Domains', access: { permission: 'domains.manage' }, status: 201,
    summary: 'Add a domain for Managed Apple IDs',
    description: 'Answers the TXT record to publish at the domain\'s name (txt_record), then POST /domains/{id}/verify. A name verified by another organisation is refused (409 domain_claimed); one the organisation already has, 409 domain_exists.',
    body: body({ name: { type: 'string', description: 'a domain name such as example.com' } }, ['name']), bodyRequired: true,
    response: ref('Domain'), headers: { Location: 'the new domain' }, errors: [409],
    example: { request: { name: 'example.com' } },
  },
  { method: 'get', path: '/domains/{id}', operationId: 'getDomain', tag: 'Domains', access: { permission: 'org.read' }, path_params: id('domain id'), status: 200, summary: 'One domain', response: ref('Domain') },
  {
    method: 'post', path: '/domains/{id}/verify', operationId: 'verifyDomain', tag: 'Domains', access: { permission: 'domains.manage' }, path_params: id('domain id'), status: 200,
    summary: 'Verify a domain by its DNS TXT record',
    description: 'Looks up the TXT records of the domain (the servers of ORCHARD_DNS_SERVERS). Without the expected value: 400 domain_txt_missing, whose details give record_name, expected_value and the verification values found; nothing changes. DNS unreachable: 503 dns_unavailable. Verifying an already verified domain answers it unchanged.',
    response: ref('Domain'), errors: [409, 503],
  },
  {
    method: 'delete', path: '/domains/{id}', operationId: 'deleteDomain', tag: 'Domains', access: { permission: 'domains.manage' }, path_params: id('domain id'), status: 204,
    summary: 'Remove a domain', description: 'Refused (409 domain_in_use, details.accounts) while Managed Apple IDs of the organisation are in it.', errors: [409],
  },

  // ---- federated authentication (OpenID Connect) -------------------------------------------
  {
    method: 'get', path: '/federations', operationId: 'listFederations', tag: 'Federated authentication', access: { permission: 'org.read' }, status: 200,
    summary: 'Domains linked to an identity provider', response: closed({ items: { type: 'array', items: ref('Federation') }, next_cursor: s.nstr }),
  },
  {
    method: 'post', path: '/federations', operationId: 'createFederation', tag: 'Federated authentication', access: { permission: 'domains.manage' }, status: 201,
    summary: 'Link a verified domain to an OpenID Connect provider',
    description: 'issuer: the provider\'s issuer URL (https; http only on loopback); client_id and client_secret as registered at the provider, whose redirect URI is `<base URL>/portal/federation/callback`. Not enabled yet: see the conflicts, migrate, enable.',
    body: body({ domain_id: str, issuer: str, client_id: str, client_secret: str }, ['domain_id', 'issuer', 'client_id', 'client_secret']), bodyRequired: true,
    response: ref('Federation'), headers: { Location: 'the new federation' }, errors: [409],
    example: { request: { domain_id: '5f1c…', issuer: 'https://login.example.com', client_id: 'orchard', client_secret: '…' } },
  },
  { method: 'get', path: '/federations/{id}', operationId: 'getFederation', tag: 'Federated authentication', access: { permission: 'org.read' }, path_params: id('federation id'), status: 200, summary: 'One federation', response: ref('Federation') },
  {
    method: 'patch', path: '/federations/{id}', operationId: 'updateFederation', tag: 'Federated authentication', access: { permission: 'domains.manage' }, path_params: id('federation id'), status: 200,
    summary: 'Rotate the client secret, or change the client id or issuer',
    description: 'Each field given is validated as at creation (issuer_invalid, client_id_invalid, client_secret_invalid); at least one is needed (400 federation_changes_missing). The secret is sealed at rest and never answered. Sign-ins in flight are dropped (they start again). Accounts stay mapped; after an issuer change, federated accounts are mapped again by their Managed Apple ID at their next sign-in.',
    body: body({ issuer: str, client_id: str, client_secret: str }), bodyRequired: true, response: ref('Federation'),
    example: { request: { client_secret: '…' } },
  },
  {
    method: 'get', path: '/federations/{id}/conflicts', operationId: 'getFederationConflicts', tag: 'Federated authentication', access: { permission: 'org.read' }, path_params: id('federation id'), status: 200,
    summary: 'What stands in the way of enabling',
    description: 'Managed Apple IDs of the organisation in the domain not yet migrated, personal Apple IDs in the domain (the registry), and whether another organisation verified the domain.',
    response: ref('FederationConflicts'),
  },
  {
    method: 'post', path: '/federations/{id}/migrate', operationId: 'migrateToFederation', tag: 'Federated authentication', access: { permission: 'domains.manage' }, path_params: id('federation id'), status: 200,
    summary: 'Migrate the domain\'s Managed Apple IDs to federated names', description: 'Each maps, at its first federated sign-in, to the provider\'s account with the same address.',
    response: closed({ migrated: s.int }),
  },
  {
    method: 'post', path: '/federations/{id}/enable', operationId: 'enableFederation', tag: 'Federated authentication', access: { permission: 'domains.manage' }, path_params: id('federation id'), status: 200,
    summary: 'Enable sign-in through the provider', description: 'Refused (409 federation_conflicts, details.conflicts) while Managed Apple IDs of the domain are not migrated or another organisation claims it. Also turns a disabled federation back on.',
    response: ref('Federation'), errors: [409],
  },
  {
    method: 'post', path: '/federations/{id}/disable', operationId: 'disableFederation', tag: 'Federated authentication', access: { permission: 'domains.manage' }, path_params: id('federation id'), status: 200,
    summary: 'Turn sign-in through the provider off',
    description: 'Sign-ins, started or in flight, are then refused: 409 federation_disabled at POST /federation/sign-in, 401 federation_refused (details.reason federation_disabled) at the callback. The accounts stay; POST …/enable turns sign-in back on. Not enabled: 409 federation_not_enabled.',
    response: ref('Federation'), errors: [409],
  },
  {
    method: 'post', path: '/federation/sign-in', operationId: 'startFederatedSignIn', tag: 'Federated authentication', access: 'public', status: 200,
    summary: 'Start a sign-in through the provider',
    description: 'Answers the provider\'s authorization URL (authorization code with PKCE S256, state and nonce, valid 10 minutes, once); send the browser there. '
      + 'Name the federation (federation_id), or the person signing in (email: the enabled federation of the domain of the address, 404 when there is none; the portal\'s sign-in page sends this). A federation its administrator disabled: 409 federation_disabled.',
    body: body({ federation_id: str, email: str }, []), bodyRequired: true, response: closed({ authorization_url: str }), errors: [404, 409],
  },
  {
    method: 'post', path: '/federation/callback', operationId: 'finishFederatedSignIn', tag: 'Federated authentication', access: 'public', status: 200,
    summary: 'Finish a sign-in from the provider\'s redirect',
    description: 'query: the query string the provider sent to `/portal/federation/callback`. The code is exchanged with PKCE; the ID token\'s signature (against the provider\'s JWKS, with an alg it advertises; never none or HS*), issuer, audience, expiry, issue time and nonce are checked, and UserInfo\'s subject must be the ID token\'s. The first sign-in creates a Staff account; later ones map to it. Sets the session cookie as POST /session does. Any failure: 401 federation_refused (details.reason), audited. An account disabled at the provider is refused by the provider before a code is issued.',
    body: body({ query: str }, ['query']), bodyRequired: true,
    response: closed({ account_id: str, email: str, roles: { type: 'array', items: ref('Role') }, expires_at: s.time }),
  },
];
