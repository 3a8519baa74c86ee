// Orchard's own MDM is registered in each organisation like any other MDM server: through the
// devices service (with a server token enveloped to Orchard's signing certificate, whose key
// Orchard holds) and with an ADE profile defined through the DEP profile service whose `url`
// is Orchard's /enroll/dep. Devices assigned to it, with that profile, enrol with Orchard.
import type { Pki } from '../../pki.js';
import type { Store } from '../../store/index.js';
import type { DepProfileService } from '../dep-profiles.js';
import type { ServerService } from '../mdm-servers.js';
import type { Principal } from '../principal.js';
import type { BuiltinMdm } from '../../store/builtin-mdm.js';
import { orchardUrls } from './urls.js';

export const BUILTIN_SERVER_NAME = 'Orchard MDM';

export interface BuiltinMdmDeps {
  store: Pick<Store, 'builtinMdm' | 'organisations'>;
  services: { servers: ServerService; depProfiles: DepProfileService };
  pki: Pick<Pki, 'signing' | 'ca'>;
  config: { baseUrl: string };
}

/** The organisation's built-in MDM server and profile, created on first call. */
export async function ensureBuiltinMdm(d: BuiltinMdmDeps, orgId: string): Promise<BuiltinMdm> {
  const existing = await d.store.builtinMdm.find(orgId);
  if (existing) return existing;
  const system: Principal = { accountId: 'system', orgId, email: 'system@orchard.invalid', roles: ['Administrator'], via: 'api-token' };
  const { server } = await d.services.servers.create(system, { name: BUILTIN_SERVER_NAME, publicKey: d.pki.signing.cert.toString() });
  const { profile } = await d.services.depProfiles.define({ serverId: server.id, orgId }, {
    profileName: `${BUILTIN_SERVER_NAME} enrolment`,
    url: orchardUrls(d.config.baseUrl).depEnrollUrl,
    allowPairing: true, isSupervised: true, isMultiUser: false, isMandatory: true, awaitDeviceConfigured: false,
    isMdmRemovable: true, autoAdvanceSetup: false, doNotUseProfileFromBackup: false, isReturnToService: false,
    anchorCerts: [d.pki.ca.cert.raw.toString('base64')], supervisingHostCerts: [], skipSetupItems: [],
  });
  const builtin = { orgId, serverId: server.id, profileUuid: profile.profileUuid };
  await d.store.builtinMdm.record(builtin);
  return builtin;
}

/** Every organisation gets Orchard's MDM (at start; idempotent). */
export async function ensureBuiltinMdmForAll(d: BuiltinMdmDeps): Promise<void> {
  for (const org of await d.store.organisations.list()) await ensureBuiltinMdm(d, org.id);
}
