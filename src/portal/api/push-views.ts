// JSON shapes of the push admin API (snake_case, ISO dates).
import type { PushCertificateStatus } from '../../business/push-certificates.js';
import type { PushResult } from '../../business/push.js';
import type { PushLogEntry, PushState } from '../../store/push-outcomes.js';

const iso = (d?: Date) => (d ? d.toISOString() : null);

export const pushCertificateView = (s: PushCertificateStatus) => ({
  topic: s.topic, subject: s.subject, serial_number: s.serialNumber, not_before: iso(s.notBefore), not_after: iso(s.notAfter),
  days_left: s.daysLeft, warning: s.warning ?? null,
  last_error: s.lastError ? { status: s.lastError.status, reason: s.lastError.reason, at: iso(s.lastError.at), pushing_stopped: s.lastError.blocking } : null,
});

export const pushResultView = (r: PushResult) => ({
  enrollment_id: r.enrollmentId, status: r.status, skipped: r.skipped ?? null, http_status: r.httpStatus ?? null, reason: r.reason ?? null,
  apns_id: r.apnsId ?? null, attempts: r.attempts,
});

/**
 * The per-device push state shown in GET /mdm/devices/{id} under `push`. The stored count and
 * next re-push are as of the last push; once the device has connected since (`lastSeenAt`), no
 * push is outstanding and none will be repeated (PushService re-pushes only unanswered ones).
 */
export const pushStateView = (s: PushState | undefined, lastSeenAt?: Date) => {
  const answered = !!s?.lastPushAt && !!lastSeenAt && lastSeenAt >= s.lastPushAt;
  return {
    last_push_at: iso(s?.lastPushAt), last_trigger: s?.lastTrigger ?? null, last_status: s?.lastStatus ?? null,
    last_http_status: s?.lastHttpStatus ?? null, last_reason: s?.lastReason ?? null, last_apns_id: s?.lastApnsId ?? null,
    last_attempts: s?.lastAttempts ?? null, pushes_since_connect: answered ? 0 : s?.pushes ?? 0, next_push_at: answered ? null : iso(s?.nextPushAt),
    bad_token_at: iso(s?.badTokenAt),
  };
};

export const pushLogView = (e: PushLogEntry) => ({
  id: e.id, pushed_at: iso(e.at), trigger: e.trigger, status: e.status, http_status: e.httpStatus ?? null, reason: e.reason ?? null,
  apns_id: e.apnsId ?? null, attempts: e.attempts,
});
