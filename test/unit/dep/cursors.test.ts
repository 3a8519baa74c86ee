import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CursorCodec } from '../../../src/dep/cursors.js';
import { DepError } from '../../../src/dep/wire.js';

const invalid = (e: unknown) => e instanceof DepError && e.status === 400 && e.body === 'INVALID_CURSOR';

describe('DEP cursors', () => {
  const codec = new CursorCodec(randomBytes(32));
  const state = { serverId: 'srv-1', afterAssignSeq: 41, opSeq: 99, issuedAt: new Date('2026-11-26T12:00:00.000Z'), exhausted: false };

  it('round-trips a position for the server it was issued to', () => {
    assert.deepEqual(codec.decode(codec.encode(state), 'srv-1'), state);
  });

  it('is opaque and URL/JSON safe', () => {
    const c = codec.encode(state);
    assert.match(c, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(!c.includes('srv-1'));
  });

  it('refuses another server, a forged payload, a foreign key and garbage as INVALID_CURSOR', () => {
    const c = codec.encode(state);
    assert.throws(() => codec.decode(c, 'srv-2'), invalid);
    const forged = Buffer.from(JSON.stringify([1, 'srv-1', 0, 0, state.issuedAt.getTime(), 0])).toString('base64url') + c.slice(c.indexOf('.'));
    assert.throws(() => codec.decode(forged, 'srv-1'), invalid);
    assert.throws(() => new CursorCodec(randomBytes(32)).decode(c, 'srv-1'), invalid);
    for (const g of ['', 'abc', 'a.b', 42, null, 'x'.repeat(1001)]) assert.throws(() => codec.decode(g, 'srv-1'), invalid);
  });
});
