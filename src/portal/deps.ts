// What the admin face (the JSON API under /api/v1 and the web portal) is handed by the
// composition root (src/compose.ts). It is the widest face: administrators reach most services.
import type { Services } from '../business/services.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Pki } from '../pki.js';

export type AdminServices = Pick<Services,
  'organisations' | 'accounts' | 'domains' | 'invitations' | 'upgradeImports' | 'federation' | 'federationByEmail' | 'operator' | 'audit' | 'content' | 'mdm' | 'devices' | 'servers' | 'orders'
  | 'pushCertificates' | 'push' | 'signUp' | 'accountTokens' | 'signup' | 'portalReads'>;

export interface AdminFaceDeps {
  services: AdminServices;
  config: Pick<Config, 'baseUrl' | 'depBaseUrl' | 'apns'>;
  logger: Logger;
  /** The local push CA (apns.mode simulator). */
  pki: Pick<Pki, 'pushCa'>;
  /** The local APNs' device channel base URL, when it runs in-process (apns.mode simulator). */
  apnsDeviceUrl?: string;
}
