// MDM: identities issued through SCEP, enrolments (device and user channels), the command
// queue with per-target state and results, and webhook delivery state for the events outbox.
// Apple: developer.apple.com/documentation/devicemanagement/check-in and
// …/sending-mdm-commands-to-a-device.
export const sql = `
-- Every MDM identity certificate Orchard issued (SCEP writes it), so that a signer certificate
-- can be tied to an organisation at Authenticate. A certificate with no row here is refused.
CREATE TABLE mdm_identities (
  cert_sha256     TEXT PRIMARY KEY,               -- lowercase hex sha256 of the certificate DER
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  serial_number   TEXT,
  udid            TEXT,
  issued_at       TEXT NOT NULL,
  not_after       TEXT
);

-- One row per channel: the device channel has id = UDID (or EnrollmentID for User Enrollment),
-- a user channel has id = '<device id>:<UserID>' (or its EnrollmentUserID) and parent_id set.
CREATE TABLE enrollments (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  channel         TEXT NOT NULL CHECK (channel IN ('device','user')),
  parent_id       TEXT REFERENCES enrollments(id) ON DELETE CASCADE,
  udid            TEXT,
  enrollment_id   TEXT,                           -- Apple's EnrollmentID (User Enrollment)
  user_id         TEXT,
  user_short_name TEXT,
  user_long_name  TEXT,
  serial_number   TEXT,
  family          TEXT,                           -- iPhone | iPad | iPod | Mac | AppleTV | ...
  platform        TEXT,                           -- iOS | iPadOS | macOS | tvOS | watchOS | visionOS
  model           TEXT,
  model_name      TEXT,
  product_name    TEXT,
  os_version      TEXT,
  build_version   TEXT,
  device_name     TEXT,
  imei            TEXT,
  meid            TEXT,
  topic           TEXT,
  push_token      TEXT,                           -- hex of the APNs device token
  push_magic      TEXT,
  unlock_token    BLOB,
  bootstrap_token BLOB,
  awaiting_configuration INTEGER NOT NULL DEFAULT 0,
  cert_sha256     TEXT,                           -- the identity bound at Authenticate
  state           TEXT NOT NULL DEFAULT 'authenticated' CHECK (state IN ('authenticated','enrolled','unenrolled')),
  push_unregistered_at TEXT,                      -- APNs said Unregistered; cleared by TokenUpdate
  authenticated_at TEXT,
  enrolled_at     TEXT,
  unenrolled_at   TEXT,
  token_updated_at TEXT,
  last_seen_at    TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX enrollments_org ON enrollments(org_id, channel, id);
CREATE INDEX enrollments_udid ON enrollments(udid);
CREATE INDEX enrollments_parent ON enrollments(parent_id);

CREATE TABLE commands (
  uuid            TEXT PRIMARY KEY,               -- Apple's CommandUUID
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  request_type    TEXT NOT NULL,
  command         TEXT NOT NULL,                  -- the Command dict as JSON (admin view)
  body            TEXT NOT NULL,                  -- the full plist sent to devices, built once
  created_at      TEXT NOT NULL,
  created_by      TEXT
);
CREATE INDEX commands_org ON commands(org_id, created_at);

-- One row per (command, enrollment). seq orders delivery per channel.
CREATE TABLE command_targets (
  seq             INTEGER PRIMARY KEY,
  command_uuid    TEXT NOT NULL REFERENCES commands(uuid) ON DELETE CASCADE,
  enrollment_id   TEXT NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued','sent','acknowledged','error','command_format_error','not_now','cancelled')),
  active          INTEGER NOT NULL DEFAULT 1,     -- 1 while queued, sent or not_now: still to deliver
  queued_at       TEXT NOT NULL,
  sent_at         TEXT,
  sent_count      INTEGER NOT NULL DEFAULT 0,
  not_now_count   INTEGER NOT NULL DEFAULT 0,
  last_not_now_at TEXT,
  result_at       TEXT,
  cancelled_at    TEXT,
  result          TEXT,                           -- the device's last whole response plist (XML)
  UNIQUE (command_uuid, enrollment_id)
);
-- The hot query: the next command still to deliver on a channel, in order.
CREATE INDEX command_targets_next ON command_targets(enrollment_id, active, seq);

-- Webhook endpoints and the delivery state of each outbox event to each of them.
CREATE TABLE webhooks (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1,
  cursor          INTEGER NOT NULL DEFAULT 0,     -- last events.id fanned out to event_deliveries
  created_at      TEXT NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id);

CREATE TABLE event_deliveries (
  event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  webhook_id      TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_attempt_at TEXT,
  last_status     INTEGER,
  last_error      TEXT,
  delivered_at    TEXT,
  PRIMARY KEY (event_id, webhook_id)
);
CREATE INDEX event_deliveries_due ON event_deliveries(status, next_attempt_at);
`;
