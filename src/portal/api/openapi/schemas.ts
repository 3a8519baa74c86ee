// The shapes of the admin API, as JSON Schema 2020-12 (what OpenAPI 3.1 uses), in one place:
// `components.schemas` of the document (src/portal/api/openapi/document.ts). Response shapes
// mirror the view functions (src/portal/api/*views.ts) field for field; every response object is
// closed (additionalProperties: false), so a field added to a view without the document fails the
// drift test (test/protocol/admin/openapi-contract.test.ts).

import { PERMISSIONS } from '../../../business/permissions.js';

type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const time: Schema = { type: 'string', format: 'date-time' };
const nullable = (s: Schema): Schema => ({ ...s, type: [s.type as string, 'null'] });
const nstr = nullable(str);
const ntime = nullable(time);
const nint = nullable(int);
const strings: Schema = { type: 'array', items: str };
const anyObject: Schema = { type: 'object' };

/** A closed object whose every listed field is always present (views write every field, null when unset). */
export function closed(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false };
}

const money = closed({ amount: { type: 'string', description: 'decimal amount, e.g. "4.99"' }, currency: str });

export const accountFields: Record<string, Schema> = {
  id: str, email: str, given_name: str, middle_name: str, family_name: str, location_id: nstr, contact_email: nstr, roles: { type: 'array', items: ref('Role') }, active: bool, created_at: ntime, updated_at: ntime,
};

export const orderFields: Record<string, Schema> = {
  order_number: str, order_date: ntime, order_type: str, customer_id: nstr, reseller_id: nstr, po_number: nstr, received_at: ntime, available_at: ntime,
};

export const pushFields: Record<string, Schema> = { has_token: bool, has_push_magic: bool, unregistered_at: ntime };

/** GET /mdm/devices/{id} widens `push` with the push outcomes (src/portal/api/push-views.ts pushStateView). */
export const pushStateFields: Record<string, Schema> = {
  last_push_at: ntime, last_trigger: nstr, last_status: nstr, last_http_status: nint, last_reason: nstr, last_apns_id: nstr,
  last_attempts: nint, pushes_since_connect: int, next_push_at: ntime, bad_token_at: ntime,
};

export const enrollmentFields: Record<string, Schema> = {
  enrollment_id: str, channel: str, parent_id: nstr, udid: nstr, apple_enrollment_id: nstr, user_id: nstr, user_short_name: nstr,
  user_long_name: nstr, serial_number: nstr, family: nstr, platform: nstr, model: nstr, model_name: nstr, product_name: nstr, os_version: nstr,
  build_version: nstr, device_name: nstr, imei: nstr, meid: nstr, topic: nstr, state: str,
  push: closed(pushFields),
  has_unlock_token: bool, has_bootstrap_token: bool, awaiting_configuration: bool, authenticated_at: ntime, enrolled_at: ntime,
  unenrolled_at: ntime, token_updated_at: ntime, last_seen_at: ntime, created_at: ntime,
};

