// The one password policy, applied wherever a password is set (account creation, PATCH of an
// account, sign-up, the demo bootstrap, an administrator's reset). NIST SP 800-63B §5.1.1.2:
// a minimum length, no composition rules, and a check against a list of commonly used or
// compromised passwords. The list (fixtures/common-passwords.txt) holds the 10,000 most common
// passwords of 8 characters or more, in frequency order, taken from the password list of
// @zxcvbn-ts/language-common 4.1.3 (MIT; itself from public breach corpora).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../fixtures.js';
import { invalid } from './errors.js';

/** Creation's minimum since the start; 800-63B's floor for a user-chosen secret. */
export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase; bounds the work of hashing an attacker's input. */
export const MAX_PASSWORD_LENGTH = 256;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    fs.readFileSync(path.join(REPO_ROOT, 'fixtures', 'common-passwords.txt'), 'utf8')
      .split('\n').map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')),
  );
  return common;
}

/**
 * The password `value` if it may be set on the account `email`; otherwise a 400
 * `password_invalid` naming the rule it broke (never echoing the password).
 */
export function acceptablePassword(value: unknown, email?: string): string {
  if (typeof value !== 'string') throw invalid('password_invalid', 'password must be a string', { field: 'password' });
  const length = [...value].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw invalid('password_invalid', `password must be at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password', rule: 'min_length' });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw invalid('password_invalid', `password must be at most ${MAX_PASSWORD_LENGTH} characters`, { field: 'password', rule: 'max_length' });
  }
  const folded = value.trim().toLowerCase();
  if (commonPasswords().has(folded)) {
    throw invalid('password_invalid', 'this password is among the most commonly used: choose another', { field: 'password', rule: 'common' });
  }
  if (email && (folded === email.toLowerCase() || folded === email.split('@')[0]!.toLowerCase())) {
    throw invalid('password_invalid', 'the password cannot be the Managed Apple ID', { field: 'password', rule: 'context' });
  }
  return value;
}
