// The Apps and Books API's wire vocabulary, in one place: errorNumber, errorMessage and HTTP
// status, request limits, Apple's date form, versionId, and the envelope every response carries.
// Messages are those of Apple's Service Config example
// (developer.apple.com/documentation/devicemanagement/service-config); statuses are from
// …/handling-error-responses ("Review synchronous error codes"); PROTOCOLS.md Part 1 §B4.
import { createHash } from 'node:crypto';
import type { LicenceFailure, LicenceFailureCode } from '../store/content-licences.js';
import { appleDate, type VppContext } from '../business/content/tokens.js';

export const ERRORS: Record<number, { message: string; status: number }> = {
  9601: { message: 'Login required.', status: 401 },
  9602: { message: 'Invalid argument.', status: 400 },
  9603: { message: 'Internal error.', status: 500 },
  9609: { message: 'Unable to find the registered user.', status: 400 },
  9621: { message: "The token has expired. You need to generate a new token online using your organization's account at either school.apple.com or business.apple.com.", status: 401 },
  9625: { message: 'The server has revoked the sToken.', status: 401 },
  9650: { message: 'The provided page index must be greater than 0, and less than the total number of pages.', status: 400 },
  9700: { message: 'Max assets limit on request has been passed, please stay within given limit.', status: 400 },
  9701: { message: 'Max clientUserIds limit on request has been passed, please stay within given limit.', status: 400 },
  9702: { message: 'Max serialNumbers limit on request has been passed, please stay within given limit.', status: 400 },
  9703: { message: 'Duplicate assets found in request, please send unique assets.', status: 400 },
  9704: { message: 'Duplicate clientUserIds found in request, please send unique clients.', status: 400 },
  9705: { message: 'Duplicate serialNumbers found in request, please send unique serials.', status: 400 },
  9706: { message: 'Asset in request is not revocable, please send revocable assets.', status: 400 },
  9707: { message: 'Asset in request is not device assignable, please send device assignable assets.', status: 400 },
  9708: { message: 'EventId could not be found.', status: 400 },
  9709: { message: 'There are not enough licenses for this app or book available to assign to the selected group.', status: 400 },
  9710: { message: 'Both the notification URL and the authentication token are necessary.', status: 400 },
  9711: { message: 'Either the notification URL or the authentication token exceeds its maximum length. Change the request to stay within the specified limit.', status: 400 },
  9712: { message: 'The provided notification URL must be a valid URL and use HTTPS as the protocol.', status: 400 },
  9713: { message: 'The MDM metadata exceeds the maximum length. Change the request to stay within the specified limit.', status: 400 },
  9714: { message: 'The number of users exceeds the maximum. Change the request to stay within the specified limit.', status: 400 },
  9715: { message: 'This request contains duplicate users. Change the request to send unique users.', status: 400 },
  9716: { message: 'A registered user already exists with the specified clientUserId.', status: 400 },
  9717: { message: 'This request contains an invalid email address. Change the request to send valid email addresses.', status: 400 },
  9718: { message: "This request doesn't contain an asset, which is a required argument. Change the request to provide an asset.", status: 400 },
  9719: { message: 'Either clientUserIds or serialNumbers are required arguments. Change the request to provide assignable users and devices.', status: 400 },
  9720: { message: 'Users are a required argument. Change the request to provide a user.', status: 400 },
  9721: { message: 'This request contains an invalid version ID. Change the request to send the version ID from the read APIs.', status: 400 },
  9722: { message: "This request contains an invalid authorization header. Change the request to send an authorization header that matches the format 'Bearer {sToken}'.", status: 401 },
  9723: { message: 'You must provide an MDM name, ID, and metadata when setting the MDM information.', status: 400 },
  9724: { message: 'The MDM ID exceeds the maximum length. Change the request to stay within the specified limit.', status: 400 },
  9725: { message: 'The MDM name exceeds the maximum length. Change the request to stay within the specified limit.', status: 400 },
  9726: { message: 'This request contains an unsupported HTTP method for the requested endpoint.', status: 405 },
  9727: { message: 'This request contains an unsupported Content-Type for the requested endpoint.', status: 415 },
};

/** Limits Orchard enforces, advertised by service/config (Apple's sample values). */
export const LIMITS = {
  maxAssets: 25,
  maxUsers: 100,
  maxNotificationLength: 512,
  maxRevokeClientUserIds: 100,
  maxClientUserIds: 1000,
  maxSerialNumbers: 1000,
  maxRevokeSerialNumbers: 100,
  maxMdmNameLength: 100,
  maxMdmMetadataLength: 255,
  maxMdmIdLength: 100,
} as const;

