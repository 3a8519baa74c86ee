// Cold-start latency of admin reads (issue 17, finding 10): a fresh `orchard serve`, then N
// connections that each loop over admin reads for a few seconds. Prints the latency of the
// requests sent in the first second (max, p99) and over the whole run, and the timeouts.
// Run: `npx tsx src/bench/cold-start.ts [connections=200] [seconds=5] [--cpu-prof DIR] [--waves]`
// (--waves: first three waves of one request per connection, server CPU per request each).
// A measurement, never a test: figures go to SECURITY.md.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startOrchardProcess } from './orchard-process.js';
import { cpuSecondsOf } from './processes.js';

const READS = ['/api/v1/purchases/summary', '/api/v1/devices', '/api/v1/organisation', '/api/v1/mdm-servers', '/api/v1/locations', '/api/v1/purchases', '/api/v1/orders', '/api/v1/catalog', '/api/v1/me'];
const TIMEOUT_MS = 10_000;

function get(url: string, token: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` }, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(-1));
  });
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : 0);

async function main() {
  const args = process.argv.slice(2);
  const profAt = args.indexOf('--cpu-prof');
  const cpuProfDir = profAt >= 0 ? path.resolve(args.splice(profAt, 2)[1]!) : undefined;
  const connections = Number(args.filter((a) => !a.startsWith('--'))[0] ?? 200);
  const seconds = Number(args.filter((a) => !a.startsWith('--'))[1] ?? 5);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchard-cold-'));
  const orchard = await startOrchardProcess(dataDir, { cpuProfDir });
  const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  // Server CPU per request in three waves of one request per connection, all sent at once: the
  // first wave is the cold start. CPU time is the server's own, whatever else the machine runs.
  const waves: Array<{ cpu_ms_per_request: number; max_ms: number }> = [];
  if (args.includes('--waves')) {
    for (let w = 0; w < 3; w++) {
      const cpu0 = cpuSecondsOf(orchard.pid)!;
      const lat = await Promise.all(Array.from({ length: connections }, async (_, c) => {
        const at = performance.now();
        await get(orchard.url + READS[c % READS.length]!, token, agent);
        return performance.now() - at;
      }));
      waves.push({ cpu_ms_per_request: Math.round(((cpuSecondsOf(orchard.pid)! - cpu0) * 1000 / connections) * 100) / 100, max_ms: Math.round(Math.max(...lat)) });
    }
  }
  const samples: Array<{ at: number; ms: number; status: number; path: string }> = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    for (let i = c; performance.now() < end; i++) {
      const p = READS[i % READS.length]!;
      const at = performance.now();
      const status = await get(orchard.url + p, token, agent);
      samples.push({ at: at - t0, ms: performance.now() - at, status, path: p });
    }
  }));
  const rss = orchard.rss();
  await orchard.stop();
  agent.destroy();
  const first = samples.filter((s) => s.at < 1000);
  const worstFirst = first.reduce((w, s) => (s.ms > w.ms ? s : w), { ms: 0, path: '', at: 0, status: 0 });
  const out = {
    connections, seconds, requests: samples.length, timeouts: samples.filter((s) => s.status === -1).length,
    non_2xx: samples.filter((s) => s.status !== -1 && (s.status < 200 || s.status > 299)).length,
    first_second: { requests: first.length, max_ms: Math.round(worstFirst.ms), max_path: worstFirst.path, p99_ms: Math.round(pct(first.map((s) => s.ms), 0.99)) },
    all: { p50_ms: Math.round(pct(samples.map((s) => s.ms), 0.5)), p99_ms: Math.round(pct(samples.map((s) => s.ms), 0.99)), max_ms: Math.round(Math.max(...samples.map((s) => s.ms))) },
    server_peak_rss_mb: rss?.peakMB,
    ...(waves.length ? { waves } : {}),
    slow_first: first.filter((s) => s.ms > 1500).map((s) => `${Math.round(s.at)}+${Math.round(s.ms)} ${s.path}`).slice(0, 40),
    // The slowest request started in each 500 ms of the run: where the tail is.
    max_ms_by_start: Object.fromEntries(Array.from({ length: seconds * 2 }, (_, b) => [`${b * 500}ms`, Math.round(Math.max(0, ...samples.filter((s) => Math.floor(s.at / 500) === b).map((s) => s.ms)))])),
  };
  console.log(JSON.stringify(out, null, 2));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
