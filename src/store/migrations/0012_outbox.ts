// The outbox (issue 16): every email Orchard sends (sign-up review, invitations) is a row here and
// an RFC 5322 .eml file in <data dir>/outbox/, which operators and tests read. The row is written
// in the same transaction as the change that owes the email, so none is lost or sent twice.
export const sql = `
CREATE TABLE outbox (
  id               TEXT PRIMARY KEY,
  created_at       TEXT NOT NULL,
  "to"             TEXT NOT NULL,           -- the recipient address, lower case
  subject          TEXT NOT NULL,
  kind             TEXT NOT NULL,           -- what the mail is for: signup_status, signup_validation, invitation...
  organisation_id  TEXT REFERENCES organisations(id) ON DELETE CASCADE,
  eml              TEXT NOT NULL            -- the whole message as sent (RFC 5322)
);
CREATE INDEX outbox_to ON outbox("to", created_at);
CREATE INDEX outbox_org ON outbox(organisation_id, created_at) WHERE organisation_id IS NOT NULL;
`;
