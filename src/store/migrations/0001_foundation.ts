// Organisations, their people and roles, API tokens and portal sessions, locations,
// the audit log and the event outbox.
export const sql = `
CREATE TABLE organisations (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  org_id          TEXT NOT NULL UNIQUE,          -- the organisation ID shown in settings, given to resellers
  duns            TEXT UNIQUE,
  email           TEXT NOT NULL DEFAULT '',
  phone           TEXT NOT NULL DEFAULT '',
  address         TEXT NOT NULL DEFAULT '',
  org_type        TEXT NOT NULL DEFAULT 'org' CHECK (org_type IN ('org','edu')),
  org_version     TEXT NOT NULL DEFAULT 'v2',
  consent_text    TEXT NOT NULL DEFAULT '',
  brand_color     TEXT NOT NULL DEFAULT '#2f7d32',
  terms_version_required INTEGER NOT NULL DEFAULT 1,
  terms_version_accepted INTEGER NOT NULL DEFAULT 0,
  terms_accepted_by TEXT,
  terms_accepted_at TEXT,
  created_at      TEXT NOT NULL
);

CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  email           TEXT NOT NULL UNIQUE COLLATE NOCASE, -- the Managed Apple ID
  given_name      TEXT NOT NULL DEFAULT '',
  family_name     TEXT NOT NULL DEFAULT '',
  password_hash   TEXT,
  active          INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX accounts_org ON accounts(org_id);

CREATE TABLE account_roles (
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('Administrator','PeopleManager','DeviceManager','ContentManager','Staff')),
  PRIMARY KEY (account_id, role)
);

CREATE TABLE locations (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  address         TEXT NOT NULL DEFAULT '',
  country         TEXT NOT NULL DEFAULT 'US',
  currency        TEXT NOT NULL DEFAULT 'USD',
  created_at      TEXT NOT NULL,
  UNIQUE (org_id, name)
);

CREATE TABLE api_tokens (
  id              TEXT PRIMARY KEY,
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,           -- sha256 of the bearer value; the value is never stored
  created_at      TEXT NOT NULL,
  expires_at      TEXT,
  revoked_at      TEXT,
  last_used_at    TEXT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE portal_sessions (
  id_hash         TEXT PRIMARY KEY,
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL
);

CREATE TABLE audit_log (
  id              INTEGER PRIMARY KEY,
  org_id          TEXT,
  actor           TEXT,                           -- account id, 'system', or a machine identity
  actor_email     TEXT,
  action          TEXT NOT NULL,
  target          TEXT,
  outcome         TEXT NOT NULL,                  -- success | denied | failed
  detail          TEXT,
  at              TEXT NOT NULL
);
CREATE INDEX audit_log_org_at ON audit_log(org_id, id);

-- The outbox: written in the same transaction as the change it describes.
CREATE TABLE events (
  id              INTEGER PRIMARY KEY,
  org_id          TEXT,
  type            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX events_org ON events(org_id, id);
`;
