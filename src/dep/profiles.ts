// The ADE profile object: validation of what an MDM server sends to POST /profile, and its JSON
// for GET /profile, with Apple's field names, defaults, limits and error codes
// (developer.apple.com/documentation/devicemanagement/profile, …/define-profile).
import { isXmlText } from '../business/text.js';
import { X509Certificate } from 'node:crypto';
import type { DepProfileInput, DepProfile } from '../store/dep-profiles.js';
import { DepError, depError, PROFILE_LIMITS, SKIP_KEYS, type DepErrorCode } from './wire.js';

/** The Profile object as JSON, field for field. */
export interface ProfileJson {
  profile_uuid?: string;
  profile_name: string;
  url?: string;
  configuration_web_url?: string;
  allow_pairing: boolean;
  is_supervised: boolean;
  is_multi_user: boolean;
  is_mandatory: boolean;
  await_device_configured: boolean;
  is_mdm_removable: boolean;
  auto_advance_setup: boolean;
  do_not_use_profile_from_backup: boolean;
  is_return_to_service: boolean;
  support_phone_number?: string;
  support_email_address?: string;
  org_magic?: string;
  department?: string;
  language?: string;
  region?: string;
  anchor_certs: string[];
  supervising_host_certs: string[];
  skip_setup_items: string[];
}

const BOOLEANS = {
  allow_pairing: true, // deprecated in iOS 13, default true
  is_supervised: false,
  is_multi_user: false,
  is_mandatory: false,
  await_device_configured: false,
  is_mdm_removable: true,
  auto_advance_setup: false,
  do_not_use_profile_from_backup: false,
  is_return_to_service: false,
} as const;

type Obj = Record<string, unknown>;

function str(body: Obj, key: string, tooLong: DepErrorCode, max: number): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw depError('MALFORMED_REQUEST_BODY');
  // The value goes into the device's cloud configuration plist: it must be text XML can carry.
  if (v.length > max || !isXmlText(v)) throw depError(tooLong);
  return v;
}

function httpUrl(value: string | undefined, code: DepErrorCode, max: number): string | undefined {
  if (value === undefined || value === '') return value;
  if (value.length > max) throw depError(code);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw depError(code);
  }
  // Devices fetch the profile over HTTP(S) only; a javascript:, file: or other scheme is refused.
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw depError(code);
  return value;
}

function certs(body: Obj, key: string, code: DepErrorCode): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw depError('MALFORMED_REQUEST_BODY');
  return v.map((c) => {
    if (typeof c !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(c)) throw depError(code);
    try {
      new X509Certificate(Buffer.from(c, 'base64'));
    } catch {
      throw depError(code);
    }
    return c.replace(/\s+/g, '');
  });
}

