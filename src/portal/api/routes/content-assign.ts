// Admin API: assign bought apps to Orchard-managed devices (by serial, group or family) or to
// users, revoke device licences, migrate a user licence to a device, and the default grace period
// before RemoveApplication. The answer says, per target, what was associated and which MDM command
// was queued (command_uuid; null when no enrolled device could take it).
import { Router, type Response } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import type { DeviceFamily } from '../../../business/content/platforms.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { targetResultView } from '../content-views.js';
import { allTargetsRefused, ApiError } from '../../../http/api-errors.js';

const strings = (v: unknown, name: string): string[] | undefined => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x)) throw new ApiError(400, `${name}_invalid`, `${name} must be an array of strings`);
  return v;
};

/** Outcomes that did nothing for their target. */
const REFUSED = new Set(['refused', 'not_assigned']);

/** 200 with the outcomes, or 422 all_targets_refused when no target was served. */
function answerResults(res: Response, results: Array<ReturnType<typeof targetResultView>>): void {
  if (results.length > 0 && results.every((r) => REFUSED.has(r.status))) throw allTargetsRefused(results);
  res.json({ results });
}

export function contentAssignRoutes(deps: AdminFaceDeps): Router {
  const install = deps.services.content.install;
  const r = Router();
  const manage = requirePermission('content.manage');

  /**
   * Body: {location_id, adam_id, serial_numbers?, group_ids? ('order:<n>' | 'server:<id>'), families?,
   * users?: [{client_user_id, email?, managed_apple_id?, serial_number? (the user's device, where the install is queued)}]}.
   */
  r.post('/content/assignments', manage, async (req, res) => {
    const p = principalOf(res);
    const b = req.body ?? {};
    const selector = { serialNumbers: strings(b.serial_numbers, 'serial_numbers'), groupIds: strings(b.group_ids, 'group_ids'), families: strings(b.families, 'families') as DeviceFamily[] | undefined };
    const users = b.users === undefined ? [] : Array.isArray(b.users) ? b.users : undefined;
    if (!users || users.some((u: any) => typeof u?.client_user_id !== 'string' || !u.client_user_id || (u.serial_number !== undefined && (typeof u.serial_number !== 'string' || !u.serial_number)))) {
      throw new ApiError(400, 'users_invalid', 'users must be [{client_user_id, email?, managed_apple_id?, serial_number?}]');
    }
    const wantsDevices = !!(selector.serialNumbers?.length || selector.groupIds?.length || selector.families?.length);
    if (!wantsDevices && !users.length) throw new ApiError(400, 'targets_required', 'name serial_numbers, group_ids, families or users');
    const devices = wantsDevices ? await install.assignToSelection(p, { locationId: b.location_id, adamId: b.adam_id, selector }) : [];
    const userResults = users.length ? await install.assignToUsers(p, {
      locationId: b.location_id, adamId: b.adam_id,
      users: users.map((u: any) => ({ clientUserId: u.client_user_id, email: u.email, managedAppleId: u.managed_apple_id, country: u.country, serialNumber: u.serial_number })),
    }) : [];
    answerResults(res, [...devices, ...userResults].map(targetResultView));
  });

  /** Body: {location_id, adam_id, serial_numbers, grace_period_days?}. */
  r.post('/content/revocations', manage, async (req, res) => {
    const b = req.body ?? {};
    const serials = strings(b.serial_numbers, 'serial_numbers');
    if (!serials?.length) throw new ApiError(400, 'serial_numbers_required', 'serial_numbers is required');
    const results = await install.revokeFromDevices(principalOf(res), { locationId: b.location_id, adamId: b.adam_id, serialNumbers: serials, gracePeriodDays: b.grace_period_days });
    answerResults(res, results.map(targetResultView));
  });

  /** Body: {location_id, adam_id, client_user_id, serial_number}: the user's licence becomes the device's; InstallApplication is queued again. */
  r.post('/content/migrations', manage, async (req, res) => {
    const b = req.body ?? {};
    for (const k of ['client_user_id', 'serial_number'] as const) {
      if (typeof b[k] !== 'string' || !b[k]) throw new ApiError(400, `${k}_required`, `${k} is required`);
    }
    const result = await install.migrateUserToSerial(principalOf(res), { locationId: b.location_id, adamId: b.adam_id, clientUserId: b.client_user_id, serialNumber: b.serial_number });
    if (REFUSED.has(result.status)) throw allTargetsRefused([targetResultView(result)]);
    res.json({ result: targetResultView(result) });
  });

  const settingsView = (s: { revocationGraceDays: number }) => ({ revocation_grace_period_days: s.revocationGraceDays });
  r.get('/content/install-settings', requirePermission('content.read'), async (_req, res) => {
    res.json(settingsView(await install.settings(principalOf(res))));
  });
  /** Body: {revocation_grace_period_days: 0..30}: used by revocations that name no grace_period_days. */
  r.put('/content/install-settings', manage, async (req, res) => {
    res.json(settingsView(await install.setSettings(principalOf(res), { revocationGraceDays: (req.body ?? {}).revocation_grace_period_days })));
  });
  return r;
}
