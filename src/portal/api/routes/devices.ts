// Devices: list and search, one device, manual addition, release, the CSV download, and the
// assignment check; orders and purchase settings.
import { Router } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { deviceView, orderLineView, orderView } from '../device-views.js';
import { csvBody, selectionOf } from './device-selection.js';
import { listQuery, pageAnswer, sqlSort, type ListQuery } from '../list.js';
import type { DeviceSort } from '../../../store/devices.js';
import type { OrderSort } from '../../../store/orders.js';
import { LIST_SPECS } from '../list-specs.js';

export function deviceRoutes({ services: s }: AdminFaceDeps): Router {
  const r = Router();
  const names = async (orgId: string) => new Map((await s.servers.list(orgId)).map((x) => [x.id, x.name]));

  r.get('/devices', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const q = req.query as Record<string, string | undefined>;
    const query = listQuery(req, LIST_SPECS.devices);
    const out = await s.devices.list(p.orgId, {
      family: q.family, orderNumber: q.order_number, mdmServer: q.mdm_server_id, serial: q.q, model: q.model, profileStatus: q.profile_status,
      sort: deviceSort(query), limit: query.limit + 1,
    });
    const n = await names(p.orgId);
    // The MDM side of each device of the page (the portal's Devices list shows it).
    const states = await s.portalReads.enrolmentStates(p.orgId, out.devices.map((d) => d.serialNumber));
    res.json(pageAnswer(out.devices.map((d) => ({ ...deviceView(d, n), enrolment_state: states.get(d.serialNumber) ?? null })), query, LIST_SPECS.devices, (d) => d));
  });
  r.post('/devices', requirePermission('devices.manage'), async (req, res) => {
    const p = principalOf(res);
    const d = await s.devices.addManual(p, req.body ?? {});
    res.status(201).location(`/api/v1/devices/${d.serialNumber}`).json(deviceView(d, await names(p.orgId)));
  });
  // 'All Available', or the devices of the orders given (?order_numbers=A,B).
  r.get('/devices.csv', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const orders = typeof req.query.order_numbers === 'string' && req.query.order_numbers !== 'all'
      ? req.query.order_numbers.split(',').filter(Boolean) : 'all' as const;
    const csv = await s.devices.exportCsv(p.orgId, orders);
    res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="devices.csv"' }).send(csv);
  });
  r.post('/devices/release', requirePermission('devices.manage'), csvBody, async (req, res) => {
    const released = await s.devices.release(principalOf(res), selectionOf(req));
    res.json({ released: released.length });
  });
  r.get('/devices/:serial', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const d = await s.devices.get(p.orgId, param(req, 'serial'));
    const states = await s.portalReads.enrolmentStates(p.orgId, [d.serialNumber]);
    res.json({ ...deviceView(d, await names(p.orgId)), enrolment_state: states.get(d.serialNumber) ?? null });
  });
  r.patch('/devices/:serial', requirePermission('devices.manage'), async (req, res) => {
    const p = principalOf(res);
    const d = await s.devices.setAssetTag(p, param(req, 'serial'), (req.body ?? {}).asset_tag);
    res.json(deviceView(d, await names(p.orgId)));
  });

  // Verify assignments: per server the totals by family; per device (filtered) date, order, server.
  r.get('/assignments', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const q = req.query as Record<string, string | undefined>;
    const totals = await s.devices.serverTotals(p.orgId);
    const query = listQuery(req, LIST_SPECS.devices);
    const out = await s.devices.list(p.orgId, { orderNumber: q.order_number, serial: q.q, mdmServer: q.mdm_server_id, sort: deviceSort(query), limit: query.limit + 1 });
    const n = await names(p.orgId);
    res.json({
      servers: totals.map((t) => ({ id: t.server.id, name: t.server.name, total: t.total, by_family: t.byFamily })),
      ...pageAnswer(out.devices.map((d) => ({
        serial_number: d.serialNumber, family: d.family, order_number: d.orderNumber || null,
        mdm_server_id: d.mdmServerId ?? null, mdm_server_name: d.mdmServerId ? n.get(d.mdmServerId) ?? null : null, assigned_at: d.assignedAt?.toISOString() ?? null,
      })), query, LIST_SPECS.devices, (d) => d),
    });
  });

  r.get('/orders', requirePermission('devices.read'), async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const query = listQuery(req, LIST_SPECS.orders);
    const orders = await s.orders.search(principalOf(res).orgId, {
      orderNumber: q.order_number, serial: q.serial_number, from: q.from, to: q.to, limit: query.limit + 1, sort: sqlSort<OrderSort>(query),
    });
    res.json(pageAnswer(orders.map(orderView), query, LIST_SPECS.orders, (o) => o));
  });
  r.get('/orders/:number', requirePermission('devices.read'), async (req, res) => {
    const { order, lines } = await s.orders.get(principalOf(res).orgId, param(req, 'number'));
    res.json({ ...orderView(order), devices: lines.map(orderLineView) });
  });

  r.get('/purchase-settings', requirePermission('org.read'), async (_req, res) => {
    res.json(purchaseView(await s.orders.purchaseSettings(principalOf(res).orgId)));
  });
  r.patch('/purchase-settings', requirePermission('org.manage'), async (req, res) => {
    const b = req.body ?? {};
    res.json(purchaseView(await s.orders.setPurchaseSettings(principalOf(res), { customerNumbers: b.customer_numbers, resellerIds: b.reseller_ids })));
  });
  return r;
}

/** A device list's sort and page for the store (keyset on the column the sort names). */
export const deviceSort = (query: ListQuery) => sqlSort<DeviceSort>(query);

const purchaseView = (p: { organisationId: string; customerNumbers: string[]; resellerIds: string[] }) => ({
  organisation_id: p.organisationId, customer_numbers: p.customerNumbers, reseller_ids: p.resellerIds,
});
