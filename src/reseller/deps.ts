// What the reseller face is handed by the composition root (src/compose.ts).
import type { Services } from '../business/services.js';
import type { Logger } from '../log.js';

export interface ResellerFaceDeps {
  services: Pick<Services, 'resellers'>;
  logger: Logger;
}
