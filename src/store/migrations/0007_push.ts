// The MDM push certificate of each organisation (its APNs topic), with the private key sealed
// at rest, and a pending key while a push certificate request is out.
export const sql = `
CREATE TABLE push_certificates (
  org_id            TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  topic             TEXT,
  certificate_pem   TEXT,
  key_sealed        TEXT,
  serial_number     TEXT,
  not_before        TEXT,
  not_after         TEXT,
  uploaded_at       TEXT,
  uploaded_by       TEXT,
  pending_key_sealed TEXT,
  pending_since     TEXT
);
`;
