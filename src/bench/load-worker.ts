// The HTTP load generator, in its own process: autocannon cycling through a pool of
// pre-built requests (each device's own signed bodies), reporting req/s and latencies.
import autocannon from 'autocannon';
import fs from 'node:fs';

export interface LoadJob {
  url: string;
  /** JSON file: an array of { method, path, headers, body (base64) }. */
  requestsFile: string;
  connections: number;
  durationSeconds?: number;
  amount?: number;
  pipelining?: number;
  /** A request not answered within this many seconds counts as a timeout (autocannon's default: 10). */
  timeoutSeconds?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
}

process.on('message', async (job: LoadJob) => {
  try {
    const pool = (JSON.parse(fs.readFileSync(job.requestsFile, 'utf8')) as Array<{ method: string; path: string; headers: Record<string, string>; body?: string }>).map((r) => ({
      method: r.method, path: r.path, headers: r.headers, body: r.body ? Buffer.from(r.body, 'base64') : undefined,
    }));
    let i = 0;
    const result = await autocannon({
      url: job.url,
      connections: job.connections,
      pipelining: job.pipelining ?? 1,
      timeout: job.timeoutSeconds ?? 10,
      ...(job.amount ? { amount: job.amount } : { duration: job.durationSeconds ?? 10 }),
      requests: [{
        setupRequest: (req: any) => {
          const r = pool[i++ % pool.length]!;
          return { ...req, method: r.method, path: r.path, headers: { ...r.headers }, body: r.body };
        },
      }],
    } as any);
    const out: LoadResult = {
      requests: result.requests.total, rps: result.requests.average,
      p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max,
      non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, durationSeconds: result.duration,
    };
    process.send!(out);
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) });
  }
});
