// The developer-facing face (Orchard's stand-in for App Store Connect's custom-app distribution):
// a developer, by its API key (`Authorization: Bearer orchard-dev-…`), publishes a custom app to
// one organisation by organisation ID or by a Managed Apple ID, submits versions, and records
// App Review's decision on each version. Errors use the admin API's JSON shape.
import express, { Router } from 'express';
import type { DeveloperFaceDeps } from './deps.js';
import type { Developer } from '../store/content-custom-apps.js';
import type { CustomApp } from '../store/content-custom-apps.js';
import { param } from '../http/params.js';
import { apiErrorHandler, apiNotFound, ApiError } from '../http/api-errors.js';

const appView = (a: CustomApp) => ({
  adam_id: a.adamId, name: a.name, bundle_id: a.bundleId, category: a.category, platforms: a.platforms, ios_devices: a.iosDevices,
  device_assignable: a.deviceAssignable, created_at: a.createdAt.toISOString(),
  versions: a.versions.map((v) => ({ version: v.version, review_status: v.reviewStatus, review_notes: v.reviewNotes, submitted_at: v.submittedAt.toISOString(), reviewed_at: v.reviewedAt?.toISOString() ?? null })),
});

export function developerRouter(deps: DeveloperFaceDeps): Router {
  const apps = deps.services.content.customApps;
  const r = Router();
  r.use(express.json({ limit: '256kb' }));
  r.use(async (req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const dev = m ? await apps.authenticateDeveloper(m[1]!) : undefined;
    if (!dev) throw new ApiError(401, 'invalid_developer_key', 'send Authorization: Bearer <developer API key>');
    res.locals.developer = dev;
    next();
  });
  const dev = (res: express.Response) => res.locals.developer as Developer;
  r.get('/custom-apps', async (_req, res) => {
    res.json({ custom_apps: (await apps.listForDeveloper(dev(res))).map(appView) });
  });
  r.post('/custom-apps', async (req, res) => {
    const b = req.body ?? {};
    const app = await apps.publish(dev(res), {
      name: b.name, bundleId: b.bundle_id, category: b.category, platforms: b.platforms, iosDevices: b.ios_devices, minOs: b.min_os,
      deviceAssignable: b.device_assignable, version: b.version, organisationId: b.organisation_id, managedAppleId: b.managed_apple_id,
    });
    res.status(201).json(appView(app));
  });
  r.post('/custom-apps/:adamId/versions', async (req, res) => {
    res.status(201).json(appView(await apps.addVersion(dev(res), param(req, 'adamId'), String(req.body?.version ?? ''))));
  });
  r.post('/custom-apps/:adamId/versions/:version/review', async (req, res) => {
    const b = req.body ?? {};
    res.json(appView(await apps.review(dev(res), param(req, 'adamId'), param(req, 'version'), b.decision, b.notes)));
  });
  r.use(apiNotFound);
  r.use(apiErrorHandler(deps.logger));
  return r;
}
