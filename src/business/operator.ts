// The server operator: whoever runs this Orchard, not an account of any organisation. Their
// credential is a bearer token kept in <data dir>/operator-token (0600); only its SHA-256 is held
// here. It opens the operator's tools (test controls, the simulated factory for any serial) and
// acts on no organisation: organisation routes refuse it.
import { createHash, timingSafeEqual } from 'node:crypto';

export const OPERATOR_TOKEN_PREFIX = 'orch_op_';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class OperatorCredential {
  private readonly expected: Buffer;
  constructor(token: string) {
    if (!token.startsWith(OPERATOR_TOKEN_PREFIX)) throw new Error(`an operator token starts with ${OPERATOR_TOKEN_PREFIX}`);
    this.expected = digest(token);
  }
  /** Constant-time comparison of digests, so the token cannot be guessed byte by byte. */
  matches(token: string): boolean {
    return token.startsWith(OPERATOR_TOKEN_PREFIX) && timingSafeEqual(digest(token), this.expected);
  }
}