export const NOTIFICATION_TYPES = ['ASSET_MANAGEMENT', 'USER_MANAGEMENT', 'USER_ASSOCIATED', 'ASSET_COUNT'] as const;

export interface ErrorInfo {
  assets?: Array<{ adamId: string; pricingParam: string }>;
  clientUserIds?: string[];
  serialNumbers?: string[];
}

/** A synchronous refusal: the HTTP status and body follow from the number. */
export class VppError extends Error {
  constructor(readonly errorNumber: number, readonly errorInfo?: ErrorInfo) {
    super(ERRORS[errorNumber]?.message ?? 'Internal error.');
  }
  get status(): number {
    return ERRORS[this.errorNumber]?.status ?? 500;
  }
}

const nonEmpty = (info?: ErrorInfo): ErrorInfo | undefined => {
  if (!info) return undefined;
  const out: ErrorInfo = {};
  if (info.assets?.length) out.assets = info.assets;
  if (info.clientUserIds?.length) out.clientUserIds = info.clientUserIds;
  if (info.serialNumbers?.length) out.serialNumbers = info.serialNumbers;
  return Object.keys(out).length ? out : undefined;
};

/** The ErrorResponse object: `{errorNumber, errorMessage, errorInfo?}`. */
export function errorBody(errorNumber: number, info?: ErrorInfo) {
  const errorInfo = nonEmpty(info);
  return { errorNumber, errorMessage: ERRORS[errorNumber]?.message ?? ERRORS[9603]!.message, ...(errorInfo ? { errorInfo } : {}) };
}

/** Domain error codes from the content services, as Apple's numbers. */
export const NUMBER_OF_CODE: Record<string, number> = {
  vpp_authorization_invalid: 9722,
  vpp_login_required: 9601,
  vpp_token_expired: 9621,
  vpp_token_revoked: 9625,
  vpp_invalid_argument: 9602,
  vpp_not_device_assignable: 9707,
  vpp_not_revocable: 9706,
  vpp_event_not_found: 9708,
};

/** Asynchronous failures (StatusResponse.failures), from …/handling-error-responses "Review asynchronous error codes". */
export const NUMBER_OF_FAILURE: Record<LicenceFailureCode, number> = {
  not_enough_licences: 9709,
  user_not_found: 9609,
  user_exists: 9716,
  internal: 9603,
};

export const failureBody = (f: LicenceFailure) =>
  errorBody(NUMBER_OF_FAILURE[f.code], { assets: f.assets, clientUserIds: f.clientUserIds, serialNumbers: f.serialNumbers });

/**
 * versionId: opaque to clients, UUID-shaped like Apple's. Orchard encodes the library's version
 * counter in the last group and a digest of the library's uId in the first, so that a versionId
 * from another library is refused (9721) rather than misread.
 */
export function encodeVersionId(uid: string, version: number): string {
  const h = createHash('sha256').update(uid).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-1000-8000-${version.toString(16).padStart(12, '0')}`;
}

export function decodeVersionId(uid: string, versionId: string, current: number): number {
  const h = createHash('sha256').update(uid).digest('hex');
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-1000-8000-([0-9a-f]{12})$/.exec(versionId);
  if (!m || m[1] !== h.slice(0, 8) || m[2] !== h.slice(8, 12)) throw new VppError(9721);
  const v = parseInt(m[3]!, 16);
  if (v > current) throw new VppError(9721);
  return v;
}

/** Fields every authenticated response carries: the library's uId, the token's expiry, the MDM that manages it. */
export function envelope(ctx: VppContext) {
  return {
    tokenExpirationDate: appleDate(ctx.token.expiresAt),
    uId: ctx.library.uid,
    ...(ctx.library.mdmInfo ? { mdmInfo: ctx.library.mdmInfo } : {}),
  };
}

/** The paging fields of Apple's paginated responses; `nextPageIndex` only when another page exists. */
export function paging(p: { currentPageIndex: number; nextPageIndex?: number; totalPages: number }, size: number) {
  return { currentPageIndex: p.currentPageIndex, ...(p.nextPageIndex !== undefined ? { nextPageIndex: p.nextPageIndex } : {}), size, totalPages: p.totalPages };
}
