// kill -9 under a write load, a few rounds (test/probe/kill-loop.ts; `npm run soak` runs many):
// no acknowledged write is ever lost, integrity holds, licence pools equal purchases.
import assert from 'node:assert/strict';
import { runKillLoop } from './kill-loop.js';

describe('kill -9 under a write load (issue 17: keep probing)', function () {
  this.timeout(600_000);
  it('keeps every acknowledged write across SIGKILLs, with integrity and licence pools intact', async () => {
    const rounds = Number(process.env.SOAK_KILL_ROUNDS ?? 3);
    const f = await runKillLoop(rounds);
    assert.equal(f.lost, 0);
    assert.equal(f.faults, 0, 'a write was answered 5xx');
    assert.ok(f.acknowledged > 0, 'the load acknowledged no write: the loop proved nothing');
  });
});
