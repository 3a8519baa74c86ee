// What the developer face (custom apps) is handed by the composition root (src/compose.ts).
import type { Services } from '../business/services.js';
import type { Logger } from '../log.js';
import type { BodyLimits } from '../config.js';

export interface DeveloperFaceDeps {
  /** Body limits per face (src/config.ts Limits; the body gate holds the same from Content-Length). */
  bodyLimits: BodyLimits;
  services: Pick<Services, 'content'>;
  logger: Logger;
}
