// Fetch and sync cursors: opaque to clients, tamper-proof (HMAC-SHA-256 over the payload), bound
// to the MDM server that received them, and cheap to follow: a cursor holds positions in the
// device list (assign_seq) and in the op record (device_ops.seq), so that each page is an index
// range scan, never a rescan (fetch-devices, sync-devices).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeSecretFile } from '../bootstrap.js';
import type { CursorState } from '../business/dep-devices.js';
import { depError } from './wire.js';

export type { CursorState };

const TAG_BYTES = 16;

export class CursorCodec {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the cursor key must have at least 32 bytes');
  }

  encode(c: CursorState): string {
    const payload = Buffer.from(JSON.stringify([1, c.serverId, c.afterAssignSeq, c.opSeq, c.issuedAt.getTime(), c.exhausted ? 1 : 0]));
    return `${payload.toString('base64url')}.${this.tag(payload).toString('base64url')}`;
  }

  /** A cursor of this server, or INVALID_CURSOR when malformed, forged or another server's. */
  decode(text: unknown, serverId: string): CursorState {
    if (typeof text !== 'string' || text.length > 1000) throw depError('INVALID_CURSOR');
    const dot = text.indexOf('.');
    if (dot <= 0) throw depError('INVALID_CURSOR');
    const payload = Buffer.from(text.slice(0, dot), 'base64url');
    const tag = Buffer.from(text.slice(dot + 1), 'base64url');
    const expected = this.tag(payload);
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) throw depError('INVALID_CURSOR');
    let v: unknown;
    try {
      v = JSON.parse(payload.toString('utf8'));
    } catch {
      throw depError('INVALID_CURSOR');
    }
    if (!Array.isArray(v) || v[0] !== 1 || v.length !== 6) throw depError('INVALID_CURSOR');
    const [, sid, a, o, t, x] = v as [number, string, number, number, number, number];
    if (sid !== serverId) throw depError('INVALID_CURSOR');
    return { serverId: sid, afterAssignSeq: a, opSeq: o, issuedAt: new Date(t), exhausted: x === 1 };
  }

  private tag(payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update('orchard-dep-cursor-v1\0').update(payload).digest().subarray(0, TAG_BYTES);
  }
}

/** The cursor key from `<dataDir>/dep-cursor.key` (hex, mode 0600), made on first use. */
export function loadCursorKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'dep-cursor.key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length >= 32) return key;
    throw new Error(`${file} does not hold a 32-byte hex key`);
  }
  const key = randomBytes(32);
  writeSecretFile(file, key.toString('hex') + '\n');
  return key;
}
