// One-shot digests for the hot paths (every Mdm-Signature hashes the signer certificate and the
// body). crypto.hash (Node ≥ 20.12) digests in one native call; createHash builds a Hash stream
// object first, which costs about as much as hashing a kilobyte. Older Node 20 releases, which
// package.json still admits, fall back to createHash with the same result.
import crypto, { createHash } from 'node:crypto';
import type { DigestName } from './oids.js';

type OneShot = (algorithm: string, data: Buffer, outputEncoding: 'hex' | 'buffer') => string | Buffer;
const oneShot: OneShot | undefined = (crypto as unknown as { hash?: OneShot }).hash;

/** Lowercase hex SHA-256 of `data`. */
export const sha256Hex = (data: Buffer): string =>
  oneShot ? (oneShot('sha256', data, 'hex') as string) : createHash('sha256').update(data).digest('hex');

/** The `algorithm` digest of `data`. */
export const digestOf = (algorithm: DigestName, data: Buffer): Buffer =>
  oneShot ? (oneShot(algorithm, data, 'buffer') as Buffer) : createHash(algorithm).update(data).digest();