/** ISO 639-1/639-2 language (optionally with a script or region subtag) and ISO 3166-1 alpha-2 region. */
const LANGUAGE = /^[a-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_][A-Z]{2})?$/;
const REGION = /^[A-Z]{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates a define-profile body in Apple's order of checks and returns the profile to store
 * plus the serials to assign at once. Wrong JSON types are MALFORMED_REQUEST_BODY.
 */
export function parseProfile(body: unknown): { profile: DepProfileInput; devices: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw depError('MALFORMED_REQUEST_BODY');
  const b = body as Obj;
  const name = str(b, 'profile_name', 'CONFIG_NAME_INVALID', PROFILE_LIMITS.profile_name);
  if (!name || !name.trim()) throw depError('CONFIG_NAME_REQUIRED');
  const rawUrl = str(b, 'url', 'CONFIG_URL_INVALID', PROFILE_LIMITS.url);
  const webUrl = httpUrl(str(b, 'configuration_web_url', 'CONFIG_URL_INVALID', PROFILE_LIMITS.configuration_web_url), 'CONFIG_URL_INVALID', PROFILE_LIMITS.configuration_web_url);
  if (!rawUrl && !webUrl) throw depError('CONFIG_URL_REQUIRED');
  const url = httpUrl(rawUrl, 'CONFIG_URL_INVALID', PROFILE_LIMITS.url);
  const flags = {} as Record<keyof typeof BOOLEANS, boolean>;
  for (const [k, def] of Object.entries(BOOLEANS) as Array<[keyof typeof BOOLEANS, boolean]>) {
    const v = b[k];
    if (v !== undefined && v !== null && typeof v !== 'boolean') throw depError('MALFORMED_REQUEST_BODY');
    flags[k] = typeof v === 'boolean' ? v : def;
  }
  // A profile that cannot be removed only makes sense on a supervised device (profile: is_mdm_removable).
  if (!flags.is_mdm_removable && !flags.is_supervised) throw depError('FLAGS_INVALID');
  const department = str(b, 'department', 'DEPARTMENT_INVALID', PROFILE_LIMITS.department);
  const orgMagic = str(b, 'org_magic', 'MAGIC_INVALID', PROFILE_LIMITS.org_magic);
  const email = str(b, 'support_email_address', 'SUPPORT_EMAIL_INVALID', PROFILE_LIMITS.support_email_address);
  if (email && !EMAIL.test(email)) throw depError('SUPPORT_EMAIL_INVALID');
  const phone = str(b, 'support_phone_number', 'SUPPORT_PHONE_INVALID', PROFILE_LIMITS.support_phone_number);
  const language = str(b, 'language', 'LOCALE_INVALID', 16);
  if (language && !LANGUAGE.test(language)) throw depError('LOCALE_INVALID');
  const region = str(b, 'region', 'LOCALE_INVALID', 2);
  if (region && !REGION.test(region)) throw depError('LOCALE_INVALID');
  const skip = b.skip_setup_items;
  if (skip !== undefined && skip !== null && !Array.isArray(skip)) throw depError('MALFORMED_REQUEST_BODY');
  const skipItems = ((skip as unknown[] | undefined) ?? []).map((k) => {
    if (typeof k !== 'string') throw depError('MALFORMED_REQUEST_BODY');
    if (!SKIP_KEYS.includes(k)) throw depError('SKIP_ITEMS_INVALID');
    return k;
  });
  const anchorCerts = certs(b, 'anchor_certs', 'ANCHOR_CERTS_INVALID');
  const hostCerts = certs(b, 'supervising_host_certs', 'SUPERVISING_HOST_CERTS_INVALID');
  const devices = b.devices === undefined || b.devices === null ? [] : serialList(b.devices, false);
  return {
    profile: {
      profileName: name, url: url || undefined, configurationWebUrl: webUrl || undefined,
      allowPairing: flags.allow_pairing, isSupervised: flags.is_supervised, isMultiUser: flags.is_multi_user,
      isMandatory: flags.is_mandatory, awaitDeviceConfigured: flags.await_device_configured,
      isMdmRemovable: flags.is_mdm_removable, autoAdvanceSetup: flags.auto_advance_setup,
      doNotUseProfileFromBackup: flags.do_not_use_profile_from_backup, isReturnToService: flags.is_return_to_service,
      supportPhoneNumber: phone || undefined, supportEmailAddress: email || undefined, orgMagic: orgMagic || undefined,
      department: department || undefined, language: language || undefined, region: region || undefined,
      anchorCerts, supervisingHostCerts: hostCerts, skipSetupItems: [...new Set(skipItems)],
    },
    devices,
  };
}

/**
 * A `devices` array of serial numbers: not an array of strings → MALFORMED_REQUEST_BODY; empty
 * (when required) → DEVICE_ID_REQUIRED; over 1000 → DEVICE_LIMIT_EXCEEDED. Duplicates collapse.
 */
export function serialList(v: unknown, required = true): string[] {
  if (v === undefined || v === null) {
    if (required) throw depError('DEVICE_ID_REQUIRED');
    return [];
  }
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw depError('MALFORMED_REQUEST_BODY');
  const serials = [...new Set((v as string[]).map((s) => s.trim()).filter(Boolean))];
  if (required && serials.length === 0) throw depError('DEVICE_ID_REQUIRED');
  if (serials.length > 1000) throw depError('DEVICE_LIMIT_EXCEEDED');
  return serials;
}

/** The profile as GET /profile answers it. */
export function profileJson(p: DepProfile): ProfileJson {
  const out: ProfileJson = {
    profile_uuid: p.profileUuid,
    profile_name: p.profileName,
    ...(p.url !== undefined ? { url: p.url } : {}),
    ...(p.configurationWebUrl !== undefined ? { configuration_web_url: p.configurationWebUrl } : {}),
    allow_pairing: p.allowPairing,
    is_supervised: p.isSupervised,
    is_multi_user: p.isMultiUser,
    is_mandatory: p.isMandatory,
    await_device_configured: p.awaitDeviceConfigured,
    is_mdm_removable: p.isMdmRemovable,
    auto_advance_setup: p.autoAdvanceSetup,
    do_not_use_profile_from_backup: p.doNotUseProfileFromBackup,
    is_return_to_service: p.isReturnToService,
    ...(p.supportPhoneNumber !== undefined ? { support_phone_number: p.supportPhoneNumber } : {}),
    ...(p.supportEmailAddress !== undefined ? { support_email_address: p.supportEmailAddress } : {}),
    ...(p.orgMagic !== undefined ? { org_magic: p.orgMagic } : {}),
    ...(p.department !== undefined ? { department: p.department } : {}),
    ...(p.language !== undefined ? { language: p.language } : {}),
    ...(p.region !== undefined ? { region: p.region } : {}),
    anchor_certs: p.anchorCerts,
    supervising_host_certs: p.supervisingHostCerts,
    skip_setup_items: p.skipSetupItems,
  };
  return out;
}

export { DepError };
