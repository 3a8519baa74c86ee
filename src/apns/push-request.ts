// Validation of one provider request, as the simulator's APNs applies it: named steps in order,
// each answering with Apple's `reason` ("Handling notification responses from APNs";
// "Sending notification requests to APNs" for the header rules). Pure: no I/O, no state.
import {
  DEVICE_PATH_PREFIX, DEVICE_TOKEN_PATTERN, HEADER, MAX_COLLAPSE_ID_BYTES, MAX_PAYLOAD_BYTES,
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

const APNS_HEADERS: ReadonlySet<string> = new Set(Object.values(HEADER));

/** Headers by lower-case name; a repeated `apns-*` header makes the request invalid. */
function collectHeaders(raw: string[]): Map<string, string> | 'duplicate' {
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (out.has(name) && APNS_HEADERS.has(name as (typeof HEADER)[keyof typeof HEADER])) return 'duplicate';
    out.set(name, raw[i + 1]!);
  }
  return out;
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
  const path = req.path.split('?')[0]!;
  if (!path.startsWith(DEVICE_PATH_PREFIX)) return { ok: false, reason: 'BadPath' };
  const token = path.slice(DEVICE_PATH_PREFIX.length);
  if (token.includes('/')) return { ok: false, reason: 'BadPath' };
  if (req.method !== 'POST') return { ok: false, reason: 'MethodNotAllowed' };

  const headers = collectHeaders(req.rawHeaders);
  if (headers === 'duplicate') return { ok: false, reason: 'DuplicateHeaders' };

  if (token === '') return { ok: false, reason: 'MissingDeviceToken' };
  if (!DEVICE_TOKEN_PATTERN.test(token)) return { ok: false, reason: 'BadDeviceToken' };

  const pushType = headers.get(HEADER.pushType);
  if (pushType !== undefined && !(PUSH_TYPES as readonly string[]).includes(pushType)) {
    return { ok: false, reason: 'InvalidPushType' };
  }

  const topicHeader = headers.get(HEADER.topic);
  if (topicHeader !== undefined && topicHeader !== certTopic) return { ok: false, reason: 'BadTopic' };

  const apnsId = headers.get(HEADER.id);
  if (apnsId !== undefined && !UUID_PATTERN.test(apnsId)) return { ok: false, reason: 'BadMessageId' };

  const priorityHeader = headers.get(HEADER.priority);
  const priority = priorityHeader === undefined ? 10 : Number(priorityHeader);
  if (!/^\d+$/.test(priorityHeader ?? '10') || !(PRIORITIES as readonly number[]).includes(priority)) {
    return { ok: false, reason: 'BadPriority' };
  }

  const expirationHeader = headers.get(HEADER.expiration);
  if (expirationHeader !== undefined && !/^\d{1,12}$/.test(expirationHeader)) {
    return { ok: false, reason: 'BadExpirationDate' };
  }

  const collapseId = headers.get(HEADER.collapseId);
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
