// Domain objects to the DEP API's JSON: the Device object (…/devicemanagement/device) and the
// account detail (…/account-detail), with fields gated by X-Server-Protocol-Version.
import { createHash } from 'node:crypto';
import { isoSeconds } from '../clock.js';
import type { DepDevice, DepTime } from '../business/dep-devices.js';
import type { Organisation } from '../store/organisations.js';
import type { DepServer } from './sessions.js';
import { ENDPOINTS, PROTOCOL } from './wire.js';

/** Operating system names of the Device object's `os` (device: os). */
function osOf(family: DepDevice['family'], version: number): string {
  switch (family) {
    case 'Mac':
      return 'OSX';
    case 'AppleTV':
      return 'tvOS';
    case 'iPad':
      return version >= PROTOCOL.iPadOS ? 'iPadOS' : 'iOS';
    default:
      return 'iOS';
  }
}

/**
 * A time to the second, as isoSeconds prints it. Stored times are `toISOString` text
 * (YYYY-MM-DDTHH:MM:SS.mmmZ): those are cut as text; anything else goes through a Date.
 */
export function depSeconds(t: DepTime): string {
  if (typeof t !== 'string') return isoSeconds(t);
  if (t.length === 24 && t.charCodeAt(19) === 46 /* . */ && t.charCodeAt(23) === 90 /* Z */) return t.slice(0, 19) + 'Z';
  return isoSeconds(new Date(t));
}

export type DeviceJson = Record<string, string>;

/** The Device object as fetch, sync and details answer it. Empty optional fields are left out. */
export function deviceJson(d: DepDevice, version: number): DeviceJson {
  const out: DeviceJson = { serial_number: d.serialNumber, model: d.model, description: d.description, color: d.color };
  if (d.assetTag) out.asset_tag = d.assetTag;
  out.profile_status = d.profileStatus;
  if (d.profileUuid) out.profile_uuid = d.profileUuid;
  if (d.profileAssignTime) out.profile_assign_time = depSeconds(d.profileAssignTime);
  if (d.profilePushTime) out.profile_push_time = depSeconds(d.profilePushTime);
  if (d.assignedAt) out.device_assigned_date = depSeconds(d.assignedAt);
  if (d.assignedBy) out.device_assigned_by = d.assignedBy;
  if (version >= PROTOCOL.deviceOs) {
    out.os = osOf(d.family, version);
    out.device_family = d.family;
  }
  return out;
}

/** The account detail (account-detail): the server, its organisation, and the endpoints it may call. */
export function accountJson(server: DepServer, org: Organisation, adminId: string, version: number) {
  const out: Record<string, unknown> = {
    server_name: server.name,
    server_uuid: server.serverUuid,
    admin_id: adminId,
    facilitator_id: adminId, // deprecated twin of admin_id, still read by older clients
    org_name: org.name,
    org_email: org.email,
    org_phone: org.phone,
    org_address: org.address,
  };
  if (version >= PROTOCOL.accountOrg) {
    out.org_id = org.orgId;
    out.org_id_hash = createHash('sha256').update(`orchard-org:${org.orgId}`).digest('hex');
    out.org_type = org.orgType;
    out.org_version = org.orgVersion;
    out.urls = ENDPOINTS.map((e) => ({ uri: e.uri, http_method: e.http_method, ...(e.limit ? { limit: e.limit } : {}) }));
  }
  return out;
}
