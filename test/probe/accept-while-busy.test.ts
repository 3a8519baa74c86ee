// Issue 17, finding 10: connections that open while the server is busy are accepted and answered
// within a few turns of the event loop, not after the busy connections stop.
//
// The libuv of Node 20 accepts one connection per event-loop turn; before request-turns.ts a turn
// ran the handler of every pending request, so a burst of new connections waited one whole
// round of the busy connections per connection (the cold start's 2–5 s staircase). Counted, never
// timed: how many responses the busy connections received while a burst of new connections was
// getting its first answers. Before the fix that was about one round per new connection (here
// 60 × 40 ≈ 2,400); with handlers in short turns it is a small multiple of the burst.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { OrchardProcess } from '../../src/bench/orchard-process.js';
import { startServer } from './server-process.js';

const BUSY = 60;
const BURST = 40;

function get(url: string, token: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

describe('connections opened while the server is busy (issue 17, finding 10)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let server: OrchardProcess;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchard-accept-'));
    server = await startServer(dataDir);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a burst of 40 new connections while 60 keep-alive connections loop, within a few requests each', async () => {
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const url = `${server.url}/api/v1/organisation`;
    const busyAgent = new http.Agent({ keepAlive: true, maxSockets: BUSY });
    const burstAgent = new http.Agent({ keepAlive: false, maxSockets: BURST });
    let busyAnswers = 0;
    let stop = false;
    const warm = new Set<number>();
    const loops = Array.from({ length: BUSY }, async (_, c) => {
      for (let n = 0; !stop; n++) {
        assert.equal(await get(url, token, busyAgent), 200);
        busyAnswers++;
        if (n >= 3) warm.add(c);
      }
    });
    try {
      // Every busy connection is open and looping before the burst starts.
      while (warm.size < BUSY) await new Promise((r) => setTimeout(r, 20));
      const before = busyAnswers;
      const statuses = await Promise.all(Array.from({ length: BURST }, () => get(url, token, burstAgent)));
      const during = busyAnswers - before;
      assert.deepEqual(statuses, Array(BURST).fill(200));
      // One round of the busy connections per new connection would be BUSY × BURST = 2,400.
      assert.ok(during < (BUSY * BURST) / 2, `the busy connections got ${during} answers while ${BURST} new connections waited for their first`);
    } finally {
      stop = true;
      await Promise.all(loops);
      busyAgent.destroy();
      burstAgent.destroy();
    }
  });
});
