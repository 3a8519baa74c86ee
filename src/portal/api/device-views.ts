// JSON shapes of devices, orders and MDM servers in the admin API (snake_case, ISO dates).
import type { Device } from '../../store/device-types.js';
import type { MdmServer, ServerTokenRecord } from '../../store/mdm-servers.js';
import type { Order, OrderLine } from '../../store/orders.js';

const iso = (d?: Date) => (d ? d.toISOString() : null);

export const deviceView = (d: Device, serverNames: Map<string, string>) => ({
  serial_number: d.serialNumber, family: d.family, model: d.model, description: d.description, color: d.color, os: d.os,
  asset_tag: d.assetTag, order_number: d.orderNumber || null, order_date: iso(d.orderDate), source: d.source,
  created_at: iso(d.addedAt), supervised: d.supervised, provisional_until: iso(d.provisionalUntil),
  mdm_server_id: d.mdmServerId ?? null, mdm_server_name: d.mdmServerId ? serverNames.get(d.mdmServerId) ?? null : null,
  assigned_at: iso(d.assignedAt), assigned_by: d.assignedBy ?? null, profile_status: d.profileStatus, profile_uuid: d.profileUuid ?? null,
});

export const tokenView = (t?: ServerTokenRecord) => (t ? {
  issued_at: iso(t.issuedAt), expires_at: iso(t.expiresAt), file_name: t.fileName, public_key_fingerprint: t.publicKeyFingerprint,
} : null);

export const serverView = (s: MdmServer, token?: ServerTokenRecord) => ({
  id: s.id, name: s.name, server_uuid: s.serverUuid, created_at: iso(s.createdAt), created_by: s.createdBy ?? null, token: tokenView(token),
});

export const orderView = (o: Order & { deviceCount?: number }) => ({
  order_number: o.orderNumber, order_date: iso(o.orderDate), order_type: o.orderType, customer_id: o.customerId || null,
  reseller_id: o.resellerId ?? null, po_number: o.poNumber || null, received_at: iso(o.receivedAt), available_at: iso(o.availableAt),
  ...(o.deviceCount !== undefined ? { device_count: o.deviceCount } : {}),
});

export const orderLineView = (l: OrderLine) => ({
  serial_number: l.serialNumber, family: l.family, model: l.model, description: l.description, color: l.color,
  asset_tag: l.assetTag, delivery_number: l.deliveryNumber || null, ship_date: iso(l.shipDate),
});
