// The Device Assignment (DEP) API's wire vocabulary, in one place: error codes with their HTTP
// statuses, per-device result strings, headers, paging limits and the doc page of each.
// Base: https://developer.apple.com/documentation/devicemanagement/device-assignment
// Error bodies are the bare code text (PROTOCOLS.md Part 1 §A2: NanoDEP substring-matches them).

import type { DeviceOutcome } from '../store/device-types.js';

const DOC = 'https://developer.apple.com/documentation/devicemanagement';

export const DOCS = {
  auth: `${DOC}/authenticating-with-a-device-enrollment-program-dep-server`,
  errors: `${DOC}/interpreting-automated-device-enrollment-error-codes`,
  account: `${DOC}/account-detail`,
  fetch: `${DOC}/fetch-devices`,
  sync: `${DOC}/sync-devices`,
  details: `${DOC}/device-details`,
  disown: `${DOC}/disown-devices`,
  defineProfile: `${DOC}/define-profile`,
  fetchProfile: `${DOC}/fetch-profile`,
  assignProfile: `${DOC}/assign-profile`,
  removeProfile: `${DOC}/clear-device-profile`,
  device: `${DOC}/device`,
  profile: `${DOC}/profile`,
  skipKeys: `${DOC}/skipkeys`,
} as const;

