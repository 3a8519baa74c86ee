// The DEP test controls as admin routes (under /api/v1, authenticated): present only when
// ORCHARD_TEST_CONTROLS=1. They share the DEP face's fault registry.
import type { Router } from 'express';
import type { AppDeps } from '../compose.js';
import { depRuntime } from './runtime.js';
import { testControlRoutes } from './test-controls.js';

export function depTestControlRoutes(deps: AppDeps): Router {
  return testControlRoutes(deps, depRuntime(deps).faults, (serverId) => deps.store.mdmServers.get(serverId));
}
