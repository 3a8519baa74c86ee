// What the Apps and Books face (and its App Store stand-in) is handed by the composition root
// (src/compose.ts): the content services, Orchard's base URL and a logger.
import type { Services } from '../business/services.js';
import type { Logger } from '../log.js';
import type { BodyLimits } from '../config.js';

export interface VppFaceDeps {
  /** Body limits per face (src/config.ts Limits; the body gate holds the same from Content-Length). */
  bodyLimits: BodyLimits;
  services: Pick<Services, 'content' | 'organisations'>;
  config: { baseUrl: string };
  logger: Logger;
}
