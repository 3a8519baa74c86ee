// JSON shapes of the MDM admin API (snake_case, ISO dates). A device's response plist is shown
// whole, as JSON with Apple's key names (data as base64, dates as ISO strings).
import { jsonView } from '../../business/mdm/queue.js';
import { parsePlist } from '../../plist/index.js';
import type { CommandRecord, CommandSummary, CommandTarget } from '../../store/commands.js';
import type { Enrollment } from '../../store/enrollments.js';
import type { Delivery, EventRecord, Webhook } from '../../store/events.js';

const iso = (d?: Date) => (d ? d.toISOString() : null);

function responseOf(xml: string | undefined): unknown {
  if (!xml) return null;
  try {
    return jsonView(parsePlist(xml));
  } catch {
    return null;
  }
}

export const targetView = (t: CommandTarget) => ({
  enrollment_id: t.enrollmentId, udid: t.enrollmentId.split(':')[0], command_uuid: t.commandUuid, request_type: t.requestType ?? null,
  state: t.status, queued_at: iso(t.queuedAt), sent_at: iso(t.sentAt), sent_count: t.sentCount, not_now_count: t.notNowCount,
  last_not_now_at: iso(t.lastNotNowAt), result_at: iso(t.resultAt), cancelled_at: iso(t.cancelledAt), not_before: iso(t.notBefore),
  response: responseOf(t.result),
});

export const commandView = (c: CommandRecord) => ({
  command_uuid: c.uuid, request_type: c.requestType, command: c.command, created_at: iso(c.createdAt), created_by: c.createdBy ?? null,
  targets: c.targets.map(targetView),
});

export const commandSummaryView = (c: CommandSummary) => ({
  command_uuid: c.uuid, request_type: c.requestType, created_at: iso(c.createdAt), created_by: c.createdBy ?? null,
  target_count: Object.values(c.byStatus).reduce((n, x) => n + x, 0), targets_by_status: c.byStatus,
});

export const enrollmentView = (e: Enrollment) => ({
  enrollment_id: e.id, channel: e.channel, parent_id: e.parentId ?? null, udid: e.udid ?? null, apple_enrollment_id: e.enrollmentId ?? null,
  user_id: e.userId ?? null, user_short_name: e.userShortName ?? null, user_long_name: e.userLongName ?? null,
  serial_number: e.serialNumber ?? null, family: e.family ?? null, platform: e.platform ?? null, model: e.model ?? null,
  model_name: e.modelName ?? null, product_name: e.productName ?? null, os_version: e.osVersion ?? null, build_version: e.buildVersion ?? null,
  device_name: e.deviceName ?? null, imei: e.imei ?? null, meid: e.meid ?? null, topic: e.topic ?? null, state: e.state,
  push: { has_token: !!e.pushToken, has_push_magic: !!e.pushMagic, unregistered_at: iso(e.pushUnregisteredAt) },
  has_unlock_token: !!e.unlockToken, has_bootstrap_token: !!e.bootstrapToken, awaiting_configuration: e.awaitingConfiguration,
  authenticated_at: iso(e.authenticatedAt), enrolled_at: iso(e.enrolledAt), unenrolled_at: iso(e.unenrolledAt),
  token_updated_at: iso(e.tokenUpdatedAt), last_seen_at: iso(e.lastSeenAt), created_at: iso(e.createdAt),
});

export const webhookView = (w: Webhook, withSecret = false) => ({
  id: w.id, url: w.url, active: w.active, created_at: iso(w.createdAt), ...(withSecret ? { secret: w.secret } : {}),
});

const deliveryView = (d: Delivery) => ({
  webhook_id: d.webhookId, status: d.status, attempts: d.attempts, next_attempt_at: iso(d.nextAttemptAt), last_attempt_at: iso(d.lastAttemptAt),
  last_status: d.lastStatus ?? null, last_error: d.lastError ?? null, delivered_at: iso(d.deliveredAt),
});

export const eventView = (e: EventRecord & { deliveries: Delivery[] }) => ({
  id: e.id, type: e.type, created_at: iso(e.createdAt), payload: JSON.parse(e.payload), deliveries: e.deliveries.map(deliveryView),
});
