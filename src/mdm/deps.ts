// What the device-facing MDM face is handed by the composition root (src/compose.ts): the
// repositories its check-in handlers write through, the clock and ids, the CA that Mdm-Signature
// chains to, and a logger.
import type { Logger } from '../log.js';
import type { Pki } from '../pki.js';
import type { MdmDeps } from './checkin/types.js';

export interface MdmFaceDeps extends MdmDeps {
  logger: Logger;
  pki: Pick<Pki, 'ca'>;
}
