import assert from 'node:assert/strict';
import { FaultPlan } from '../../../src/apns/simulator-faults.js';

describe('FaultPlan', () => {
  it('drops first, then forced answers in order, then nothing', () => {
    const f = new FaultPlan(() => 0);
    f.forceNext(2, { status: 429, reason: 'TooManyRequests' });
    f.forceNext(1, { status: 410, reason: 'Unregistered' });
    f.dropNext(1);
    assert.deepEqual([f.next(), f.next(), f.next(), f.next(), f.next()], [
      { kind: 'drop' },
      { kind: 'answer', status: 429, reason: 'TooManyRequests' },
      { kind: 'answer', status: 429, reason: 'TooManyRequests' },
      { kind: 'answer', status: 410, reason: 'Unregistered' },
      undefined,
    ]);
  });

  it('splits one random draw between 429, 500 and 503 by rate', () => {
    let r = 0;
    const f = new FaultPlan(() => r);
    f.setRates({ tooManyRequests: 0.1, internalServerError: 0.2, serviceUnavailable: 0.3 });
    const at = (x: number) => ((r = x), f.next());
    assert.deepEqual(at(0.05), { kind: 'answer', status: 429, reason: 'TooManyRequests' });
    assert.deepEqual(at(0.25), { kind: 'answer', status: 500, reason: 'InternalServerError' });
    assert.deepEqual(at(0.55), { kind: 'answer', status: 503, reason: 'ServiceUnavailable' });
    assert.equal(at(0.65), undefined);
  });

  it('refuses rates outside 0..1 or adding up past 1', () => {
    const f = new FaultPlan(() => 0);
    assert.throws(() => f.setRates({ tooManyRequests: -0.1 }), RangeError);
    assert.throws(() => f.setRates({ tooManyRequests: 0.6, serviceUnavailable: 0.6 }), RangeError);
  });

  it('reset clears everything', () => {
    const f = new FaultPlan(() => 0);
    f.setRates({ tooManyRequests: 1 });
    f.dropNext(3);
    f.reset();
    assert.equal(f.next(), undefined);
  });
});
