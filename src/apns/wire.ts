// APNs' HTTP/2 provider API vocabulary, in one place for the sender and the simulator.
// Sources: developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns
// and …/handling-notification-responses-from-apns; PROTOCOLS.md §7.

/** Apple's hosts. MDM push certificates are production-only in practice (PROTOCOLS.md §7). */
export const APNS_HOSTS = {
  production: 'api.push.apple.com',
  sandbox: 'api.sandbox.push.apple.com',
} as const;

/** The request path for one device token (hex). */
export const DEVICE_PATH_PREFIX = '/3/device/';
export function devicePath(tokenHex: string): string {
  return DEVICE_PATH_PREFIX + tokenHex;
}

/** Request and response header names (HTTP/2 header names are lower-case). */
export const HEADER = {
  topic: 'apns-topic',
  pushType: 'apns-push-type',
  id: 'apns-id',
  expiration: 'apns-expiration',
  priority: 'apns-priority',
  collapseId: 'apns-collapse-id',
} as const;

/** Valid `apns-push-type` values ("Sending notification requests to APNs"). */
export const PUSH_TYPES = [
  'alert', 'background', 'location', 'voip', 'complication', 'fileprovider', 'mdm',
  'liveactivity', 'pushtotalk', 'widgets',
] as const;
export type PushType = (typeof PUSH_TYPES)[number];

/** `apns-priority` values Apple accepts: 10 immediate, 5 power-aware, 1 lowest. */
export const PRIORITIES = [1, 5, 10] as const;

/**
 * HTTP/2 connections a provider keeps to Apple's APNs by default (per push certificate and
 * topic). Apple: keep connections open, and spread a large number of notifications over several
 * connections ("Sending notification requests to APNs").
 */
export const DEFAULT_CONNECTIONS = 2;
/**
 * …and to the local APNs (in-process, or on the same machine). Measured there (BENCHMARKS.md,
 * push section): one connection with 1,000 streams is not what limits the rate, both ends' CPU
 * is, and each further connection costs CPU per push (smaller writes, more frames).
 */
export const LOCAL_APNS_CONNECTIONS = 1;

/** Payload limit for every push type except VoIP (5120), in bytes. */
export const MAX_PAYLOAD_BYTES = 4096;
/** `apns-collapse-id` may not exceed 64 bytes. */
export const MAX_COLLAPSE_ID_BYTES = 64;

/**
 * Every documented `reason` with the HTTP status APNs answers it with
 * ("Handling notification responses from APNs", table "Understand error codes").
 */
export const REASON_STATUS = {
  BadCollapseId: 400,
  BadDeviceToken: 400,
  BadExpirationDate: 400,
  BadMessageId: 400,
  BadPriority: 400,
  BadTopic: 400,
  DeviceTokenNotForTopic: 400,
  DuplicateHeaders: 400,
  IdleTimeout: 400,
  InvalidPushType: 400,
  MissingDeviceToken: 400,
  MissingTopic: 400,
  PayloadEmpty: 400,
  TopicDisallowed: 400,
  BadCertificate: 403,
  BadCertificateEnvironment: 403,
  ExpiredProviderToken: 403,
  Forbidden: 403,
  InvalidProviderToken: 403,
  MissingProviderToken: 403,
  BadPath: 404,
  MethodNotAllowed: 405,
  // 410 Unregistered carries `timestamp` (ms since the epoch) in the body.
  Unregistered: 410,
  ExpiredToken: 410,
  PayloadTooLarge: 413,
  TooManyProviderTokenUpdates: 429,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  Shutdown: 503,
} as const;
export type ApnsReason = keyof typeof REASON_STATUS;

/**
 * Not an Apple reason: Apple documents none for a body that is not a JSON dictionary, so the
 * simulator answers 400 with this one. The sender classifies it, like any unknown 400, as fatal.
 */
export const SIMULATOR_BAD_PAYLOAD = 'BadPayload';

export function isApnsReason(s: string): s is ApnsReason {
  return Object.prototype.hasOwnProperty.call(REASON_STATUS, s);
}

/** The JSON body of an error answer. */
export interface ApnsErrorBody {
  reason: string;
  /** Only with 410: when APNs learnt the token was no longer valid, ms since the epoch. */
  timestamp?: number;
}

/** What Orchard does with an answer. */
export type PushClass =
  | 'delivered' // 200: APNs accepted it; the device will get it (coalesced) when online
  | 'unregistered' // 410: stop pushing this token until the device sends a new TokenUpdate
  | 'bad-token' // the token is malformed or belongs to another topic: stop using it
  | 'fatal' // our certificate, topic or request is wrong: surface to an admin, stop
  | 'retry'; // 429, 5xx, IdleTimeout or a connection error: back off and try again

const BAD_TOKEN_REASONS: ReadonlySet<string> = new Set([
  'BadDeviceToken', 'DeviceTokenNotForTopic', 'MissingDeviceToken',
]);

/**
 * Classify an answer. `status` is undefined for a connection error (reset, GOAWAY, timeout),
 * which is always worth retrying on a new connection.
 */
export function classifyApnsResponse(status: number | undefined, reason?: string): PushClass {
  if (status === undefined) return 'retry';
  if (status === 200) return 'delivered';
  if (status === 410) return 'unregistered';
  if (status === 429 || status >= 500) return 'retry';
  // APNs closes connections idle too long; the request itself was fine.
  if (reason === 'IdleTimeout') return 'retry';
  if (status === 400 && reason !== undefined && BAD_TOKEN_REASONS.has(reason)) return 'bad-token';
  // 403 (certificate, environment), the remaining 400s (topic, headers, payload), 404, 405, 413:
  // resending the same request cannot succeed.
  return 'fatal';
}

/** Canonical UUID, the form Apple requires for `apns-id` (8-4-4-4-12 hex digits). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A device token as it travels in the path: hex. MDM tokens are 32 bytes; allow up to 100. */
export const DEVICE_TOKEN_PATTERN = /^(?:[0-9a-fA-F]{2}){32,100}$/;
const HEX_64_TO_200 = /^[0-9a-fA-F]{64,200}$/;

/** `DEVICE_TOKEN_PATTERN.test(s)`, for every push: a flat character class and an even length (about half the time of the grouped pattern). */
export function isDeviceToken(s: string): boolean {
  return (s.length & 1) === 0 && HEX_64_TO_200.test(s);
}

/** The MDM push payload: exactly `{"mdm":"<PushMagic>"}`, no `aps` (PROTOCOLS.md §7). */
export function mdmPayload(pushMagic: string): { mdm: string } {
  return { mdm: pushMagic };
}

/** `mdmPayload` as JSON text, the same text `JSON.stringify(mdmPayload(m))` gives, without the object. */
export function mdmPayloadJson(pushMagic: string): string {
  return '{"mdm":' + JSON.stringify(pushMagic) + '}';
}
