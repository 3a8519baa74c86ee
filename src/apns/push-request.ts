// Validation of one provider request, as the simulator's APNs applies it: named steps in order,
// each answering with Apple's `reason` ("Handling notification responses from APNs";
// "Sending notification requests to APNs" for the header rules). Pure: no I/O, no state.
import {
  DEVICE_PATH_PREFIX, HEADER, isDeviceToken, MAX_COLLAPSE_ID_BYTES, MAX_PAYLOAD_BYTES,
  PRIORITIES, PUSH_TYPES, SIMULATOR_BAD_PAYLOAD, UUID_PATTERN, type ApnsReason,
} from './wire.js';

export interface RawPushRequest {
  method: string;
  path: string;
  /** Header name/value pairs as received, flattened (Node's `rawHeaders`). */
  rawHeaders: string[];
  body: Buffer;
  /** True when the body was cut off at MAX_PAYLOAD_BYTES + 1. */
  bodyTooLarge: boolean;
}

export interface ValidPush {
  token: string;
  topic: string;
  pushType: string | undefined;
  apnsId: string | undefined;
  priority: number;
  /** `apns-expiration` in epoch seconds, if sent. */
  expiration: number | undefined;
  collapseId: string | undefined;
  /** The payload as sent (JSON text of a dictionary). */
  payload: string;
}

export type Validation = { ok: true; push: ValidPush } | { ok: false; reason: ApnsReason | typeof SIMULATOR_BAD_PAYLOAD };

/** The `apns-*` request headers the checks read; every other header is ignored. */
interface ApnsHeaders {
  topic: string | undefined;
  pushType: string | undefined;
  id: string | undefined;
  priority: string | undefined;
  expiration: string | undefined;
  collapseId: string | undefined;
}

/**
 * The `apns-*` headers, names compared lower-case; a repeated one makes the request invalid.
 * One pass over the flat pairs, no map: this runs for every push the simulator receives.
 */
function collectHeaders(raw: string[]): ApnsHeaders | 'duplicate' {
  const h: ApnsHeaders = { topic: undefined, pushType: undefined, id: undefined, priority: undefined, expiration: undefined, collapseId: undefined };
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // HTTP/2 header names arrive lower-case (RFC 9113 §8.2.1); lowering is for other callers.
    const name = raw[i]!.toLowerCase();
    if (!name.startsWith('apns-')) continue;
    let key: keyof ApnsHeaders;
    switch (name) {
      case HEADER.topic: key = 'topic'; break;
      case HEADER.pushType: key = 'pushType'; break;
      case HEADER.id: key = 'id'; break;
      case HEADER.priority: key = 'priority'; break;
      case HEADER.expiration: key = 'expiration'; break;
      case HEADER.collapseId: key = 'collapseId'; break;
      default: continue;
    }
    if (h[key] !== undefined) return 'duplicate';
    h[key] = raw[i + 1]!;
  }
  return h;
}

function isJsonDictionary(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Check `req` for a client whose certificate's topic is `certTopic`. A certificate with a single
 * topic (every MDM push certificate) makes `apns-topic` optional; a different topic is BadTopic.
 */
export function validatePushRequest(req: RawPushRequest, certTopic: string): Validation {
  const q = req.path.indexOf('?');
  const path = q < 0 ? req.path : req.path.slice(0, q);
  if (!path.startsWith(DEVICE_PATH_PREFIX)) return { ok: false, reason: 'BadPath' };
  const token = path.slice(DEVICE_PATH_PREFIX.length);
  if (token.includes('/')) return { ok: false, reason: 'BadPath' };
  if (req.method !== 'POST') return { ok: false, reason: 'MethodNotAllowed' };

  const headers = collectHeaders(req.rawHeaders);
  if (headers === 'duplicate') return { ok: false, reason: 'DuplicateHeaders' };

  if (token === '') return { ok: false, reason: 'MissingDeviceToken' };
  if (!isDeviceToken(token)) return { ok: false, reason: 'BadDeviceToken' };

  const pushType = headers.pushType;
  if (pushType !== undefined && !(PUSH_TYPES as readonly string[]).includes(pushType)) {
    return { ok: false, reason: 'InvalidPushType' };
  }

  const topicHeader = headers.topic;
  if (topicHeader !== undefined && topicHeader !== certTopic) return { ok: false, reason: 'BadTopic' };

  const apnsId = headers.id;
  if (apnsId !== undefined && !UUID_PATTERN.test(apnsId)) return { ok: false, reason: 'BadMessageId' };

  const priorityHeader = headers.priority;
  const priority = priorityHeader === undefined ? 10 : Number(priorityHeader);
  if (!/^\d+$/.test(priorityHeader ?? '10') || !(PRIORITIES as readonly number[]).includes(priority)) {
    return { ok: false, reason: 'BadPriority' };
  }

  const expirationHeader = headers.expiration;
  if (expirationHeader !== undefined && !/^\d{1,12}$/.test(expirationHeader)) {
    return { ok: false, reason: 'BadExpirationDate' };
  }

  const collapseId = headers.collapseId;
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > MAX_COLLAPSE_ID_BYTES) {
    return { ok: false, reason: 'BadCollapseId' };
  }

  if (req.bodyTooLarge || req.body.length > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'PayloadTooLarge' };
  if (req.body.length === 0) return { ok: false, reason: 'PayloadEmpty' };
  const payload = req.body.toString('utf8');
  if (!isJsonDictionary(payload)) return { ok: false, reason: SIMULATOR_BAD_PAYLOAD };

  return {
    ok: true,
    push: {
      token: token.toLowerCase(),
      topic: certTopic,
      pushType,
      apnsId,
      priority,
      expiration: expirationHeader === undefined ? undefined : Number(expirationHeader),
      collapseId,
      payload,
    },
  };
}
