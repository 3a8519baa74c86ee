// The DEP serialiser prints stored ISO text to the second without a Date: same answer as isoSeconds.
import assert from 'node:assert/strict';
import { isoSeconds } from '../../../src/clock.js';
import { depSeconds } from '../../../src/dep/serialise.js';
import { toDb } from '../../../src/store/db.js';

describe('depSeconds', () => {
  it('cuts stored toISOString text as isoSeconds prints the Date', () => {
    for (const d of [new Date('2026-01-01T00:00:00.000Z'), new Date('2026-11-26T14:18:26.999Z'), new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 1))]) {
      assert.equal(depSeconds(toDb(d)), isoSeconds(d));
      assert.equal(depSeconds(d), isoSeconds(d));
    }
    assert.equal(depSeconds('2026-11-26T14:18:26.123Z'), '2026-11-26T14:18:26Z');
  });

  it('reads other text through a Date', () => {
    assert.equal(depSeconds('2026-11-26T14:18:26Z'), '2026-11-26T14:18:26Z');
    assert.equal(depSeconds('+012026-01-01T00:00:00.000Z'), isoSeconds(new Date('+012026-01-01T00:00:00.000Z')));
  });
});
