// Admin API: assign bought apps to Orchard-managed devices (by serial, group or family) or to
// users, revoke device licences, migrate a user licence to a device. The answer says, per
// target, what was associated and which MDM command is (or must be) queued.
import { Router } from 'express';
import type { AppDeps } from '../../../app.js';
import type { DeviceFamily } from '../../../business/content/platforms.js';
import { principalOf, requirePermission } from '../auth.js';
import { targetResultView } from '../content-views.js';
import { ApiError } from '../errors.js';

const strings = (v: unknown, name: string): string[] | undefined => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x)) throw new ApiError(400, `${name}_invalid`, `${name} must be an array of strings`);
  return v;
};

export function contentAssignRoutes(deps: AppDeps): Router {
  const install = deps.services.content.install;
  const r = Router();
  const manage = requirePermission('content.manage');

  /** Body: {location_id, adam_id, serial_numbers?, group_ids?, families?, users?: [{client_user_id, email?, managed_apple_id?}]}. */
  r.post('/content/assignments', manage, async (req, res) => {
    const p = principalOf(res);
    const b = req.body ?? {};
    const selector = { serialNumbers: strings(b.serial_numbers, 'serial_numbers'), groupIds: strings(b.group_ids, 'group_ids'), families: strings(b.families, 'families') as DeviceFamily[] | undefined };
    const users = b.users === undefined ? [] : Array.isArray(b.users) ? b.users : undefined;
    if (!users || users.some((u: any) => typeof u?.client_user_id !== 'string' || !u.client_user_id)) throw new ApiError(400, 'users_invalid', 'users must be [{client_user_id, email?, managed_apple_id?}]');
    const wantsDevices = !!(selector.serialNumbers?.length || selector.groupIds?.length || selector.families?.length);
    if (!wantsDevices && !users.length) throw new ApiError(400, 'targets_required', 'name serial_numbers, group_ids, families or users');
    const devices = wantsDevices ? await install.assignToSelection(p, { locationId: b.location_id, adamId: b.adam_id, selector }) : [];
    const userResults = users.length ? await install.assignToUsers(p, {
      locationId: b.location_id, adamId: b.adam_id,
      users: users.map((u: any) => ({ clientUserId: u.client_user_id, email: u.email, managedAppleId: u.managed_apple_id, country: u.country })),
    }) : [];
    res.json({ results: [...devices, ...userResults].map(targetResultView) });
  });

  /** Body: {location_id, adam_id, serial_numbers, grace_period_days?}. */
  r.post('/content/revocations', manage, async (req, res) => {
    const b = req.body ?? {};
    const serials = strings(b.serial_numbers, 'serial_numbers');
    if (!serials?.length) throw new ApiError(400, 'serial_numbers_required', 'serial_numbers is required');
    const results = await install.revokeFromDevices(principalOf(res), { locationId: b.location_id, adamId: b.adam_id, serialNumbers: serials, gracePeriodDays: b.grace_period_days });
    res.json({ results: results.map(targetResultView) });
  });
  return r;
}
