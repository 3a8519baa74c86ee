// The documented operations of the admin API: MDM servers, devices, orders, test controls and enrolment (src/portal/api/routes/mdm-servers.ts, devices.ts, src/dep/test-controls.ts, src/enroll/admin-routes.ts).
// Read from the handlers and their views; the drift test holds them to the router.
import { binary, body, csvSerials, deviceSelection, id, list, listParams, pem, q, type Operation } from '../operation.js';
import { LIST_SPECS } from '../../list-specs.js';
import { closed, orderFields, ref, s } from '../schemas.js';

const { str, int, strings } = s;

export const DEVICES_OPERATIONS: Operation[] = [
  // ---- MDM servers ---------------------------------------------------------------------------
  { method: 'get', path: '/mdm-servers', operationId: 'listMdmServers', tag: 'MDM servers', access: { permission: 'devices.read' }, status: 200, summary: 'MDM servers with their device totals', query: listParams(LIST_SPECS.mdmServers), response: list(ref('MdmServerWithTotals')) },
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
    summary: 'Devices assigned to a server', query: listParams(LIST_SPECS.devices, { family: q(str, 'Mac, iPhone, iPad, AppleTV...') }),
    response: list(ref('Device')),
  },
  {
    method: 'post', path: '/mdm-servers/{id}/devices', operationId: 'assignDevices', tag: 'MDM servers', access: { permission: 'devices.manage' }, path_params: id('MDM server id'), status: 200,
    summary: 'Assign devices to a server', description: 'By serial_numbers, by order_numbers, or a text/csv body of serial numbers; devices on another server move. moved_serial_numbers lists at most 1000. Serial numbers that are not devices of the organisation answer 404 device_not_found (details.serial_numbers) and change nothing.',
    body: deviceSelection, otherBodies: csvSerials,
    response: closed({ mdm_server_id: str, assigned: int, moved: int, unchanged: int, moved_serial_numbers: strings }),
    example: { request: { serial_numbers: ['C02DEMO00001'] }, response: { mdm_server_id: '6f1c…', assigned: 1, moved: 0, unchanged: 0, moved_serial_numbers: [] } },
  },
  {
    method: 'delete', path: '/mdm-servers/{id}/devices', operationId: 'unassignDevices', tag: 'MDM servers', access: { permission: 'devices.manage' }, path_params: id('MDM server id'), status: 200,
    summary: 'Unassign devices from a server', body: deviceSelection, otherBodies: csvSerials,
    description: 'not_assigned lists (at most 1000) the devices that were not on this server. When none of the devices was on it, the answer is 422 all_targets_refused with error.details.results [{serial_number, status: not_assigned, reason}]. Unknown serial numbers answer 404 and change nothing.',
    response: closed({ mdm_server_id: str, unassigned: int, not_assigned: strings }), errors: [422],
  },

  // ---- devices and orders --------------------------------------------------------------------
  {
    method: 'get', path: '/devices', operationId: 'listDevices', tag: 'Devices', access: { permission: 'devices.read' }, status: 200,
    summary: 'Devices, filtered and paged',
    query: listParams(LIST_SPECS.devices, {
      family: q(str, 'Mac, iPhone, iPad, AppleTV...'), order_number: q(str, 'an order number (or several, comma-separated)'),
      mdm_server_id: q(str, 'an MDM server id, or none for unassigned devices'), q: q(str, 'the start of a serial number'),
      model: q(str, 'a model, e.g. iPhone 15 Pro'), profile_status: q({ type: 'string', enum: ['empty', 'assigned', 'pushed', 'removed'] }, 'the DEP profile status'),
    }),
    response: list(ref('Device')),
  },
  {
    method: 'post', path: '/devices', operationId: 'addDevice', tag: 'Devices', access: { permission: 'devices.manage' }, status: 201,
    summary: "Add a device by hand (Apple Configurator's addition)", description: 'Supervised and provisional for 30 days; assigned to the default server of its family. Give product_code, or family and model.',
    body: body({
      serial_number: str, product_code: str, family: str, model: str,
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
    query: listParams(LIST_SPECS.devices, { order_number: q(str, 'an order number'), q: q(str, 'the start of a serial number'), mdm_server_id: q(str, 'an MDM server id, or none') }),
    response: list(closed({ serial_number: str, family: str, order_number: s.nstr, mdm_server_id: s.nstr, mdm_server_name: s.nstr, assigned_at: s.ntime }), {
      servers: { type: 'array', items: closed({ id: str, name: str, total: int, by_family: { type: 'object', additionalProperties: int } }) },
    }),
  },
  {
    method: 'get', path: '/orders', operationId: 'searchOrders', tag: 'Devices', access: { permission: 'devices.read' }, status: 200, summary: 'Orders, searched',
    query: listParams(LIST_SPECS.orders, { order_number: q(str, 'an order number'), serial_number: q(str, 'a serial number in the order'), from: q(str, 'ordered on or after (ISO date)'), to: q(str, 'ordered on or before (ISO date)') }),
    response: list(ref('Order')),
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
  { method: 'get', path: '/test-controls/dep/servers/{id}/faults', operationId: 'listDepFaults', tag: 'Test controls', access: 'operator', path_params: id('MDM server id'), status: 200, summary: "An MDM server's injected DEP faults", response: list(ref('Fault')) },
  {
    method: 'post', path: '/test-controls/dep/servers/{id}/faults', operationId: 'addDepFault', tag: 'Test controls', access: 'operator', path_params: id('MDM server id'), status: 201,
    summary: 'Inject a DEP fault for an MDM server',
    body: body({
      kind: { type: 'string', description: 'throttled, rate_limited, server_error, expired_cursor, exhausted_cursor, invalid_cursor or terms_not_accepted' },
      count: { type: 'integer', description: 'requests it affects (default: until cleared)' },
      retry_after_seconds: { type: 'integer', description: 'default 60' }, status: { type: 'integer', description: 'server_error: 500, 502, 503 (default) or 504' },
      serial_numbers: { type: 'array', items: str, description: 'throttled: which serial numbers (default all)' },
    }, ['kind']),
    bodyRequired: true, response: list(ref('Fault')), example: { request: { kind: 'rate_limited', count: 2, retry_after_seconds: 30 } },
  },
  { method: 'delete', path: '/test-controls/dep/servers/{id}/faults', operationId: 'clearDepFaults', tag: 'Test controls', access: 'operator', path_params: id('MDM server id'), status: 204, summary: "Clear an MDM server's faults" },

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
