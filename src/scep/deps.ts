// What the SCEP face is handed by the composition root (src/compose.ts): the SCEP service.
import type { ScepService } from '../business/scep/service.js';
import type { BodyLimits } from '../config.js';
import type { Logger } from '../log.js';

export interface ScepFaceDeps {
  /** Body limits per face (src/config.ts Limits; the body gate holds the same from Content-Length). */
  bodyLimits: BodyLimits;
  scep: ScepService;
  /** Server faults are logged with the request id their answer carries (errors.ts). */
  logger: Logger;
}
