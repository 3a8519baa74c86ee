// Reads the portal's pages are built on (issue 15), documented like every route: the dashboard's
// aggregates in one call, and one device's page (assignment history, MDM channel, commands,
// installed apps from its latest InstalledApplicationList answer).
import { Router } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { targetView } from '../mdm-views.js';

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The apps of an InstalledApplicationList response (Apple's keys: Identifier, Name, ShortVersion, Version). */
function installedApps(response: unknown): Array<{ identifier: string | null; name: string | null; version: string | null }> {
  const list = (response as Json | null)?.InstalledApplicationList;
  if (!Array.isArray(list)) return [];
  return list.map((a: Json) => ({ identifier: str(a.Identifier), name: str(a.Name), version: str(a.ShortVersion) ?? str(a.Version) }));
}

export function portalReadRoutes({ services: s }: AdminFaceDeps): Router {
  const r = Router();
  r.get('/dashboard', requirePermission('org.read'), async (_req, res) => {
    const d = await s.portalReads.dashboard(principalOf(res));
    res.json({
      devices: d.devices && {
        total: d.devices.total, by_family: d.devices.byFamily,
        by_mdm_server: d.devices.byServer.map((x) => ({ mdm_server_id: x.serverId, name: x.name, count: x.count })),
      },
      enrolments: d.enrolmentStates,
      commands_last_day: d.commandOutcomes,
      licences: d.licences && d.licences.map((l) => ({ location_id: l.locationId, name: l.name, bought: l.bought, in_use: l.inUse })),
      expiring: d.expiring.map((e) => ({ kind: e.kind, id: e.id, name: e.name, expires_at: new Date(e.expiresAt).toISOString() })),
    });
  });
  r.get('/devices/:serial/mdm', requirePermission('devices.read'), async (req, res) => {
    const d = await s.portalReads.device(principalOf(res), param(req, 'serial'));
    const history = d.history.map(targetView);
    const inventory = history.find((t) => t.request_type === 'InstalledApplicationList' && t.state === 'acknowledged' && t.response);
    const e = d.channel;
    res.json({
      serial_number: d.serial,
      assignments: d.assignments.map((a) => ({ at: new Date(a.at).toISOString(), op: a.op, mdm_server_id: a.serverId, mdm_server_name: a.serverName })),
      enrollment: e ? {
        enrollment_id: e.id, udid: e.udid ?? null, state: e.state, enrolled_at: e.enrolledAt?.toISOString() ?? null,
        last_seen_at: e.lastSeenAt?.toISOString() ?? null, os_version: e.osVersion ?? null, model_name: e.modelName ?? null, device_name: e.deviceName ?? null,
      } : null,
      queue: d.queue.map(targetView),
      history,
      installed_apps: inventory ? { at: inventory.result_at, items: installedApps(inventory.response) } : null,
    });
  });
  return r;
}
