// The sign-in throttle's own rules, which the wire tests (accounts-security.test.ts) cannot
// reach in reasonable time: failures are forgotten after an hour without one, the lock is capped
// at 15 minutes, and the memory it holds is bounded.
import assert from 'node:assert/strict';
import { AdjustableClock } from '../../../src/clock.js';
import { SignInThrottle, type SignInKey } from '../../../src/business/sign-in-throttle.js';

const id = (v: string): SignInKey[] => [{ kind: 'identifier', value: v }];

describe('SignInThrottle', () => {
  it('caps the lock at 15 minutes however many failures, and forgets after an hour without one', () => {
    const clock = new AdjustableClock();
    clock.freeze(new Date('2026-12-01T00:00:00Z'));
    const t = new SignInThrottle(clock);
    for (let i = 0; i < 5; i++) assert.equal(t.begin(id('a')).retryAfterMs, 0);
    for (let i = 0; i < 40; i++) {
      const wait = t.begin(id('a')).retryAfterMs;
      assert.ok(wait > 0 && wait <= 15 * 60_000);
      clock.advance(wait); // the next attempt comes just as the lock opens, and fails
      assert.equal(t.begin(id('a')).retryAfterMs, 0);
    }
    assert.equal(t.begin(id('a')).retryAfterMs, 15 * 60_000);
    clock.advance(60 * 60_000 + 1);
    const fresh = t.begin(id('a'));
    assert.deepEqual(fresh, { retryAfterMs: 0, failures: 1 });
  });

  it('holds at most 100,000 keys, forgetting the oldest first', () => {
    const clock = new AdjustableClock();
    const t = new SignInThrottle(clock);
    for (let i = 0; i < 5; i++) t.begin(id('oldest'));
    assert.ok(t.begin(id('oldest')).retryAfterMs > 0);
    for (let i = 0; i < 100_000; i++) t.begin(id(`spray-${i}`));
    assert.equal(t.begin(id('oldest')).retryAfterMs, 0);
    assert.equal((t as any).entries.size, 100_000);
  });
});
