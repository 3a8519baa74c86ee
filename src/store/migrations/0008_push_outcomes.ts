// Push outcomes (issue 7): the push state of each channel (last push, APNs' answer, the re-push
// back-off), a bounded log of pushes per channel, and the last certificate-level refusal (403,
// BadTopic) against the organisation's push certificate, shown in its status.
export const sql = `
CREATE TABLE push_channels (
  enrollment_id     TEXT PRIMARY KEY REFERENCES enrollments(id) ON DELETE CASCADE,
  org_id            TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  last_push_at      TEXT,
  last_trigger      TEXT,                       -- command | on-demand | repush
  last_status       TEXT,                       -- delivered | unregistered | bad-token | fatal | failed
  last_http_status  INTEGER,
  last_reason       TEXT,
  last_apns_id      TEXT,
  last_attempts     INTEGER,
  pushes            INTEGER NOT NULL DEFAULT 0, -- pushes since the channel last connected: the back-off exponent
  next_push_at      TEXT,                       -- when the re-push worker pushes again, if still not connected
  bad_token_at      TEXT                        -- APNs said BadDeviceToken/DeviceTokenNotForTopic; cleared by a later TokenUpdate
);
CREATE INDEX push_channels_due ON push_channels(next_push_at);

CREATE TABLE push_log (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id            TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  enrollment_id     TEXT NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
  at                TEXT NOT NULL,
  trigger           TEXT NOT NULL,
  status            TEXT NOT NULL,
  http_status       INTEGER,
  reason            TEXT,
  apns_id           TEXT,
  attempts          INTEGER NOT NULL
);
CREATE INDEX push_log_enrollment ON push_log(enrollment_id, id);

ALTER TABLE push_certificates ADD COLUMN last_error_status INTEGER;
ALTER TABLE push_certificates ADD COLUMN last_error_reason TEXT;
ALTER TABLE push_certificates ADD COLUMN last_error_at TEXT;
ALTER TABLE push_certificates ADD COLUMN last_error_blocking INTEGER NOT NULL DEFAULT 0;
`;