export const schemas: Record<string, Schema> = {
  Error: {
    ...closed({
      error: closed({
        code: { type: 'string', description: 'stable machine-readable code (snake_case): match on this, not on the message' },
        message: { type: 'string', description: 'what went wrong and what to do, for people' },
        details: { type: 'object', description: 'structured facts about the error, when there are any' },
      }, ['details']),
    }),
    description: 'Every error of the admin API has this shape, with the HTTP status saying the class of error.',
    example: { error: { code: 'device_not_found', message: 'device not found' } },
  },
  ValidationError: {
    ...closed({
      error: closed({
        code: { const: 'invalid_request' },
        message: str,
        details: closed({
          errors: {
            type: 'array',
            items: closed({
              pointer: { type: 'string', description: 'JSON pointer of the offending value, rooted at /path, /query or /body (e.g. /body/given_name)' },
              problem: { type: 'string', enum: ['wrong_type', 'missing', 'unknown_field', 'invalid_value'], description: 'what is wrong with it' },
              expected: { type: 'string', description: 'what was expected there: a type (string, integer, array, string or null...), a value list, or the fields allowed' },
            }),
          },
        }),
      }),
    }),
    description: 'The answer (400) to a request whose path parameters, query or JSON body do not match the operation\'s schema: one entry per offending field. Shape checks (types, required and unknown fields) come from this document; rules about meaning (ranges, formats, what exists) are the handlers\' and answer with their own codes.',
    example: { error: { code: 'invalid_request', message: 'the request does not match the API: /body/given_name must be string', details: { errors: [{ pointer: '/body/given_name', problem: 'wrong_type', expected: 'string' }] } } },
  },

  Organisation: closed({
    id: str, name: str, org_id: str, duns: nstr, email: str, phone: str, address: str, org_type: str, org_version: str,
    consent_text: str, brand_color: str,
    terms: closed({ required_version: int, accepted_version: int, accepted: bool, accepted_at: ntime, accepted_by: nstr }),
    apps_and_books: closed({
      terms_accepted: bool, terms_accepted_at: ntime, terms_accepted_by: nstr,
      billing: nullable(closed({ name: str, email: str, address: str, tax_id: nstr })),
    }),
    created_at: ntime,
  }),
  Account: closed(accountFields),
  Role: { type: 'string', enum: ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager', 'Staff'] },
  Permission: { type: 'string', enum: [...PERMISSIONS] },
  ApiToken: closed({ id: str, name: str, created_at: ntime, expires_at: ntime, revoked_at: ntime, last_used_at: { ...ntime, description: 'kept to the minute: written at most once a minute' } }),
  Location: closed({ id: str, name: str, address: str, country: str, currency: str, created_at: ntime }),
  Domain: closed({
    id: str, name: str, status: { type: 'string', enum: ['pending', 'verified'] },
    txt_record: closed({ name: str, type: { type: 'string', enum: ['TXT'] }, value: { type: 'string', description: 'publish this TXT value at the domain\'s name, then verify' } }),
    verified_at: ntime, created_at: ntime,
  }),
  // Never the client secret: it is written (POST, PATCH), sealed at rest, and never read back.
  Federation: closed({ id: str, domain_id: str, issuer: str, client_id: str, enabled: bool, enabled_at: ntime, disabled_at: ntime, created_at: ntime, updated_at: ntime }),
  FederationConflicts: closed({ managed_apple_ids: strings, personal_apple_ids: strings, claimed_by_another_organisation: bool }),
  AuditEntry: closed({ id: int, created_at: ntime, actor: nstr, actor_email: nstr, action: str, target: nstr, outcome: str, detail: nullable(anyObject) }),

  ServerToken: nullable(closed({ issued_at: ntime, expires_at: ntime, file_name: str, public_key_fingerprint: str })),
  MdmServer: closed({ id: str, name: str, server_uuid: str, created_at: ntime, created_by: nstr, token: ref('ServerToken') }),
  MdmServerWithTotals: closed({
    id: str, name: str, server_uuid: str, created_at: ntime, created_by: nstr, token: ref('ServerToken'),
    device_count: int, devices_by_family: { type: 'object', additionalProperties: int },
  }),
  ServerRef: nullable(closed({ id: str, name: nstr })),
  ServerDefaults: closed({ Mac: ref('ServerRef'), iPhone: ref('ServerRef'), iPad: ref('ServerRef'), AppleTV: ref('ServerRef') }),
  Device: closed({
    serial_number: str, family: str, model: str, description: str, color: str, os: str, asset_tag: str, order_number: nstr,
    order_date: ntime, source: str, created_at: ntime, supervised: bool, provisional_until: ntime, mdm_server_id: nstr, mdm_server_name: nstr,
    assigned_at: ntime, assigned_by: nstr, profile_status: str, profile_uuid: nstr,
    enrolment_state: { type: ['string', 'null'], enum: ['authenticated', 'enrolled', 'unenrolled', null], description: "the MDM state of the device's newest channel; null: never enrolled (GET /devices and GET /devices/{serial})" },
  }, ['enrolment_state']),
  Order: closed({ ...orderFields, device_count: int }, ['device_count']),
  OrderLine: closed({ serial_number: str, family: str, model: str, description: str, color: str, asset_tag: str, delivery_number: nstr, ship_date: ntime }),
  PurchaseSettings: closed({ organisation_id: str, customer_numbers: strings, reseller_ids: strings }),
  DeviceSelection: {
    type: 'object',
    description: 'Exactly one of serial_numbers or order_numbers (or send the serial numbers as a text/csv body instead).',
    properties: {
      serial_numbers: { type: 'array', items: str, description: '1 to 100000 serial numbers' },
      order_numbers: { type: 'array', items: str },
    },
    additionalProperties: false,
  },

  Money: money,
  CatalogItem: closed({
    adam_id: str, name: str, media: str, category: str, bundle_id: nstr, author: nstr, platforms: strings, ios_devices: strings, universal: bool,
    min_os: { type: 'object', additionalProperties: str }, device_assignable: bool, countries: strings,
    price: nullable(closed({ amount: str, currency: str, country: str })), custom: bool,
  }),
  CustomApp: closed({
    adam_id: str, name: str, developer: str, bundle_id: str, category: str, platforms: strings,
    versions: { type: 'array', items: closed({ version: str, review_status: str, submitted_at: time, reviewed_at: ntime }) },
  }),
  Credit: closed({ location_id: str, balance: money }),
  Card: closed({ id: str, label: str, last4: str, created_at: time }),
  Purchase: closed({
    id: str, location_id: str, adam_id: str, product_type: str, name: str, pricing_param: str, quantity: int, unit_price: money, total: money,
    payment_method: str, card_id: nstr, purchased_by: str, purchased_at: time,
  }),
  PurchaseResult: closed({
    id: str, location_id: str, adam_id: str, product_type: str, name: str, pricing_param: str, quantity: int, unit_price: money, total: money,
    payment_method: str, card_id: nstr, purchased_by: str, purchased_at: time, credit_balance: money,
  }, ['credit_balance']),
  ItemSummary: closed({
    adam_id: str, name: str, product_type: str, purchased: int, in_use: int, available: int,
    locations: { type: 'array', items: closed({ location_id: str, total: int, in_use: int }) },
  }),
  LicenceTransfer: closed({ id: str, from_location_id: str, to_location_id: str, adam_id: str, pricing_param: str, quantity: int, transferred_by: str, transferred_at: time }),
  Licence: closed({
    adam_id: str, name: str, product_type: str, pricing_param: str, total: int, in_use: int, available: int, device_assignable: bool, revocable: bool,
    supported_platforms: strings,
  }),
  TargetResult: closed({
    serial_number: str, client_user_id: str, adam_id: str,
    status: { type: 'string', enum: ['associated', 'already_associated', 'refused', 'removed', 'not_assigned'] },
    newly_associated: bool, reason: nstr, command: nullable(anyObject), command_uuid: nstr, not_before: ntime, invite_code: nstr,
  }, ['serial_number', 'client_user_id']),
  InstallSettings: closed({ revocation_grace_period_days: int }),

  CommandTarget: closed({
    enrollment_id: str, udid: str, command_uuid: str, request_type: nstr, state: str, queued_at: ntime, sent_at: ntime, sent_count: int,
    not_now_count: int, last_not_now_at: ntime, result_at: ntime, cancelled_at: ntime, not_before: ntime,
    response: { description: "the device's whole response plist as JSON with Apple's key names (data as base64, dates as ISO strings); null until it answers" },
  }),
  Command: closed({ command_uuid: str, request_type: str, command: anyObject, created_at: ntime, created_by: nstr, targets: { type: 'array', items: ref('CommandTarget') } }),
  CommandSummary: closed({
    command_uuid: str, request_type: str, created_at: ntime, created_by: nstr, target_count: int,
    targets_by_status: { type: 'object', additionalProperties: int, description: 'targets per state: queued, sent, acknowledged, error, command_format_error, not_now, cancelled' },
  }),
  Enrollment: closed(enrollmentFields),
  Webhook: closed({ id: str, url: str, active: bool, created_at: ntime, secret: { type: 'string', description: 'shown once, at creation' } }, ['secret']),
  Event: closed({
    id: int, type: str, created_at: ntime, payload: anyObject,
    deliveries: {
      type: 'array',
      items: closed({ webhook_id: str, status: str, attempts: int, next_attempt_at: ntime, last_attempt_at: ntime, last_status: nint, last_error: nstr, delivered_at: ntime }),
    },
  }),
  PushCertificate: closed({
    topic: str, subject: str, serial_number: str, not_before: ntime, not_after: ntime, days_left: int, warning: nullable({ type: 'string', enum: ['expiring', 'expired', null] }),
    last_error: nullable(closed({ status: int, reason: str, at: ntime, pushing_stopped: bool })),
  }),
  PushResult: closed({ enrollment_id: str, status: str, skipped: nstr, http_status: nint, reason: nstr, apns_id: nstr, attempts: int }),
  PushLogEntry: closed({ id: int, pushed_at: ntime, trigger: str, status: str, http_status: nint, reason: nstr, apns_id: nstr, attempts: int }),
  Fault: closed({
    kind: { type: 'string', enum: ['throttled', 'rate_limited', 'server_error', 'expired_cursor', 'exhausted_cursor', 'invalid_cursor', 'terms_not_accepted'] },
    remaining: nint, retry_after_seconds: int, status: int, serial_numbers: strings,
  }),
  Clock: closed({ now: { type: 'string', description: 'Orchard\'s current time, ISO 8601 to the second' }, offset_seconds: int }),
};

export const s = { str, int, bool, time, nstr, ntime, strings, anyObject, nullable };
