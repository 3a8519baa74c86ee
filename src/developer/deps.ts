// What the developer face (custom apps) is handed by the composition root (src/compose.ts).
import type { Services } from '../business/services.js';
import type { Logger } from '../log.js';

export interface DeveloperFaceDeps {
  services: Pick<Services, 'content'>;
  logger: Logger;
}
