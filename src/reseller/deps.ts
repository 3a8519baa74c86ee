// What the reseller face is handed by the composition root (src/compose.ts).
import type { Services } from '../business/services.js';
import type { Logger } from '../log.js';
import type { BodyLimits } from '../config.js';

export interface ResellerFaceDeps {
  /** Body limits per face (src/config.ts Limits; the body gate holds the same from Content-Length). */
  bodyLimits: BodyLimits;
  services: Pick<Services, 'resellers'>;
  logger: Logger;
}
