// Drives a server with the load worker (autocannon in its own process) over a pool of prepared
// requests, and reads the answer.
import path from 'node:path';
import { forkBenchModule, runJob } from './child.js';
import { writePool } from './fleet.js';
import type { PreparedRequest } from './load-devices.js';
import type { LoadJob, LoadResult } from './load-worker.js';

export interface LoadOptions {
  connections: number;
  durationSeconds?: number;
  /** Exactly this many requests (each of the pool once when equal to its length). */
  amount?: number;
  pipelining?: number;
  timeoutSeconds?: number;
}

export async function runLoad(workDir: string, name: string, url: string, pool: PreparedRequest[], o: LoadOptions): Promise<LoadResult> {
  const requestsFile = writePool(path.join(workDir, `pool-${name}.json`), pool);
  const child = forkBenchModule('load-worker');
  try {
    const job: LoadJob = { url, requestsFile, connections: o.connections, durationSeconds: o.durationSeconds, amount: o.amount, pipelining: o.pipelining, timeoutSeconds: o.timeoutSeconds };
    return await runJob<LoadResult>(child, job);
  } finally {
    child.kill();
  }
}

/**
 * Each request of `pool` once, in order per connection; throws when any is not a 2xx. Setup
 * replays (Authenticate, TokenUpdate) wait up to 60 s for an answer: on a machine shared with
 * other work, a request queued behind thousands of others must not be dropped as a timeout.
 */
export async function replayOnce(workDir: string, name: string, url: string, pool: PreparedRequest[], connections: number): Promise<LoadResult> {
  const r = await runLoad(workDir, name, url, pool, { connections: Math.min(connections, pool.length), amount: pool.length, timeoutSeconds: 60 });
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts of ${r.requests}`);
  return r;
}
