// The Device Assignment API's own state: ADE profiles defined by MDM servers (every field of
// Apple's Profile object, developer.apple.com/documentation/devicemanagement/profile) and the
// OAuth nonces seen at /session, kept for the timestamp window. Profile assignment itself lives
// on devices (profile_uuid, profile_status, …) with its ops in device_ops (0002).
export const sql = `
CREATE TABLE dep_profiles (
  profile_uuid    TEXT PRIMARY KEY,               -- uppercase hex, no dashes, as Apple's
  server_id       TEXT NOT NULL REFERENCES mdm_servers(id) ON DELETE CASCADE,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  profile_name    TEXT NOT NULL,
  url             TEXT,
  configuration_web_url TEXT,
  allow_pairing   INTEGER NOT NULL DEFAULT 1,
  is_supervised   INTEGER NOT NULL DEFAULT 0,
  is_multi_user   INTEGER NOT NULL DEFAULT 0,
  is_mandatory    INTEGER NOT NULL DEFAULT 0,
  await_device_configured INTEGER NOT NULL DEFAULT 0,
  is_mdm_removable INTEGER NOT NULL DEFAULT 1,
  auto_advance_setup INTEGER NOT NULL DEFAULT 0,
  do_not_use_profile_from_backup INTEGER NOT NULL DEFAULT 0,
  is_return_to_service INTEGER NOT NULL DEFAULT 0,
  support_phone_number  TEXT,
  support_email_address TEXT,
  org_magic       TEXT,
  department      TEXT,
  language        TEXT,
  region          TEXT,
  anchor_certs    TEXT NOT NULL DEFAULT '[]',     -- JSON array of base64 DER certificates
  supervising_host_certs TEXT NOT NULL DEFAULT '[]',
  skip_setup_items TEXT NOT NULL DEFAULT '[]',    -- JSON array of SkipKeys
  created_at      TEXT NOT NULL
);
CREATE INDEX dep_profiles_server ON dep_profiles(server_id, created_at);

CREATE TABLE dep_oauth_nonces (
  consumer_key    TEXT NOT NULL,
  nonce           TEXT NOT NULL,
  timestamp       INTEGER NOT NULL,
  keep_until      TEXT NOT NULL,
  PRIMARY KEY (consumer_key, nonce, timestamp)
) WITHOUT ROWID;
CREATE INDEX dep_oauth_nonces_keep ON dep_oauth_nonces(keep_until);
`;