/** Every error the DEP face answers, with its status. Where a code is documented, its page is named. */
export const DEP_ERRORS = {
  // Authentication failures (interpreting-automated-device-enrollment-error-codes).
  UNAUTHORIZED: 401, // X-ADM-Auth-Session missing or expired: the client opens a new session
  FORBIDDEN: 403, // X-ADM-Auth-Session not recognised
  ACCESS_DENIED: 403, // the token has no access to this request
  T_C_NOT_SIGNED: 403, // the organisation has not accepted the latest terms and conditions
  // Every endpoint (device-assignment overview).
  MALFORMED_REQUEST_BODY: 400,
  USER_AGENT_MISSING: 400,
  USER_AGENT_INVALID: 400,
  METHOD_NOT_ALLOWED: 405,
  NOT_FOUND: 404, // no such endpoint
  // Fetch and sync (fetch-devices, sync-devices).
  INVALID_CURSOR: 400,
  EXHAUSTED_CURSOR: 400,
  EXPIRED_CURSOR: 400,
  CURSOR_REQUIRED: 400,
  INVALID_LIMIT: 400,
  // Device lists (device-details, disown-devices, assign-profile, clear-device-profile).
  DEVICE_ID_REQUIRED: 400,
  DEVICE_LIMIT_EXCEEDED: 400,
  // Profiles (define-profile, fetch-profile, assign-profile).
  PROFILE_UUID_REQUIRED: 400,
  PROFILE_NOT_FOUND: 404, // assign with an unknown profile (Apple answers 404, seen in clients' logs)
  PROFILE_FETCH_NOT_FOUND: 400, // fetch-profile of an unknown uuid: body NOT_FOUND with 400 (PROTOCOLS.md A3)
  CONFIG_NAME_REQUIRED: 400,
  CONFIG_NAME_INVALID: 400,
  CONFIG_URL_REQUIRED: 400,
  CONFIG_URL_INVALID: 400,
  DEPARTMENT_INVALID: 400,
  FLAGS_INVALID: 400,
  LOCALE_INVALID: 400,
  MAGIC_INVALID: 400,
  SUPPORT_EMAIL_INVALID: 400,
  SUPPORT_PHONE_INVALID: 400,
  SKIP_ITEMS_INVALID: 400,
  ANCHOR_CERTS_INVALID: 400,
  SUPERVISING_HOST_CERTS_INVALID: 400,
  // Limits.
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type DepErrorCode = keyof typeof DEP_ERRORS;

/** The body text sent for a code; only the fetch-profile lookup differs from its key. */
const BODY: Partial<Record<DepErrorCode, string>> = { PROFILE_FETCH_NOT_FOUND: 'NOT_FOUND' };

/** An error in the DEP vocabulary: the router answers `status` with the bare `body` text. */
export class DepError extends Error {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  constructor(readonly code: DepErrorCode | 'OAUTH', body?: string, opts: { status?: number; headers?: Record<string, string> } = {}) {
    super(body ?? code);
    this.name = 'DepError';
    this.status = opts.status ?? (code === 'OAUTH' ? 401 : DEP_ERRORS[code]);
    this.body = body ?? (code === 'OAUTH' ? '' : BODY[code] ?? code);
    this.headers = opts.headers ?? {};
  }
}

export const depError = (code: DepErrorCode) => new DepError(code);

/**
 * The domain's codes that the DEP face answers with one of Apple's codes. Where one domain code
 * has two wire forms (an unknown profile: 404 PROFILE_NOT_FOUND on assign, 400 NOT_FOUND on
 * fetch-profile), the route names the exception (`PROFILE_FETCH_NOT_FOUND`).
 */
const DOMAIN_CODES: Record<string, DepErrorCode> = {
  cursor_exhausted: 'EXHAUSTED_CURSOR', // fetch-devices: the fetch has returned every device
  cursor_expired: 'EXPIRED_CURSOR', // sync-devices: the cursor is older than 7 days
  profile_not_found: 'PROFILE_NOT_FOUND',
};

/** The DEP error for a domain error's code, or undefined when the DEP face has no word for it. */
export function depErrorOfDomainCode(code: string, overrides: Partial<Record<string, DepErrorCode>> = {}): DepError | undefined {
  const wire = overrides[code] ?? DOMAIN_CODES[code];
  return wire ? depError(wire) : undefined;
}

/**
 * OAuth 1.0a failures at /session, in the problem vocabulary of the OAuth Problem Reporting
 * extension (`oauth_problem=…`), with the status Apple documents for each class
 * (interpreting-automated-device-enrollment-error-codes): 400 for unsupported/missing/duplicated
 * parameters and methods, 401 for unknown keys, bad tokens, bad signatures and replayed nonces.
 */
export const OAUTH_PROBLEMS = {
  parameter_absent: 400,
  parameter_rejected: 400,
  signature_method_rejected: 400,
  version_rejected: 400,
  consumer_key_unknown: 401,
  token_rejected: 401,
  token_expired: 401,
  token_revoked: 401,
  signature_invalid: 401,
  nonce_used: 401,
  timestamp_refused: 401,
} as const;

export type OAuthProblem = keyof typeof OAUTH_PROBLEMS;

export function oauthError(problem: OAuthProblem, detail?: string): DepError {
  const body = `oauth_problem=${problem}${detail ? `&oauth_parameters_absent=${detail}` : ''}`;
  return new DepError('OAUTH', body, {
    status: OAUTH_PROBLEMS[problem],
    headers: { 'WWW-Authenticate': `OAuth realm="ADM", oauth_problem="${problem}"` },
  });
}

/** Per-device results of disown, define-with-devices, assign and remove (assign-profile). */
export type DeviceResult = 'SUCCESS' | 'NOT_ACCESSIBLE' | 'FAILED' | 'THROTTLED';

/** The domain's per-device outcome in Apple's words (THROTTLED is the face's own). */
export const DEVICE_RESULT: Record<DeviceOutcome, DeviceResult> = { done: 'SUCCESS', 'not-accessible': 'NOT_ACCESSIBLE', 'other-profile': 'FAILED' };

/** A serial → outcome map as Apple's `devices` object, in the same key order. */
export function deviceResults(outcomes: Record<string, DeviceOutcome>): Record<string, DeviceResult> {
  const out: Record<string, DeviceResult> = {};
  for (const [serial, o] of Object.entries(outcomes)) out[serial] = DEVICE_RESULT[o];
  return out;
}

export const HEADERS = {
  session: 'X-ADM-Auth-Session',
  protocolVersion: 'X-Server-Protocol-Version',
  retryAfter: 'Retry-After',
} as const;

/** Apple's JSON content type, spelt as its servers send it. */
export const CONTENT_TYPE = 'application/json;charset=UTF8';

/** Paging limits of fetch and sync (FetchDeviceRequest.limit: default 100, maximum 1000). */
export const PAGE = { default: 100, maximum: 1000 } as const;
/** Devices per request for details, disown and profile assignment (assign-profile: ≤ 1000). */
export const DEVICES_PER_REQUEST = 1000;
/** Sync cursors older than this are refused with EXPIRED_CURSOR (sync-devices: "not older than 7 days"). */
export const SYNC_CURSOR_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Fields gated by `X-Server-Protocol-Version` (PROTOCOLS.md A2): device os/device_family from 2,
 * account org_* and urls from 3, `iPadOS` from 7, per-device THROTTLED from 9,
 * `retry_after_seconds` from 10. A request without the header speaks version 1.
 */
export const PROTOCOL = {
  deviceOs: 2,
  accountOrg: 3,
  iPadOS: 7,
  throttled: 9,
  retryAfterSeconds: 10,
} as const;

/** The endpoints, as listed in /account's `urls` (account-detail). */
export const ENDPOINTS: Array<{ uri: string; http_method: string[]; limit?: { default: number; maximum: number } }> = [
  { uri: '/session', http_method: ['GET'] },
  { uri: '/account', http_method: ['GET'] },
  { uri: '/server/devices', http_method: ['POST'], limit: { default: PAGE.default, maximum: PAGE.maximum } },
  { uri: '/devices/sync', http_method: ['POST'], limit: { default: PAGE.default, maximum: PAGE.maximum } },
  { uri: '/devices', http_method: ['POST'], limit: { default: DEVICES_PER_REQUEST, maximum: DEVICES_PER_REQUEST } },
  { uri: '/devices/disown', http_method: ['POST'], limit: { default: DEVICES_PER_REQUEST, maximum: DEVICES_PER_REQUEST } },
  { uri: '/profile', http_method: ['POST', 'GET'] },
  { uri: '/profile/devices', http_method: ['PUT', 'DELETE'], limit: { default: DEVICES_PER_REQUEST, maximum: DEVICES_PER_REQUEST } },
];

/**
 * Setup Assistant panes a profile may skip: Apple's SkipKeys list
 * (developer.apple.com/documentation/devicemanagement/skipkeys; apple/device-management
 * other/skipkeys.yaml), deprecated keys included since older devices still honour them.
 */
export const SKIP_KEYS: readonly string[] = [
  'Accessibility', 'ActionButton', 'AdditionalPrivacySettings', 'Android', 'Appearance', 'AppleID', 'AppStore',
  'Biometric', 'CameraButton', 'DeviceToDeviceMigration', 'Diagnostics', 'DisplayTone', 'EnableLockdownMode',
  'FileVault', 'HomeButtonSensitivity', 'iCloudDiagnostics', 'iCloudStorage', 'iMessageAndFaceTime', 'Intelligence',
  'Keyboard', 'Location', 'MessagingActivationUsingPhoneNumber', 'Multitasking', 'OnBoarding', 'OSShowcase',
  'Passcode', 'Payment', 'Privacy', 'Restore', 'RestoreCompleted', 'Safety', 'SafetyAndHandling', 'ScreenSaver',
  'ScreenTime', 'SIMSetup', 'Siri', 'SoftwareUpdate', 'SpokenLanguage', 'TapToSetup', 'TermsOfAddress', 'Tips',
  'TOS', 'TVHomeScreenSync', 'TVProviderSignIn', 'TVRoom', 'UnlockWithWatch', 'UpdateCompleted', 'Wallpaper',
  'WatchMigration', 'WebContentFiltering', 'Welcome', 'Zoom',
];

/** Field length limits of the profile object (define-profile; PROTOCOLS.md A3). */
export const PROFILE_LIMITS = {
  profile_name: 125,
  url: 2000,
  configuration_web_url: 2000,
  department: 125,
  org_magic: 256,
  support_email_address: 250,
  support_phone_number: 50,
} as const;
