// `npm run soak`: the probing suites, longer. Many kill -9 rounds under a write load, the large
// body and trickle attack with more connections, then every probe and property suite through
// mocha with ORCHARD_PROPERTY_RUNS raised. Prints its figures as JSON: requests, faults,
// acknowledged writes and writes lost (must be 0), peak RSS. Counts: SOAK_KILL_ROUNDS (12),
// SOAK_LARGE_BODIES (150), SOAK_TRICKLES (1000), ORCHARD_PROPERTY_RUNS (2000).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { runAttack } from './attack.js';
import { runKillLoop } from './kill-loop.js';

const n = (name: string, dflt: number) => Number(process.env[name] ?? dflt);

async function main() {
  const started = Date.now();
  const kill = await runKillLoop(n('SOAK_KILL_ROUNDS', 12), { writers: 8, maxKillDelayMs: 5000, log: (l) => console.error(l) });
  console.error(`kill loop: ${JSON.stringify(kill)}`);
  const attack = await runAttack({ largeBodies: n('SOAK_LARGE_BODIES', 150), trickles: n('SOAK_TRICKLES', 1000) });
  console.error(`attack: ${JSON.stringify(attack)}`);
  const propertyRuns = String(n('ORCHARD_PROPERTY_RUNS', 2000));
  // The property suites (fast-check, per face) wherever they live: their runs follow ORCHARD_PROPERTY_RUNS.
  const properties = (fs.readdirSync('test', { recursive: true }) as string[]).filter((f) => /property.*\.test\.ts$|properties.*\.test\.ts$/.test(f)).map((f) => `test/${f}`);
  const mocha = spawnSync('npx', ['mocha', '--no-config', '-n', 'import=tsx', '--timeout', '0', '--exit', 'test/probe/*.test.ts', ...properties], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8',
    env: { ...process.env, ORCHARD_PROPERTY_RUNS: propertyRuns, SOAK_KILL_ROUNDS: '3' },
  });
  const passing = Number(/(\d+) passing/.exec(mocha.stdout)?.[1] ?? 0);
  const failing = Number(/(\d+) failing/.exec(mocha.stdout)?.[1] ?? 0);
  if (failing) process.stderr.write(mocha.stdout);
  const figures = {
    minutes: Math.round((Date.now() - started) / 6000) / 10,
    requests: kill.requests + attack.largeBodies + attack.trickles,
    faults: kill.faults,
    cut_by_kill: kill.cutByKill,
    kill_rounds: kill.rounds,
    acknowledged_writes: kill.acknowledged,
    acknowledged_writes_lost: kill.lost,
    peak_rss_mb: Math.max(kill.peakRssMb, attack.rssPeakMb),
    attack: {
      large_unsigned_bodies: attack.largeBodies, trickles: attack.trickles, trickles_cut: attack.tricklesCut,
      bytes_offered: attack.bytesOffered, bytes_read_by_server: attack.bytesReadByServer,
      rss_before_mb: attack.rssBeforeMb, rss_peak_mb: attack.rssPeakMb, rss_after_mb: attack.rssAfterMb,
    },
    suites: { property_runs: Number(propertyRuns), property_files: properties.length, passing, failing },
  };
  console.log(JSON.stringify(figures, null, 2));
  if (kill.lost || failing || mocha.status !== 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
