// Random values, digests and sealing of secrets at rest. Everything here runs in OpenSSL.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { CryptoError } from './types.js';

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** `bytes` random bytes as unpadded base64url (RFC 4648 §5), safe in URLs and headers. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 as lowercase hex; strings are hashed as UTF-8. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** HMAC-SHA-256 of `data` under `key`, as raw bytes. */
export function hmacSha256(key: Buffer | string, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first so
 * that unequal lengths neither throw nor leak through an early return.
 */
export function timingSafeEqualStr(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

const SEAL_VERSION = 'v1:';
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new CryptoError('bad-key', 'a sealing key must be 32 bytes (AES-256)');
}

/**
 * Seals a secret with AES-256-GCM: `v1:` + base64(iv | tag | ciphertext). The version prefix
 * lets a later format (or key rotation) coexist with stored v1 values.
 */
export function sealSecret(plaintext: Buffer | string, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return SEAL_VERSION + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** True when `value` looks like the output of sealSecret (the at-rest migration skips those). */
export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(SEAL_VERSION);

/** Opens a value made by sealSecret; throws CryptoError 'malformed' or 'bad-signature' (wrong key or tampered). */
export function openSealed(sealed: string, key: Buffer): Buffer {
  checkKey(key);
  if (!sealed.startsWith(SEAL_VERSION)) throw new CryptoError('malformed', 'unknown sealed-secret version');
  const raw = Buffer.from(sealed.slice(SEAL_VERSION.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new CryptoError('malformed', 'sealed secret is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CryptoError('bad-signature', 'sealed secret failed authentication (wrong key or tampered)');
  }
}
