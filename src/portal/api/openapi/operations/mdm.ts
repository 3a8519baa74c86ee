// The documented operations of the admin API: MDM commands, enrolled devices, events and webhooks, push (src/portal/api/routes/commands.ts, push.ts).
// Read from the handlers and their views; the drift test holds them to the router.
import { body, id, list, listParams, q, type Operation, type Schema } from '../operation.js';
import { LIST_SPECS } from '../../list-specs.js';
import { closed, enrollmentFields, pushFields, pushStateFields, ref, s } from '../schemas.js';

const { str, int, strings } = s;

export const MDM_OPERATIONS: Operation[] = [
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
    query: listParams(LIST_SPECS.enrollments, { channel: q(str, 'device or user'), state: q(str, 'authenticated, enrolled or unenrolled') }),
    response: list(ref('Enrollment')),
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
    query: listParams(LIST_SPECS.events, { type: q(str, 'one event type') }), response: list(ref('Event')),
  },
  { method: 'get', path: '/webhooks', operationId: 'listWebhooks', tag: 'Events', access: { permission: 'events.manage' }, status: 200, summary: 'Webhooks', query: listParams(LIST_SPECS.webhooks), response: list(ref('Webhook')) },
  {
    method: 'post', path: '/webhooks', operationId: 'createWebhook', tag: 'Events', access: { permission: 'events.manage' }, status: 201,
    summary: 'Add a webhook', description: 'The signing secret is shown once, in this answer.', body: body({ url: str }, ['url']), bodyRequired: true, response: ref('Webhook'), headers: { Location: "the new webhook's URL (DELETE it to remove)" },
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
    body: body({ udids: strings, enrollment_ids: strings }), bodyRequired: true, response: closed({ results: { type: 'array', items: ref('PushResult') } }),
  },
  {
    method: 'get', path: '/apns', operationId: 'getApns', tag: 'Push', access: { permission: 'devices.read' }, status: 200, summary: 'Where pushes go, and where a simulated device listens',
    response: closed({ mode: str, address: s.nstr, port: { type: ['integer', 'null'] }, device_channel_url: s.nstr, device_stream: s.nstr, device_streams: s.nstr }),
  },
  {
    method: 'get', path: '/mdm/devices/{id}/pushes', operationId: 'listPushes', tag: 'Push', access: { permission: 'devices.read' }, path_params: id('enrollment id or UDID'), status: 200,
    summary: "A device's push log (the last 50 pushes), newest first", query: listParams(LIST_SPECS.pushes), response: list(ref('PushLogEntry')),
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
