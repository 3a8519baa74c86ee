// The cloud configuration ("activation record") a device receives in Setup Assistant, built
// from the DEP profile its MDM server assigned and the organisation (PROTOCOLS.md §1 mapping).
// The mapping from profile fields to device keys is inferred by name (unconfirmed there);
// `ConfigurationWebURL`, `OrganizationSupportEmail`, `AutoAdvanceSetup`, `Language` and `Region`
// are Orchard's names for fields Apple's device side does not document.
import type { Organisation } from '../store/organisations.js';
import type { PlistDict } from '../plist/index.js';
import type { DepProfile } from './dep-port.js';

const certs = (b64: string[] | undefined) => (b64 ?? []).map((c) => Buffer.from(c, 'base64'));

export function cloudConfiguration(profile: DepProfile, org: Organisation): PlistDict {
  const c: PlistDict = {
    ConfigurationURL: profile.url,
    IsSupervised: profile.is_supervised ?? false,
    AllowPairing: profile.allow_pairing ?? true,
    IsMandatory: profile.is_mandatory ?? false,
    // Inverted: the profile says "removable", the device "unremovable".
    IsMDMUnremovable: !(profile.is_mdm_removable ?? true),
    IsMultiUser: profile.is_multi_user ?? false,
    AwaitDeviceConfigured: profile.await_device_configured ?? false,
    AutoAdvanceSetup: profile.auto_advance_setup ?? false,
    SkipSetup: profile.skip_setup_items ?? [],
    AnchorCertificates: certs(profile.anchor_certs),
    SupervisorHostCertificates: certs(profile.supervising_host_certs),
    OrganizationName: org.name,
    OrganizationEmail: org.email,
    OrganizationPhone: org.phone,
    OrganizationAddress: org.address,
    ProfileUUID: profile.profile_uuid,
  };
  const optional: Array<[string, string | undefined]> = [
    ['ConfigurationWebURL', profile.configuration_web_url],
    ['OrganizationMagic', profile.org_magic],
    ['OrganizationDepartment', profile.department],
    ['OrganizationSupportPhone', profile.support_phone_number],
    ['OrganizationSupportEmail', profile.support_email_address],
    ['Language', profile.language],
    ['Region', profile.region],
  ];
  for (const [k, v] of optional) if (v) c[k] = v;
  return c;
}
