// Enrolment: one-time SCEP challenges (stored hashed) and the record of every enrolment profile
// Orchard handed to a device. A refused request writes neither.
export const sql = `
-- A challenge is the shared secret of one SCEP enrolment (RFC 8894 §2.3 challengePassword).
-- Only its SHA-256 is kept; it is consumed once, atomically, and expires.
CREATE TABLE scep_challenges (
  challenge_sha256 TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  purpose          TEXT NOT NULL CHECK (purpose IN ('dep','web','manual')),
  serial_number    TEXT,                         -- bound when issued through /enroll/dep or the web flow
  udid             TEXT,
  created_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  used_at          TEXT,
  issued_cert_sha256 TEXT
);
CREATE INDEX scep_challenges_expiry ON scep_challenges (expires_at);

-- Every enrolment profile served to a device (Automated Device Enrolment, web view, manual).
CREATE TABLE enrollment_profile_deliveries (
  id               INTEGER PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('dep','web','manual')),
  serial_number    TEXT,
  udid             TEXT,
  product          TEXT,
  os_build         TEXT,
  account_id       TEXT,                         -- who signed in (web flow) or downloaded it (manual)
  delivered_at     TEXT NOT NULL
);
CREATE INDEX enrollment_profile_deliveries_serial ON enrollment_profile_deliveries (serial_number);

-- Orchard's own MDM server in each organisation, and the ADE profile it defined for itself.
CREATE TABLE builtin_mdm (
  org_id           TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  server_id        TEXT NOT NULL REFERENCES mdm_servers(id) ON DELETE CASCADE,
  profile_uuid     TEXT NOT NULL
);
`;
