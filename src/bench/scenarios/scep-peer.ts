// SCEP issuance side by side: the same simulated SCEP client (src/sim/scep-client.ts: GetCACert,
// then PKIOperation with a PKCSReq, each device its own key from the pool) against Orchard's
// /scep and against micromdm's `scepserver` (Debian package `scep`), in the same run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ChallengeIssuer } from '../../business/scep/challenges.js';
import { scepEnrol } from '../../sim/scep-client.js';
import { loadKeyPool } from '../key-pool.js';
import { startOrchardProcess } from '../orchard-process.js';
import { freePort, waitForHttp } from '../processes.js';
import { msSince, percentile, round, type BenchContext, type Figure } from '../scenario.js';
import { openDataDir } from '../seed.js';

const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim() || undefined;

interface ScepRun {
  perS: number;
  p99: number;
  failures: number;
  firstFailure?: string;
}

/** `challenges.length` issuances, `concurrency` at a time; a refused one is counted, not retried. */
async function enrolAll(url: string, challenges: string[], ctx: BenchContext, concurrency: number): Promise<ScepRun> {
  const keys = await loadKeyPool(path.join(ctx.cacheDir, 'keys'), Math.min(challenges.length, 256));
  const lat: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const t0 = process.hrtime.bigint();
  const lane = async () => {
    while (next < challenges.length) {
      const i = next++;
      const s0 = process.hrtime.bigint();
      try {
        await scepEnrol({ url, challenge: challenges[i], subject: { CN: `bench-scep-${i}`, O: 'Orchard bench' }, keys: keys[i % keys.length]!, now: new Date() });
        lat.push(msSince(s0));
      } catch (err) {
        failures++;
        firstFailure ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const ms = msSince(t0);
  lat.sort((a, b) => a - b);
  return { perS: lat.length / (ms / 1000), p99: percentile(lat, 99), failures, firstFailure };
}

export async function scepComparison(ctx: BenchContext, notes: string[]): Promise<Record<string, Figure>> {
  const n = ctx.quick ? 10 : 300;
  // One issuance at a time against both servers: scepserver 2.1's file depot keeps its next serial
  // number in depot/serial, read and rewritten per issuance without a lock, so concurrent
  // PKIOperations race on it ("could not convert  to serial number", "open depot/serial: file
  // exists" in its log) and are answered FAILURE/badRequest. Same client, same keys, same pace.
  const concurrency = 1;
  const out: Record<string, Figure> = {};
  const dataDir = path.join(ctx.workDir, 'scep-data');
  const seeded = await openDataDir(dataDir, path.join(ctx.cacheDir, 'pki'));
  const issuer = new ChallengeIssuer(seeded.store.scepChallenges, { now: () => new Date() });
  const challenges: string[] = [];
  for (let i = 0; i < n; i++) challenges.push((await issuer.issue({ orgId: seeded.orgId, purpose: 'manual' })).challenge);
  seeded.close();
  const orchard = await startOrchardProcess(dataDir);
  try {
    ctx.log(`  SCEP: ${n} issuances from Orchard`);
    const r = await enrolAll(`${orchard.url}/scep`, challenges, ctx, concurrency);
    out.orchard_scep_per_s = round(r.perS, 1);
    out.orchard_scep_p99_ms = round(r.p99, 1);
    out.orchard_scep_failures = r.failures;
    if (r.firstFailure) notes.push(`SCEP: Orchard refused ${r.failures}: ${r.firstFailure}`);
  } finally {
    await orchard.stop();
  }
  const bin = which('scepserver');
  if (!bin) {
    notes.push('scepserver skipped: not installed (Debian package `scep`)');
    out.scepserver_per_s = null;
    return out;
  }
  const depot = path.join(ctx.workDir, 'scep-depot');
  fs.mkdirSync(depot, { recursive: true });
  const init = spawnSync(bin, ['ca', '-init', '-depot', depot, '-keySize', '2048', '-years', '1'], { encoding: 'utf8' });
  if (init.status !== 0) {
    notes.push(`scepserver skipped: ca -init failed: ${init.stderr.slice(0, 200)}`);
    out.scepserver_per_s = null;
    return out;
  }
  const port = await freePort();
  const child = spawn(bin, ['-depot', depot, '-port', String(port), '-challenge', 'bench-secret'], { stdio: 'ignore' });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/scep?operation=GetCACaps`);
    ctx.log(`  SCEP: ${n} issuances from scepserver`);
    const r = await enrolAll(`http://127.0.0.1:${port}/scep`, challenges.map(() => 'bench-secret'), ctx, concurrency);
    out.scepserver_per_s = round(r.perS, 1);
    out.scepserver_p99_ms = round(r.p99, 1);
    out.scepserver_failures = r.failures;
    if (r.firstFailure) notes.push(`SCEP: scepserver refused ${r.failures}: ${r.firstFailure}`);
    out.orchard_vs_scepserver = typeof out.orchard_scep_per_s === 'number' ? round(out.orchard_scep_per_s / r.perS, 2) : null;
  } finally {
    child.kill();
  }
  notes.push(`SCEP: ${n} issuances, one at a time (scepserver's file depot races on its serial file under concurrent requests), same client and key pool against both; scepserver listens on all interfaces (it has no listen-address flag).`);
  return out;
}
