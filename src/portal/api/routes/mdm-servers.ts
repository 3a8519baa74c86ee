// MDM servers, their tokens and default servers, and assignment of devices to a server.
import { Router } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { deviceView, serverView } from '../device-views.js';
import { ApiError } from '../../../http/api-errors.js';
import { csvBody, selectionOf } from './device-selection.js';
import { deviceSort } from './devices.js';
import { listAnswer, listQuery, pageAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';

export function mdmServerRoutes({ services: s }: AdminFaceDeps): Router {
  const r = Router();
  const names = async (orgId: string) => new Map((await s.servers.list(orgId)).map((x) => [x.id, x.name]));

  r.get('/mdm-servers', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const totals = await s.devices.serverTotals(p.orgId);
    const out = [];
    for (const t of totals) out.push({ ...serverView(t.server, await s.servers.currentToken(t.server.id)), device_count: t.total, devices_by_family: t.byFamily });
    res.json(listAnswer(req, out, LIST_SPECS.mdmServers, (x) => x));
  });
  r.post('/mdm-servers', requirePermission('servers.manage'), async (req, res) => {
    const b = req.body ?? {};
    const { server, token } = await s.servers.create(principalOf(res), { name: b.name, publicKey: b.public_key });
    res.status(201).location(`/api/v1/mdm-servers/${server.id}`).json(serverView(server, token));
  });
  r.get('/mdm-servers/:id', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const server = await s.servers.getForOrg(p.orgId, param(req, 'id'));
    const t = (await s.devices.serverTotals(p.orgId)).find((x) => x.server.id === server.id)!;
    res.json({ ...serverView(server, await s.servers.currentToken(server.id)), device_count: t.total, devices_by_family: t.byFamily });
  });
  r.patch('/mdm-servers/:id', requirePermission('servers.manage'), async (req, res) => {
    const server = await s.servers.rename(principalOf(res), param(req, 'id'), (req.body ?? {}).name);
    res.json(serverView(server, await s.servers.currentToken(server.id)));
  });
  r.delete('/mdm-servers/:id', requirePermission('servers.manage'), async (req, res) => {
    await s.servers.delete(principalOf(res), param(req, 'id'));
    res.status(204).end();
  });

  // The token: downloaded as Apple's portal hands it out; renewed with a new key or the same.
  r.get('/mdm-servers/:id/token', requirePermission('servers.manage'), async (req, res) => {
    const p = principalOf(res);
    const t = await s.servers.downloadToken(p.orgId, param(req, 'id'));
    await s.audit.record(p, 'GET /api/v1/mdm-servers/:id/token', 'success', param(req, 'id'), { file_name: t.fileName });
    res.status(200).set({
      'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
      'Content-Disposition': `attachment; filename="${t.fileName.replace(/["\\]/g, '_')}"`,
      'Cache-Control': 'no-store',
    }).send(t.body);
  });
  r.post('/mdm-servers/:id/token', requirePermission('servers.manage'), async (req, res) => {
    const token = await s.servers.renewToken(principalOf(res), param(req, 'id'), (req.body ?? {}).public_key);
    const server = await s.servers.getForOrg(principalOf(res).orgId, token.serverId);
    res.status(201).json(serverView(server, token));
  });

  r.get('/mdm-server-defaults', requirePermission('devices.read'), async (_req, res) => {
    res.json(await defaultsView(principalOf(res).orgId));
  });
  r.put('/mdm-server-defaults', requirePermission('servers.manage'), async (req, res) => {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'defaults_required', 'send {"Mac": "<server id>" | null, ...}');
    await s.servers.setDefaults(principalOf(res), body);
    res.json(await defaultsView(principalOf(res).orgId));
  });
  async function defaultsView(orgId: string) {
    const d = await s.servers.defaults(orgId);
    const n = await names(orgId);
    const one = (id?: string) => (id ? { id, name: n.get(id) ?? null } : null);
    return { Mac: one(d.Mac), iPhone: one(d.iPhone), iPad: one(d.iPad), AppleTV: one(d.AppleTV) };
  }

  r.get('/mdm-servers/:id/devices', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const server = await s.servers.getForOrg(p.orgId, param(req, 'id'));
    const q = req.query as Record<string, string | undefined>;
    const query = listQuery(req, LIST_SPECS.devices);
    const out = await s.devices.list(p.orgId, { mdmServer: server.id, family: q.family, sort: deviceSort(query), limit: query.limit + 1 });
    const n = await names(p.orgId);
    res.json(pageAnswer(out.devices.map((d) => deviceView(d, n)), query, LIST_SPECS.devices, (d) => d));
  });
  r.post('/mdm-servers/:id/devices', requirePermission('devices.manage'), csvBody, async (req, res) => {
    const out = await s.devices.assign(principalOf(res), param(req, 'id'), selectionOf(req));
    res.json({ mdm_server_id: out.server.id, assigned: out.assigned.length, moved: out.moved.length, unchanged: out.unchanged.length, moved_serial_numbers: out.moved.slice(0, 1000) });
  });
  r.delete('/mdm-servers/:id/devices', requirePermission('devices.manage'), csvBody, async (req, res) => {
    const out = await s.devices.unassign(principalOf(res), param(req, 'id'), selectionOf(req));
    res.json({ mdm_server_id: out.server.id, unassigned: out.unassigned.length, not_assigned: out.notAssigned.slice(0, 1000) });
  });
  return r;
}
