// The app is built from services passed in: no module-level singletons, no listen() here,
// so a test builds its own app on a temporary database with its own clock.
import express, { type Express, type Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mdmFastPath } from './mdm/fast-path.js';
import type { Clock, Ids } from './clock.js';
import type { Config } from './config.js';
import { depRouter } from './dep/router.js';
import { depTestControlRoutes } from './dep/admin-routes.js';
import { lastErrorHandler, lastNotFound } from './http/last-handler.js';
import { requestLog } from './http/request-log.js';
import type { Logger } from './log.js';
import type { Pki } from './pki.js';
import { mdmRouter } from './mdm/router.js';
import { mdmAdminRoutes } from './portal/api/routes/commands.js';
import type { PushTopicSource } from './push-topic.js';
import { scepRouter } from './scep/router.js';
import { enrollmentAdminRoutes } from './enroll/admin-routes.js';
import { enrollRouter } from './enroll/router.js';
import { adminApi, type AdminRouteFactory } from './portal/api/router.js';
import { deviceRoutes } from './portal/api/routes/devices.js';
import { mdmServerRoutes } from './portal/api/routes/mdm-servers.js';
import { pushRoutes } from './portal/api/routes/push.js';
import { portalRouter } from './portal/web/router.js';
import { resellerRouter } from './reseller/router.js';
import type { Services } from './services.js';
import type { Store } from './store/index.js';
import { contentAdminRoutes } from './portal/api/routes/content.js';
import { developerRouter } from './developer/router.js';
import { vppRouter } from './vpp/router.js';
import { vppStoreRouter } from './vpp/store-router.js';

export const VERSION = '0.1.0';

export interface AppDeps {
  config: Config;
  store: Store;
  services: Services;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** Orchard's CAs and identities (src/pki-loader.ts creates them under the data dir). */
  pki: Pki;
  /** The APNs topic enrolment profiles carry: the organisation's push certificate's. */
  pushTopic: PushTopicSource;
  /** The local APNs' device channel base URL, when it runs in-process (apns.mode simulator). */
  apnsDeviceUrl?: string;
}

/** Admin API routes contributed by each capability, mounted under /api/v1 after the base ones. */
export const ADMIN_ROUTES: AdminRouteFactory[] = [
  mdmServerRoutes, deviceRoutes, depTestControlRoutes, contentAdminRoutes, mdmAdminRoutes, pushRoutes, enrollmentAdminRoutes,
];

/** Faces mounted at their own prefix on the main port (DEP, Apps and Books, MDM, enrolment...). */
export const FACES: Array<{ path: string; router: (deps: AppDeps) => Router }> = [
  { path: '/reseller', router: resellerRouter },
  { path: '/vpp/mdm/v2', router: vppRouter },
  { path: '/vpp/store', router: vppStoreRouter },
  { path: '/developer/v1', router: developerRouter },
  { path: '/mdm', router: mdmRouter },
  { path: '/dep', router: depRouter },
  { path: '/scep', router: scepRouter },
  { path: '/enroll', router: enrollRouter },
];

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.logger, 'main', deps.ids));
  app.get('/healthz', async (_req, res) => {
    const store = await deps.store.ping().catch(() => ({ ok: false, schemaVersion: -1 }));
    res.status(store.ok ? 200 : 503).json({ status: store.ok ? 'ok' : 'degraded', version: VERSION, store: { ok: store.ok, schema_version: store.schemaVersion } });
  });
  app.use('/api/v1', adminApi(deps, ADMIN_ROUTES));
  for (const face of FACES) app.use(face.path, face.router(deps));
  app.use('/', portalRouter(deps));
  app.use(lastNotFound);
  app.use(lastErrorHandler(deps.logger, 'main'));
  return app;
}

/**
 * The main port's request handler: devices' MDM requests are answered before Express (the hot
 * path of a fleet, src/mdm/fast-path.ts), everything else by the app.
 */
export function createMainHandler(deps: AppDeps, app: Express = createApp(deps)): (req: IncomingMessage, res: ServerResponse) => void {
  const mdm = mdmFastPath(deps);
  return (req, res) => {
    if (!mdm(req, res)) app(req, res);
  };
}

/** The DEP port: only the Device Assignment API, at the root as Apple's host serves it. */
export function createDepApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.logger, 'dep', deps.ids));
  app.use('/', depRouter(deps));
  app.use(lastErrorHandler(deps.logger, 'dep'));
  return app;
}
