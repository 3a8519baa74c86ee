import assert from 'node:assert/strict';
import { fullJitterDelay, Limiter } from '../../../src/apns/backoff.js';

describe('fullJitterDelay', () => {
  const policy = { attempts: 6, baseMs: 100, maxMs: 1000 };
  it('draws below a ceiling that doubles per retry', () => {
    assert.deepEqual([1, 2, 3, 4].map((r) => fullJitterDelay(r, policy, () => 0.5)), [50, 100, 200, 400]);
  });
  it('caps the ceiling at maxMs', () => {
    assert.equal(fullJitterDelay(10, policy, () => 0.999), 999);
  });
  it('can be zero (full jitter)', () => {
    assert.equal(fullJitterDelay(3, policy, () => 0), 0);
  });
});

describe('Limiter', () => {
  it('admits at most `limit` holders and serves waiters in order', async () => {
    const lim = new Limiter(2);
    const order: number[] = [];
    await lim.acquire();
    await lim.acquire();
    const waits = [3, 4].map((n) => lim.acquire().then(() => order.push(n)));
    await Promise.resolve();
    assert.deepEqual(order, []);
    lim.release();
    await waits[0];
    assert.deepEqual(order, [3]);
    lim.release();
    await waits[1];
    assert.deepEqual(order, [3, 4]);
  });
  it('refuses a limit below 1', () => {
    assert.throws(() => new Limiter(0), RangeError);
  });
});
