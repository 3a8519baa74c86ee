// Admin API for MDM: queue commands to many devices, read each device's state and whole
// response, cancel, see and clear a device's queue; the enrolled devices; webhooks and the
// event log. Permissions: mdm.commands to queue/cancel, devices.read to read, events.manage
// for webhooks and events.
import { Router } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { ApiError } from '../../../http/api-errors.js';
import { commandView, enrollmentView, eventView, targetView, webhookView } from '../mdm-views.js';
import { pushStateView } from '../push-views.js';
import { listAnswer, listQuery, pageAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';

export function mdmAdminRoutes(deps: AdminFaceDeps): Router {
  const { queue, webhooks } = deps.services.mdm;
  const r = Router();

  r.post('/commands', requirePermission('mdm.commands'), async (req, res) => {
    const b = req.body ?? {};
    // not_before (ISO date): scheduled delivery; the device is pushed when it becomes due.
    let notBefore: Date | undefined;
    if (b.not_before !== undefined && b.not_before !== null) {
      notBefore = typeof b.not_before === 'string' ? new Date(b.not_before) : undefined;
      if (!notBefore || Number.isNaN(notBefore.getTime())) throw new ApiError(400, 'not_before_invalid', 'not_before must be an ISO-8601 date');
    }
    // command_uuid: the caller's CommandUUID (idempotent tooling); validated and checked unique by the queue.
    const out = await queue.enqueue(principalOf(res), { udids: b.udids, enrollmentIds: b.enrollment_ids, command: b.command, notBefore, commandUuid: b.command_uuid ?? undefined });
    res.status(201).json({
      command_uuid: out.commandUuid, enrollment_ids: out.enrollmentIds, push_targets: out.pushTargets.length, not_before: out.notBefore?.toISOString() ?? null,
    });
  });
  r.get('/commands/:uuid', requirePermission('devices.read'), async (req, res) => {
    res.json(commandView(await queue.get(principalOf(res), param(req, 'uuid'))));
  });
  const cancel = async (req: import('express').Request, res: import('express').Response) => {
    const udids = (req.body ?? {}).udids;
    if (udids !== undefined && (!Array.isArray(udids) || !udids.every((u: unknown) => typeof u === 'string'))) {
      throw new ApiError(400, 'udids_invalid', 'udids must be a list of strings');
    }
    const out = await queue.cancel(principalOf(res), param(req, 'uuid'), udids);
    res.json({ cancelled: out.cancelled, command: commandView(out.command) });
  };
  r.post('/commands/:uuid/cancel', requirePermission('mdm.commands'), cancel);
  r.delete('/commands/:uuid', requirePermission('mdm.commands'), cancel);

  r.get('/mdm/devices', requirePermission('devices.read'), async (req, res) => {
    const channel = req.query.channel === 'user' || req.query.channel === 'device' ? req.query.channel : undefined;
    const states = ['authenticated', 'enrolled', 'unenrolled'] as const;
    const state = states.find((s) => s === req.query.state);
    const query = listQuery(req, LIST_SPECS.enrollments);
    const list = await queue.listChannels(principalOf(res), { channel, state, limit: query.limit + 1, afterId: query.after ? String(query.after[1]) : undefined });
    res.json(pageAnswer(list.map(enrollmentView), query, LIST_SPECS.enrollments, (e) => e));
  });
  r.get('/mdm/devices/:id', requirePermission('devices.read'), async (req, res) => {
    const p = principalOf(res);
    const e = await queue.channel(p, param(req, 'id'));
    const { queue: active, history } = await queue.queueOf(p, e.id);
    const view = enrollmentView(e);
    // Push outcomes (issue 7) next to the token facts.
    const push = { ...view.push, ...pushStateView(await deps.services.push.state(e.id), e.lastSeenAt) };
    res.json({ ...view, push, queue: active.map(targetView), history: history.map(targetView) });
  });
  r.delete('/mdm/devices/:id/queue', requirePermission('mdm.commands'), async (req, res) => {
    res.json({ cancelled_commands: await queue.clearQueue(principalOf(res), param(req, 'id')) });
  });

  r.get('/events', requirePermission('events.manage'), async (req, res) => {
    const query = listQuery(req, LIST_SPECS.events);
    const list = await webhooks.events(principalOf(res), {
      afterId: query.after ? Number(query.after[1]) : 0, limit: query.limit + 1, type: typeof req.query.type === 'string' ? req.query.type : undefined,
    });
    res.json(pageAnswer(list.map(eventView), query, LIST_SPECS.events, (e) => e));
  });
  r.get('/webhooks', requirePermission('events.manage'), async (req, res) => {
    res.json(listAnswer(req, (await webhooks.list(principalOf(res))).map((w) => webhookView(w)), LIST_SPECS.webhooks, (w) => w));
  });
  r.post('/webhooks', requirePermission('events.manage'), async (req, res) => {
    // The secret is shown once, at creation, like an API token.
    const hook = await webhooks.create(principalOf(res), (req.body ?? {}).url);
    res.status(201).location(`/api/v1/webhooks/${hook.id}`).json(webhookView(hook, true));
  });
  r.delete('/webhooks/:id', requirePermission('events.manage'), async (req, res) => {
    await webhooks.remove(principalOf(res), param(req, 'id'));
    res.status(204).end();
  });
  return r;
}
