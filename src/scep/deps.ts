// What the SCEP face is handed by the composition root (src/compose.ts): the SCEP service.
import type { ScepService } from '../business/scep/service.js';

export interface ScepFaceDeps {
  scep: ScepService;
}
