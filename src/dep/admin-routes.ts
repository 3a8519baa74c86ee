// The DEP test controls as admin routes (under /api/v1, authenticated): present only when
// ORCHARD_TEST_CONTROLS=1. They share the DEP face's fault registry (the runtime's, handed in).
import type { Router } from 'express';
import type { DepTestControlDeps } from './deps.js';
import { testControlRoutes } from './test-controls.js';

export function depTestControlRoutes(deps: DepTestControlDeps): Router {
  return testControlRoutes(deps, deps.faults, deps.serverById);
}
