import express, { type Request, type RequestHandler } from 'express';
import type { DeviceSelection } from '../../../business/devices.js';

/** Bodies that name devices: JSON `{serial_numbers}` / `{order_numbers}`, or an uploaded CSV of serials (text/csv). */
export const csvBody: RequestHandler = express.text({ type: 'text/csv', limit: '4mb' });

export function selectionOf(req: Request): DeviceSelection {
  if (typeof req.body === 'string') return { csv: req.body };
  const b = (req.body ?? {}) as Record<string, unknown>;
  return {
    ...(b.serial_numbers !== undefined ? { serials: b.serial_numbers } : {}),
    ...(b.order_numbers !== undefined ? { orderNumbers: b.order_numbers } : {}),
  };
}
