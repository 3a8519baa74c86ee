// Issue 16 (upgrading from the old separate programmes): each import of a Device Enrollment
// Program / Volume Purchase Program export into an organisation, recorded with who made it, when,
// what it brought and the digest of the file, so that the same file is never imported twice.
export const sql = `
CREATE TABLE upgrade_imports (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  imported_by     TEXT NOT NULL,                  -- account id, or 'server-operator' (the CLI)
  imported_by_email TEXT,
  imported_at     TEXT NOT NULL,
  source_digest   TEXT NOT NULL,                  -- sha256 of the export's canonical JSON (docs/upgrade-import.md)
  source_name     TEXT NOT NULL DEFAULT '',       -- the old account's name, as the export gives it
  counts          TEXT NOT NULL,                  -- JSON: servers, devices, orders, purchases, licences, content_tokens, invitations, existing_accounts
  UNIQUE (org_id, source_digest)
);
CREATE INDEX upgrade_imports_org ON upgrade_imports(org_id, imported_at);
`;
