// The cloud configuration ("activation record") a device receives in Setup Assistant, built
// from the DEP profile its MDM server assigned and the organisation (PROTOCOLS.md §1 mapping).
// The mapping from profile fields to device keys is inferred by name (unconfirmed there);
// `ConfigurationWebURL`, `OrganizationSupportEmail`, `AutoAdvanceSetup`, `Language` and `Region`
// are Orchard's names for fields Apple's device side does not document.
import type { Organisation } from '../../store/organisations.js';
import type { PlistDict } from '../../plist/index.js';
import type { DepProfile } from './dep-port.js';

const certs = (b64: string[]) => b64.map((c) => Buffer.from(c, 'base64'));

export function cloudConfiguration(profile: DepProfile, org: Organisation): PlistDict {
  const c: PlistDict = {
    ConfigurationURL: profile.url ?? '',
    IsSupervised: profile.isSupervised,
    AllowPairing: profile.allowPairing,
    IsMandatory: profile.isMandatory,
    // Inverted: the profile says "removable", the device "unremovable".
    IsMDMUnremovable: !profile.isMdmRemovable,
    IsMultiUser: profile.isMultiUser,
    AwaitDeviceConfigured: profile.awaitDeviceConfigured,
    AutoAdvanceSetup: profile.autoAdvanceSetup,
    SkipSetup: profile.skipSetupItems,
    AnchorCertificates: certs(profile.anchorCerts),
    SupervisorHostCertificates: certs(profile.supervisingHostCerts),
    OrganizationName: org.name,
    OrganizationEmail: org.email,
    OrganizationPhone: org.phone,
    OrganizationAddress: org.address,
    ProfileUUID: profile.profileUuid,
  };
  const optional: Array<[string, string | undefined]> = [
    ['ConfigurationWebURL', profile.configurationWebUrl],
    ['OrganizationMagic', profile.orgMagic],
    ['OrganizationDepartment', profile.department],
    ['OrganizationSupportPhone', profile.supportPhoneNumber],
    ['OrganizationSupportEmail', profile.supportEmailAddress],
    ['Language', profile.language],
    ['Region', profile.region],
  ];
  for (const [k, v] of optional) if (v) c[k] = v;
  return c;
}
