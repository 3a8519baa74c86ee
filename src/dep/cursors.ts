// Fetch and sync cursors: opaque to clients, tamper-proof (HMAC-SHA-256 over the payload), bound
// to the MDM server that received them, and cheap to follow: a cursor holds positions in the
// device list (assign_seq) and in the op record (device_ops.seq), so that each page is an index
// range scan, never a rescan (fetch-devices, sync-devices).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { loadOrCreateSecretFile } from '../secret-file.js';
import type { CursorState } from '../business/dep-devices.js';
import { depError } from './wire.js';

export type { CursorState };

const TAG_BYTES = 16;

export class CursorCodec {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the cursor key must have at least 32 bytes');
  }

  encode(c: CursorState): string {
    const payload = Buffer.from(JSON.stringify([1, c.afterAssignSeq, c.opSeq, c.issuedAt.getTime(), c.exhausted ? 1 : 0]));
    return `${payload.toString('base64url')}.${this.tag(c.serverId, payload).toString('base64url')}`;
  }

  /** A cursor of this server, or INVALID_CURSOR when malformed, forged or another server's. */
  decode(text: unknown, serverId: string): CursorState {
    if (typeof text !== 'string' || text.length > 1000) throw depError('INVALID_CURSOR');
    const dot = text.indexOf('.');
    if (dot <= 0) throw depError('INVALID_CURSOR');
    const payload = Buffer.from(text.slice(0, dot), 'base64url');
    const tag = Buffer.from(text.slice(dot + 1), 'base64url');
    // The server is bound through the MAC, not written in the cursor: another server's cursor fails here.
    const expected = this.tag(serverId, payload);
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) throw depError('INVALID_CURSOR');
    let v: unknown;
    try {
      v = JSON.parse(payload.toString('utf8'));
    } catch {
      throw depError('INVALID_CURSOR');
    }
    if (!Array.isArray(v) || v[0] !== 1 || v.length !== 5 || !v.slice(1).every((n) => Number.isSafeInteger(n))) throw depError('INVALID_CURSOR');
    const [, a, o, t, x] = v as number[];
    return { serverId, afterAssignSeq: a!, opSeq: o!, issuedAt: new Date(t!), exhausted: x === 1 };
  }

  private tag(serverId: string, payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(`orchard-dep-cursor-v1\0${serverId}\0`).update(payload).digest().subarray(0, TAG_BYTES);
  }
}

/** The cursor key from `<dataDir>/dep-cursor.key` (hex, mode 0600), made on first use. */
export function loadCursorKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'dep-cursor.key');
  const text = loadOrCreateSecretFile(file, () => Buffer.from(randomBytes(32).toString('hex') + '\n')).toString('utf8');
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length >= 32) return key;
  throw new Error(`${file} does not hold a 32-byte hex key`);
}
