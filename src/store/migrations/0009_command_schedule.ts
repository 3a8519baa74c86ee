// Scheduled delivery of MDM commands (a command is not sent to a channel before `not_before`,
// e.g. RemoveApplication after a revocation's grace period), the wake-up push owed once it is
// due, serial-number lookup of enrolments (installing apps by serial), and each organisation's
// default revocation grace period (Apple: "Revoke apps and books" gives users a grace period).
export const sql = `
ALTER TABLE command_targets ADD COLUMN not_before TEXT;       -- NULL: deliver at once
ALTER TABLE command_targets ADD COLUMN due_pushed_at TEXT;    -- when the wake-up push for a scheduled target was taken
-- Scheduled targets still owed their wake-up push, by due time.
CREATE INDEX command_targets_due ON command_targets(not_before) WHERE not_before IS NOT NULL AND due_pushed_at IS NULL AND active = 1;

CREATE INDEX enrollments_serial ON enrollments(org_id, serial_number);

CREATE TABLE content_install_settings (
  org_id                 TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  revocation_grace_days  INTEGER NOT NULL CHECK (revocation_grace_days BETWEEN 0 AND 30),
  updated_at             TEXT NOT NULL,
  updated_by             TEXT
);
`;
