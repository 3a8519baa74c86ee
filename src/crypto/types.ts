// Shared types of the crypto module. Certificates are Node's native X509Certificate
// everywhere (DER in `.raw`, PEM from `.toString()`, `.fingerprint256`, `.verify(key)`),
// private keys are native KeyObjects: every private-key operation runs in OpenSSL.
import type { KeyObject, X509Certificate } from 'node:crypto';

/** A certificate with its private key, and the intermediates above it (root excluded). */
export interface Identity {
  cert: X509Certificate;
  key: KeyObject;
  chain?: X509Certificate[];
}

/** Anything wrong with cryptographic input: a bad signature, an unparsable structure, ... */
export class CryptoError extends Error {
  /** A short machine-readable reason, e.g. 'bad-signature', 'malformed', 'untrusted-chain'. */
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.reason = reason;
  }
}
