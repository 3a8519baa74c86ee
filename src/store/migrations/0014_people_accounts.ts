// Issue 16 (accounts, domains, locations): an account's middle name, location and contact
// email, invitations to set a password, and the domains an organisation claims for its Managed Apple IDs, proven by a DNS TXT record.
export const sql = `
ALTER TABLE accounts ADD COLUMN middle_name TEXT NOT NULL DEFAULT '';
-- The location an account belongs to; a location cannot be deleted while an account names it.
ALTER TABLE accounts ADD COLUMN location_id TEXT REFERENCES locations(id) ON DELETE RESTRICT;
CREATE INDEX accounts_location ON accounts(location_id) WHERE location_id IS NOT NULL;
-- Where mail for the person goes (invitations); absent: the Managed Apple ID itself.
ALTER TABLE accounts ADD COLUMN contact_email TEXT;

-- One-time links to set a new account's password. Only a hash of the token is kept; a resend
-- revokes the pending one. used_at / revoked_at make a replay recognisable (and audited).
CREATE TABLE invitations (
  id              TEXT PRIMARY KEY,
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  token_hash      TEXT NOT NULL UNIQUE,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  used_at         TEXT,
  revoked_at      TEXT
);
CREATE INDEX invitations_account ON invitations(account_id);

CREATE TABLE domains (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL COLLATE NOCASE,   -- lower case, no trailing dot
  txt_token       TEXT NOT NULL,                  -- the value to publish: orchard-domain-verification=<token>
  verified_at     TEXT,                           -- set once the TXT record was seen
  created_at      TEXT NOT NULL,
  UNIQUE (org_id, name)
);
-- A domain is claimed by one organisation only once verified: at most one verified row per name.
CREATE UNIQUE INDEX domains_verified_name ON domains(name) WHERE verified_at IS NOT NULL;

-- Federated authentication (OpenID Connect): a verified domain linked to an identity provider.
CREATE TABLE federations (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  domain_id       TEXT NOT NULL UNIQUE REFERENCES domains(id) ON DELETE CASCADE,
  issuer          TEXT NOT NULL,
  client_id       TEXT NOT NULL,
  client_secret   TEXT NOT NULL,
  enabled_at      TEXT,
  created_at      TEXT NOT NULL
);
-- A sign-in in flight: state, nonce and PKCE verifier, used once.
CREATE TABLE oidc_logins (
  state           TEXT PRIMARY KEY,
  federation_id   TEXT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
  nonce           TEXT NOT NULL,
  code_verifier   TEXT NOT NULL,
  expires_at      TEXT NOT NULL
);
-- '<issuer> <sub>' of the provider's account mapped to this one; 'migrated' accounts (federated
-- = 1) are mapped by their Managed Apple ID on their first federated sign-in.
ALTER TABLE accounts ADD COLUMN federated_subject TEXT;
ALTER TABLE accounts ADD COLUMN federated INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX accounts_federated_subject ON accounts(federated_subject) WHERE federated_subject IS NOT NULL;
`;
