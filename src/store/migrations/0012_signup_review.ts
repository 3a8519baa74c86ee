// Sign-up with review (issue 16): an application, reviewed by the server operator, confirmed by
// the organisation's validation contact, activated by its first Administrator; the terms versions
// the operator publishes; the Apps and Books terms and billing information each organisation
// accepts before its first purchase.
export const sql = `
CREATE TABLE signup_applications (
  id                      TEXT PRIMARY KEY,
  state                   TEXT NOT NULL CHECK (state IN ('submitted','question','approved','rejected','activating','live')),
  legal_name              TEXT NOT NULL,
  address                 TEXT NOT NULL,
  phone                   TEXT NOT NULL,
  website                 TEXT NOT NULL,
  duns                    TEXT NOT NULL,
  email                   TEXT NOT NULL,          -- the applicant's business email
  applicant_given_name    TEXT NOT NULL,
  applicant_family_name   TEXT NOT NULL,
  contact_name            TEXT NOT NULL,          -- the validation contact
  contact_email           TEXT NOT NULL,
  question                TEXT,                   -- the operator's open question (state question)
  answer                  TEXT,                   -- the applicant's last answer
  decision_reason         TEXT,                   -- why it was rejected
  status_token_hash       TEXT NOT NULL UNIQUE,   -- the applicant's status link (SHA-256)
  status_expires_at       TEXT NOT NULL,
  link_token_hash         TEXT UNIQUE,            -- the one-time link of the current step (validation or activation)
  link_expires_at         TEXT,
  admin_email             TEXT,                   -- the first Administrator, once the contact has named them
  admin_given_name        TEXT,
  admin_family_name       TEXT,
  organisation_id         TEXT REFERENCES organisations(id),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
);
CREATE INDEX signup_applications_state ON signup_applications(state, created_at);
-- At most one application under review or live per D-U-N-S number.
CREATE UNIQUE INDEX signup_applications_duns_open ON signup_applications(duns) WHERE state <> 'rejected';

-- Every step, as both the applicant and the operator see it.
CREATE TABLE signup_events (
  id              INTEGER PRIMARY KEY,
  application_id  TEXT NOT NULL REFERENCES signup_applications(id) ON DELETE CASCADE,
  at              TEXT NOT NULL,
  actor           TEXT NOT NULL CHECK (actor IN ('applicant','operator','validation_contact','administrator')),
  kind            TEXT NOT NULL,
  detail          TEXT
);
CREATE INDEX signup_events_application ON signup_events(application_id, id);

CREATE TABLE terms_versions (
  version       INTEGER PRIMARY KEY,
  published_at  TEXT NOT NULL,
  summary       TEXT NOT NULL
);
INSERT INTO terms_versions (version, published_at, summary) VALUES (1, '2026-01-01T00:00:00.000Z', 'Orchard terms and conditions');

-- Apps and Books: its own terms and the billing information, before the first purchase.
ALTER TABLE organisations ADD COLUMN content_terms_accepted_at TEXT;
ALTER TABLE organisations ADD COLUMN content_terms_accepted_by TEXT;
ALTER TABLE organisations ADD COLUMN billing TEXT;        -- JSON {name, email, address, tax_id?}
`;
