// The documented operations of the admin API: content: catalogue, credit, cards, purchases, transfers, licences, content tokens, assignment (src/portal/api/routes/content.ts, content-assign.ts).
// Read from the handlers and their views; the drift test holds them to the router.
import { binary, body, id, list, listParams, q, type Operation } from '../operation.js';
import { LIST_SPECS } from '../../list-specs.js';
import { closed, ref, s } from '../schemas.js';

const { str, int, bool, strings } = s;

export const CONTENT_OPERATIONS: Operation[] = [
  // ---- content ---------------------------------------------------------------------------------
  {
    method: 'get', path: '/catalog', operationId: 'searchCatalog', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Search apps and books',
    query: listParams(LIST_SPECS.catalog, {
      media: q(str, 'apps or books'), q: q(str, 'words in the name (free-text search)'), platform: q(str, 'iOS, macOS, tvOS...'), category: q(str, 'a category'),
      country: q(str, 'prices for this country (default US)'), location_id: q(str, "prices for this location's country"),
    }),
    response: list(ref('CatalogItem')),
  },
  {
    method: 'get', path: '/catalog/{adamId}', operationId: 'getCatalogItem', tag: 'Content', access: { permission: 'content.read' }, path_params: { adamId: { schema: str, description: 'the App Store id' } }, status: 200,
    summary: 'One app or book', query: { country: q(str, 'prices for this country (default US)'), location_id: q(str, "prices for this location's country") }, response: ref('CatalogItem'),
  },
  { method: 'get', path: '/custom-apps', operationId: 'listCustomApps', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Custom apps offered to the organisation', query: listParams(LIST_SPECS.customApps), response: list(ref('CustomApp')) },
  { method: 'get', path: '/locations/{id}/credit', operationId: 'getCredit', tag: 'Content', access: { permission: 'content.read' }, path_params: id('location id'), status: 200, summary: "A location's Volume Purchase credit", response: ref('Credit') },
  {
    method: 'post', path: '/locations/{id}/credit/redeem', operationId: 'redeemCredit', tag: 'Content', access: { permission: 'content.manage' }, path_params: id('location id'), status: 200,
    summary: 'Redeem a credit code', body: body({ code: str }, ['code']), bodyRequired: true, response: ref('Credit'), errors: [409],
  },
  { method: 'get', path: '/cards', operationId: 'listCards', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Company cards', query: listParams(LIST_SPECS.cards), response: list(ref('Card')) },
  {
    method: 'post', path: '/cards', operationId: 'addCard', tag: 'Content', access: { permission: 'content.manage' }, status: 201,
    summary: 'Add a company card', body: body({ label: str, last4: { type: 'string', description: 'four digits' } }, ['label', 'last4']), bodyRequired: true, response: ref('Card'), headers: { Location: "the new card's URL (DELETE it to remove)" },
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
  { method: 'get', path: '/purchases', operationId: 'listPurchases', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Purchase history', query: listParams(LIST_SPECS.purchases, { location_id: q(str, 'one location only') }), response: list(ref('Purchase')) },
  { method: 'get', path: '/purchases/summary', operationId: 'purchaseSummary', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Licences per item across locations', query: listParams(LIST_SPECS.purchaseSummary), response: list(ref('ItemSummary')) },
  {
    method: 'post', path: '/licence-transfers', operationId: 'transferLicences', tag: 'Content', access: { permission: 'content.manage' }, status: 201,
    summary: 'Move unused licences between locations', body: body({ from_location_id: str, to_location_id: str, adam_id: str, quantity: int }, ['from_location_id', 'to_location_id', 'adam_id', 'quantity']),
    bodyRequired: true, response: ref('LicenceTransfer'), errors: [409],
  },
  { method: 'get', path: '/licence-transfers', operationId: 'listLicenceTransfers', tag: 'Content', access: { permission: 'content.read' }, status: 200, summary: 'Licence transfers', query: listParams(LIST_SPECS.licenceTransfers), response: list(ref('LicenceTransfer')) },
  {
    method: 'get', path: '/locations/{id}/licences', operationId: 'listLicences', tag: 'Content', access: { permission: 'content.read' }, path_params: id('location id'), status: 200,
    summary: "A location's licences", query: listParams(LIST_SPECS.licences), response: list(ref('Licence'), { location_id: str }),
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
    bodyRequired: true, response: closed({ results: { type: 'array', items: ref('TargetResult') } }), errors: [409],
    example: { request: { location_id: '9a0e…', adam_id: '361309726', serial_numbers: ['DMOPH0000001'] } },
  },
  {
    method: 'post', path: '/content/revocations', operationId: 'revokeContent', tag: 'Content', access: { permission: 'content.manage' }, status: 200,
    summary: 'Revoke device licences', description: 'RemoveApplication is queued after grace_period_days (default: the install settings).',
    body: body({ location_id: str, adam_id: str, serial_numbers: strings, grace_period_days: int }, ['location_id', 'adam_id', 'serial_numbers']), bodyRequired: true,
    response: closed({ results: { type: 'array', items: ref('TargetResult') } }),
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
];
