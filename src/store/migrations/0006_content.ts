// Content (issue 8): the App Store stand-in's custom apps, VPP credit and company cards,
// volume purchases and per-location licence pools, transfers, content tokens, and the
// Apps and Books API's libraries, users, assignments and asynchronous events.
export const sql = `
-- Developers who publish custom apps to one organisation (Orchard's stand-in for App Store Connect).
CREATE TABLE content_developers (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  key_hash        TEXT NOT NULL UNIQUE,          -- sha256 of the developer API key; the key is never stored
  created_at      TEXT NOT NULL
);

CREATE TABLE custom_apps (
  adam_id         TEXT PRIMARY KEY,
  developer_id    TEXT NOT NULL REFERENCES content_developers(id),
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE, -- the only organisation that sees it
  name            TEXT NOT NULL,
  bundle_id       TEXT NOT NULL,
  category        TEXT NOT NULL,
  platforms       TEXT NOT NULL,                 -- JSON array of supportedPlatforms values
  ios_devices     TEXT NOT NULL DEFAULT '[]',    -- JSON array: iPhone, iPad
  min_os          TEXT NOT NULL DEFAULT '{}',    -- JSON object platform -> version
  price_minor     INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
  device_assignable INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL
);
CREATE INDEX custom_apps_org ON custom_apps(org_id);

CREATE TABLE custom_app_versions (
  adam_id         TEXT NOT NULL REFERENCES custom_apps(adam_id) ON DELETE CASCADE,
  version         TEXT NOT NULL,
  review_status   TEXT NOT NULL CHECK (review_status IN ('waiting_for_review','approved','rejected')),
  review_notes    TEXT NOT NULL DEFAULT '',
  submitted_at    TEXT NOT NULL,
  reviewed_at     TEXT,
  PRIMARY KEY (adam_id, version)
);

-- A location's VPP credit: a balance in the location's currency, in minor units.
CREATE TABLE vpp_credit (
  location_id     TEXT PRIMARY KEY REFERENCES locations(id) ON DELETE CASCADE,
  currency        TEXT NOT NULL,
  balance_minor   INTEGER NOT NULL DEFAULT 0 CHECK (balance_minor >= 0)
);

CREATE TABLE vpp_credit_codes (
  code_hash       TEXT PRIMARY KEY,              -- sha256 of the normalised code
  currency        TEXT NOT NULL,
  amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
  issued_at       TEXT NOT NULL,
  redeemed_at     TEXT,
  redeemed_location_id TEXT REFERENCES locations(id) ON DELETE SET NULL,
  redeemed_by     TEXT
);

-- Company cards are recorded, never stored: a label and the last four digits only.
CREATE TABLE company_cards (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  label           TEXT NOT NULL,
  last4           TEXT NOT NULL CHECK (length(last4) = 4),
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  removed_at      TEXT
);
CREATE INDEX company_cards_org ON company_cards(org_id);

CREATE TABLE content_purchases (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  location_id     TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  adam_id         TEXT NOT NULL,
  product_type    TEXT NOT NULL CHECK (product_type IN ('App','Book')),
  name            TEXT NOT NULL,
  pricing_param   TEXT NOT NULL DEFAULT 'STDQ',
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_minor INTEGER NOT NULL,
  total_minor     INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  payment_method  TEXT NOT NULL CHECK (payment_method IN ('vpp_credit','card','free')),
  card_id         TEXT REFERENCES company_cards(id),
  purchased_by    TEXT NOT NULL,
  purchased_at    TEXT NOT NULL
);
CREATE INDEX content_purchases_org ON content_purchases(org_id, purchased_at);

-- The licences a location owns per asset; assigned counts come from licence_assignments.
CREATE TABLE licence_pools (
  location_id     TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  adam_id         TEXT NOT NULL,
  pricing_param   TEXT NOT NULL DEFAULT 'STDQ',
  product_type    TEXT NOT NULL CHECK (product_type IN ('App','Book')),
  total_count     INTEGER NOT NULL DEFAULT 0 CHECK (total_count >= 0),
  PRIMARY KEY (location_id, adam_id, pricing_param)
);

CREATE TABLE licence_transfers (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  from_location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  to_location_id  TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  adam_id         TEXT NOT NULL,
  pricing_param   TEXT NOT NULL DEFAULT 'STDQ',
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  transferred_by  TEXT NOT NULL,
  transferred_at  TEXT NOT NULL
);
CREATE INDEX licence_transfers_org ON licence_transfers(org_id, transferred_at);

-- One Apps and Books library per location: its uId, the version counter behind versionId,
-- and the client configuration an MDM sets (mdmInfo, notification settings).
CREATE TABLE vpp_libraries (
  location_id     TEXT PRIMARY KEY REFERENCES locations(id) ON DELETE CASCADE,
  uid             TEXT NOT NULL UNIQUE,
  version         INTEGER NOT NULL DEFAULT 0,
  mdm_id          TEXT,
  mdm_name        TEXT,
  mdm_metadata    TEXT,
  notification_url TEXT,
  notification_auth_token TEXT,
  notification_types TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE content_tokens (
  id              TEXT PRIMARY KEY,
  location_id     TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  token_hash      TEXT NOT NULL UNIQUE,          -- sha256 of the opaque token; the token is never stored
  issued_at       TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  revoked_at      TEXT,
  issued_by       TEXT NOT NULL
);
CREATE INDEX content_tokens_location ON content_tokens(location_id);

-- A licence in use: one asset of one location to exactly one device serial or one user.
CREATE TABLE licence_assignments (
  id              INTEGER PRIMARY KEY,
  location_id     TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  adam_id         TEXT NOT NULL,
  pricing_param   TEXT NOT NULL DEFAULT 'STDQ',
  serial_number   TEXT,
  client_user_id  TEXT,
  assigned_at     TEXT NOT NULL,
  version         INTEGER NOT NULL,
  CHECK ((serial_number IS NULL) <> (client_user_id IS NULL))
);
CREATE UNIQUE INDEX licence_assignments_device ON licence_assignments(location_id, adam_id, pricing_param, serial_number) WHERE serial_number IS NOT NULL;
CREATE UNIQUE INDEX licence_assignments_user ON licence_assignments(location_id, adam_id, pricing_param, client_user_id) WHERE client_user_id IS NOT NULL;
CREATE INDEX licence_assignments_version ON licence_assignments(location_id, version);

CREATE TABLE vpp_users (
  location_id     TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  client_user_id  TEXT NOT NULL,
  email           TEXT,
  managed_apple_id TEXT,
  status          TEXT NOT NULL CHECK (status IN ('Registered','Associated','Retired')),
  invite_code     TEXT UNIQUE,
  id_hash         TEXT,                           -- hash of the personal Apple Account; the account itself is never kept
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (location_id, client_user_id)
);
CREATE INDEX vpp_users_version ON vpp_users(location_id, version);

-- Asynchronous Apps and Books operations: written PENDING with the request, then processed
-- in one transaction that applies the change and records the outcome.
CREATE TABLE vpp_events (
  id              TEXT PRIMARY KEY,
  location_id     TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  event_type      TEXT NOT NULL CHECK (event_type IN ('ASSOCIATE','DISASSOCIATE','REVOKE','CREATE','UPDATE','RETIRE')),
  status          TEXT NOT NULL CHECK (status IN ('PENDING','COMPLETE','FAILED')),
  request         TEXT NOT NULL,
  num_requested   INTEGER NOT NULL,
  num_completed   INTEGER NOT NULL DEFAULT 0,
  failures        TEXT NOT NULL DEFAULT '[]',
  created_at      TEXT NOT NULL,
  completed_at    TEXT
);
CREATE INDEX vpp_events_pending ON vpp_events(created_at) WHERE status = 'PENDING';
`;
