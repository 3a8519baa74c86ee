// What enrolment needs from the Device Assignment side (issue 4): the DEP profile an MDM server
// assigned to a serial number, and marking it pushed once the device fetched its cloud
// configuration. Field names are the DEP API's profile JSON (PROTOCOLS.md A3, "Profile").
export interface DepProfile {
  profile_uuid: string;
  profile_name: string;
  url: string;
  allow_pairing?: boolean;
  is_supervised?: boolean;
  is_multi_user?: boolean;
  is_mandatory?: boolean;
  await_device_configured?: boolean;
  is_mdm_removable?: boolean;
  auto_advance_setup?: boolean;
  support_phone_number?: string;
  support_email_address?: string;
  org_magic?: string;
  anchor_certs?: string[];
  supervising_host_certs?: string[];
  skip_setup_items?: string[];
  department?: string;
  language?: string;
  region?: string;
  configuration_web_url?: string;
}

export interface AssignedProfile {
  orgId: string;
  serialNumber: string;
  /** The MDM server the device is assigned to, and whether it is Orchard's own. */
  serverId: string;
  serverIsBuiltin: boolean;
  profile: DepProfile;
}

export interface DepProfilePort {
  /** The profile assigned to `serial` (status assigned or pushed), or undefined (not in ADE). */
  assignedProfile(serialNumber: string): Promise<AssignedProfile | undefined>;
  /** profile_status → pushed, profile_push_time → at (and the `modified` op for the server). */
  markPushed(serialNumber: string, at: Date): Promise<void>;
}
