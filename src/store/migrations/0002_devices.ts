// Devices and where they come from (orders, resellers, manual addition), MDM servers with their
// server tokens and per-family defaults, and the op record the Device Assignment API's sync
// reads (Apple: devicemanagement/sync-devices, `op_type` / `op_date`).
export const sql = `
-- Purchase settings: Apple customer numbers and reseller IDs an organisation buys under.
CREATE TABLE org_purchase_ids (
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('customer_number','reseller_id')),
  value           TEXT NOT NULL,
  added_at        TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, value)
);
-- A customer number belongs to one organisation; a reseller sells to many.
CREATE UNIQUE INDEX org_purchase_customer ON org_purchase_ids(value) WHERE kind = 'customer_number';
CREATE INDEX org_purchase_value ON org_purchase_ids(kind, value);

CREATE TABLE resellers (
  reseller_id     TEXT PRIMARY KEY,               -- the DEP reseller ID resellers put in depResellerId
  name            TEXT NOT NULL,
  secret_hash     TEXT NOT NULL,                  -- sha256 of the credential; the value is never stored
  created_at      TEXT NOT NULL
);

CREATE TABLE reseller_transactions (
  id              TEXT PRIMARY KEY,               -- deviceEnrollmentTransactionId
  reseller_id     TEXT NOT NULL REFERENCES resellers(reseller_id),
  received_at     TEXT NOT NULL,
  status          TEXT NOT NULL,                  -- COMPLETE | COMPLETE_WITH_ERRORS | ERROR
  result          TEXT NOT NULL                   -- JSON: per-order outcome
);

CREATE TABLE orders (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  order_number    TEXT NOT NULL,
  order_date      TEXT NOT NULL,
  order_type      TEXT NOT NULL DEFAULT 'OR',     -- last reseller action: OR | OV | RE | VD
  customer_id     TEXT NOT NULL DEFAULT '',
  reseller_id     TEXT,
  po_number       TEXT NOT NULL DEFAULT '',
  transaction_id  TEXT,
  source          TEXT NOT NULL DEFAULT 'reseller' CHECK (source IN ('reseller','fixture')),
  received_at     TEXT NOT NULL,
  available_at    TEXT NOT NULL,                  -- reseller orders show up 24 hours after receipt
  delivered_at    TEXT,                           -- when its devices entered the organisation
  voided_at       TEXT,
  UNIQUE (org_id, order_number)
);
CREATE INDEX orders_pending ON orders(available_at) WHERE delivered_at IS NULL AND voided_at IS NULL;
CREATE INDEX orders_org_date ON orders(org_id, order_date);

CREATE TABLE order_devices (
  order_id        TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  serial_number   TEXT NOT NULL,
  delivery_number TEXT NOT NULL DEFAULT '',
  ship_date       TEXT,
  asset_tag       TEXT NOT NULL DEFAULT '',
  family          TEXT NOT NULL,
  model           TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  color           TEXT NOT NULL DEFAULT '',
  os              TEXT NOT NULL DEFAULT '',
  returned_at     TEXT,
  PRIMARY KEY (order_id, serial_number)
);
CREATE INDEX order_devices_serial ON order_devices(serial_number);

CREATE TABLE mdm_servers (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  server_uuid     TEXT NOT NULL UNIQUE,           -- uppercase UUID, the DEP API's server_uuid
  created_at      TEXT NOT NULL,
  created_by      TEXT,
  is_builtin      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (org_id, name)
);

CREATE TABLE server_tokens (
  id              TEXT PRIMARY KEY,
  server_id       TEXT NOT NULL REFERENCES mdm_servers(id) ON DELETE CASCADE,
  consumer_key    TEXT NOT NULL UNIQUE,
  consumer_secret_sealed TEXT NOT NULL,           -- AES-256-GCM with the data-dir secrets key
  access_token    TEXT NOT NULL UNIQUE,
  access_secret_sealed   TEXT NOT NULL,
  issued_at       TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  revoked_at      TEXT,
  public_key_pem  TEXT NOT NULL,
  public_key_fingerprint TEXT NOT NULL,
  file_name       TEXT NOT NULL,
  smime           TEXT NOT NULL                   -- the .p7m as issued: readable only with the server's key
);
CREATE INDEX server_tokens_server ON server_tokens(server_id, issued_at);

-- The MDM server newly arriving devices of a family are assigned to (Mac, iPhone, iPad, AppleTV).
CREATE TABLE default_servers (
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  family          TEXT NOT NULL CHECK (family IN ('Mac','iPhone','iPad','AppleTV')),
  server_id       TEXT NOT NULL REFERENCES mdm_servers(id) ON DELETE CASCADE,
  PRIMARY KEY (org_id, family)
);

CREATE TABLE devices (
  serial_number   TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  family          TEXT NOT NULL CHECK (family IN ('iPhone','iPad','iPod','Mac','AppleTV')),
  model           TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  color           TEXT NOT NULL DEFAULT '',
  os              TEXT NOT NULL DEFAULT '',
  asset_tag       TEXT NOT NULL DEFAULT '',
  order_number    TEXT NOT NULL DEFAULT '',
  order_date      TEXT,
  source          TEXT NOT NULL CHECK (source IN ('order','manual')),
  added_at        TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  supervised      INTEGER NOT NULL DEFAULT 0,
  provisional_until TEXT,                         -- manual addition: releasable from the device until then
  mdm_server_id   TEXT REFERENCES mdm_servers(id) ON DELETE SET NULL,
  assigned_at     TEXT,
  assigned_by     TEXT,
  assign_seq      INTEGER,                        -- device_ops.seq of the op that added it to its current server
  profile_uuid    TEXT,
  profile_status  TEXT NOT NULL DEFAULT 'empty' CHECK (profile_status IN ('empty','assigned','pushed','removed')),
  profile_assign_time TEXT,
  profile_push_time   TEXT,
  released_at     TEXT                            -- released: in no list until added manually again
);
CREATE INDEX devices_server_seq ON devices(mdm_server_id, assign_seq);
CREATE INDEX devices_org_order ON devices(org_id, order_number);
CREATE INDEX devices_org_family ON devices(org_id, family);

CREATE TABLE device_ops (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  server_id       TEXT NOT NULL,
  serial_number   TEXT NOT NULL,
  op_type         TEXT NOT NULL CHECK (op_type IN ('added','modified','deleted')),
  op_date         TEXT NOT NULL
);
CREATE INDEX device_ops_server_seq ON device_ops(server_id, seq);
`;
