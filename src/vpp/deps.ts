// What the Apps and Books face (and its App Store stand-in) is handed by the composition root
// (src/compose.ts): the content services, Orchard's base URL and a logger.
import type { Services } from '../business/services.js';
import type { Logger } from '../log.js';

export interface VppFaceDeps {
  services: Pick<Services, 'content'>;
  config: { baseUrl: string };
  logger: Logger;
}
