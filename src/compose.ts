// The composition root: every service, worker, runtime and router of one Orchard is built here,
// once, from the foundation (config, store, clock, ids, logger, PKI) and handed down. Routers
// are pure functions of what they are handed and start nothing; workers start in start().
// `serve` (src/server.ts) and the test harness (test/support/harness.ts) both build through
// composeOrchard, so tests and the server cannot drift. No part imports this module: only
// server.ts, bin/, the CLI, the bench and tests (.dependency-cruiser.cjs holds that).
import express, { type Express, type Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { DeviceEnrolment } from './business/enrollment/device-enrolment.js';
import { EnrollmentService } from './business/enrollment/profile-service.js';
import { ScepService } from './business/scep/service.js';
import { createServices, type ServiceDeps, type Services } from './business/services.js';
import type { Clock, Ids } from './clock.js';
import { mailSettings, type Config } from './config.js';
import { createTxtLookup } from './dns-txt.js';
import { depTestControlRoutes } from './dep/admin-routes.js';
import { depRouter } from './dep/router.js';
import { createDepRuntime } from './dep/runtime.js';
import { developerRouter } from './developer/router.js';
import { enrollmentAdminRoutes } from './enroll/admin-routes.js';
import { enrollRouter } from './enroll/router.js';
import { BodyBudget } from './http/body-budget.js';
import { bodyGate } from './http/body-gate.js';
import { RequestTurns } from './http/request-turns.js';
import { lastErrorHandler, lastNotFound } from './http/last-handler.js';
import { requestLog } from './http/request-log.js';
import type { Logger } from './log.js';
import type { MdmFaceDeps } from './mdm/deps.js';
import { mdmFastPath } from './mdm/fast-path.js';
import { mdmRouter } from './mdm/router.js';
import type { Pki } from './pki.js';
import { adminApi } from './portal/api/router.js';
import { apiDocsRouter } from './portal/api/openapi/docs-page.js';
import { mdmAdminRoutes } from './portal/api/routes/commands.js';
import { contentAdminRoutes } from './portal/api/routes/content.js';
import { deviceRoutes } from './portal/api/routes/devices.js';
import { mdmServerRoutes } from './portal/api/routes/mdm-servers.js';
import { pushRoutes } from './portal/api/routes/push.js';
import { portalReadRoutes } from './portal/api/routes/portal-reads.js';
import { portalRouter } from './portal/web/router.js';
import { orgPushTopicSource, type PushTopicSource } from './push-topic.js';
import { resellerRouter } from './reseller/router.js';
import { scepRouter } from './scep/router.js';
import type { Store } from './store/index.js';
import { VERSION } from './version.js';
import { vppRouter } from './vpp/router.js';
import { vppStoreRouter } from './vpp/store-router.js';

/** What an Orchard is built from: made by src/server.ts for `serve`, by the harness for tests. */
export interface Foundation {
  /** With the URLs resolved: src/server.ts listens before it composes, so nothing is patched later. */
  config: Config;
  store: Store;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** Orchard's CAs and identities (src/pki-loader.ts creates them under the data dir). */
  pki: Pki;
  /** The domain services' own inputs: secrets key, operator token, fixtures, push settings. */
  serviceOptions: Omit<ServiceDeps, 'store' | 'clock' | 'ids'>;
  /** Signs DEP cursors (src/dep/cursors.ts loadCursorKey). */
  cursorKey: Buffer;
  /** The local APNs' device channel base URL, when it runs in-process (apns.mode simulator). */
  apnsDeviceUrl?: string;
}

/**
 * What one Orchard is made of, as built: what bootstrap, the CLI, the bench and tests reach into.
 * Read-only: the faces were handed these once, so replacing one afterwards would reach nobody.
 */
export interface OrchardParts {
  readonly config: Config;
  readonly store: Store;
  readonly services: Services;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly logger: Logger;
  readonly pki: Pki;
  /** The APNs topic enrolment profiles carry: the organisation's push certificate's. */
  readonly pushTopic: PushTopicSource;
  readonly apnsDeviceUrl?: string;
}

export interface WorkerIntervals {
  /** How often the webhook worker looks for due deliveries. */
  webhookMs: number;
  /** How often scheduled MDM commands that became due are pushed. */
  scheduledCommandsMs: number;
  /** How often the re-push worker looks for channels to push again. */
  repushMs: number;
}

export interface Orchard {
  parts: OrchardParts;
  /** The main port's Express app (everything but the MDM fast path). */
  app: Express;
  /** The main port's request handler: the body gate, then the MDM fast path, in front of the app. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The DEP port's app. */
  depApp: Express;
  /** The DEP port's request handler: the body gate in front of depApp. */
  depHandler: (req: IncomingMessage, res: ServerResponse) => void;
  /** One budget of body bytes in flight, drawn on by both ports (src/http/body-budget.ts). */
  budget: BodyBudget;
  /** Starts the workers and applies content events a previous run left pending. */
  start(intervals: WorkerIntervals): void;
  /** Stops the workers and closes the push senders. */
  stop(): Promise<void>;
}

export function composeOrchard(f: Foundation): Orchard {
  const { config, store, clock, ids, logger, pki } = f;
  const services = createServices({ ...mailSettings(config), lookupTxt: createTxtLookup(config.dnsServers), ...f.serviceOptions, store, clock, ids });
  services.push.setLogger(logger.child({ component: 'push' }));
  const pushTopic = orgPushTopicSource(services.pushCertificates, { localPushCa: config.apns.mode === 'simulator' ? pki.pushCa : undefined });
  const parts: OrchardParts = { config, store, services, clock, ids, logger, pki, pushTopic, apnsDeviceUrl: f.apnsDeviceUrl };

  // Services of the faces, each built once and shared by every mount that uses it.
  const enrollment = new EnrollmentService(parts);
  const enrolment = new DeviceEnrolment({ ...parts, enrollment });
  const depRuntime = createDepRuntime({ store, services, clock, ids, cursorKey: f.cursorKey });
  const scep = new ScepService({ store, pki, clock, logger });
  const bodyLimits = config.limits.body;
  const mdm: MdmFaceDeps = { store, clock, ids, logger, pki, bodyLimits };

  // Admin API routes contributed by each capability, mounted under /api/v1 after the base ones.
  const adminRoutes = [
    mdmServerRoutes(parts), deviceRoutes(parts),
    depTestControlRoutes({ faults: depRuntime.faults, serverById: (id) => store.mdmServers.get(id), clock, config }),
    contentAdminRoutes(parts), mdmAdminRoutes(parts), pushRoutes(parts), portalReadRoutes(parts),
    enrollmentAdminRoutes({ enrollment, services, pki, clock, config }),
  ];
  // Faces mounted at their own prefix on the main port (DEP, Apps and Books, MDM, enrolment...).
  const faces: Array<{ path: string; router: Router }> = [
    { path: '/reseller', router: resellerRouter({ ...parts, bodyLimits }) },
    { path: '/vpp/mdm/v2', router: vppRouter({ ...parts, bodyLimits }) },
    { path: '/vpp/store', router: vppStoreRouter({ ...parts, bodyLimits }) },
    { path: '/developer/v1', router: developerRouter({ ...parts, bodyLimits }) },
    { path: '/mdm', router: mdmRouter(mdm) },
    { path: '/dep', router: depRouter({ runtime: depRuntime, logger, bodyLimits }) },
    { path: '/scep', router: scepRouter({ scep, logger, bodyLimits }) },
    { path: '/enroll', router: enrollRouter({ enrolment, config, logger, bodyLimits }) },
  ];
  const app = createApp(parts, adminApi({ ...parts, bodyLimits }, adminRoutes), faces, portalRouter(parts));
  const fastPath = mdmFastPath(mdm);
  const depApp = createDepApp(parts, depRouter({ runtime: depRuntime, logger, bodyLimits }));
  // The body gate runs first on both ports (size, bytes in flight, idle body: finding 7).
  const budget = new BodyBudget(config.limits.inflightBytes, config.limits.unauthenticatedInflightBytes);
  const gate = bodyGate(config.limits, budget);
  const depGate = bodyGate(config.limits, budget, 'dep');
  // Handlers run in short turns of the event loop so new connections are accepted while busy
  // (finding 10, request-turns.ts); the gate answers at once, before a request waits its turn.
  const turns = new RequestTurns();

  return {
    parts, app, depApp, budget,
    handler: (req, res) => {
      if (!gate(req, res)) turns.run(() => fastPath(req, res) || app(req, res));
    },
    depHandler: (req, res) => {
      if (!depGate(req, res)) turns.run(() => depApp(req, res));
    },
    start(intervals) {
      // Events left PENDING by a previous run are applied now (they are never lost on restart).
      services.content.events.kick();
      services.mdm.webhooks.start(intervals.webhookMs, logger);
      services.mdm.scheduled.start(intervals.scheduledCommandsMs, logger);
      services.repush.start(intervals.repushMs, logger);
    },
    async stop() {
      await services.repush.stop();
      await services.push.idle();
      await services.push.senders.closeAll();
      await services.mdm.webhooks.stop();
      await services.mdm.scheduled.stop();
    },
  };
}

/** The main port's app from its routers: health check, admin API, faces, portal, 404 last. */
function createApp(deps: Pick<OrchardParts, 'store' | 'logger' | 'ids'>, admin: Router, faces: Array<{ path: string; router: Router }>, portal: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.logger, 'main', deps.ids));
  app.get('/healthz', async (_req, res) => {
    const store = await deps.store.ping().catch(() => ({ ok: false, schemaVersion: -1 }));
    res.status(store.ok ? 200 : 503).json({ status: store.ok ? 'ok' : 'degraded', version: VERSION, store: { ok: store.ok, schema_version: store.schemaVersion } });
  });
  app.use('/api/v1', admin);
  app.use('/api/docs', apiDocsRouter());
  for (const face of faces) app.use(face.path, face.router);
  app.use('/', portal);
  app.use(lastNotFound);
  // Whatever no face answered ends here, never in Express's default HTML handler.
  app.use(lastErrorHandler(deps.logger, 'main'));
  return app;
}

/** The DEP port: only the Device Assignment API, at the root as Apple's host serves it. */
function createDepApp(deps: Pick<OrchardParts, 'logger' | 'ids'>, dep: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.logger, 'dep', deps.ids));
  app.use('/', dep);
  app.use(lastErrorHandler(deps.logger, 'dep'));
  return app;
}
