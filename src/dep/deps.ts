// What the Device Assignment face is handed by the composition root (src/compose.ts): its
// runtime (sessions, cursors, rate limits, faults, built once and shared by the DEP port's root
// and the /dep mount) and a logger. The router builds nothing and starts nothing.
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { DepRuntime } from './runtime.js';
import type { DepFaults, ServerById } from './test-controls.js';

export interface DepFaceDeps {
  runtime: DepRuntime;
  logger: Logger;
}

/** The operator's DEP test controls (clock, injected faults), mounted under the admin API. */
export interface DepTestControlDeps {
  faults: DepFaults;
  serverById: ServerById;
  clock: Clock;
  config: { testControls: boolean };
}
