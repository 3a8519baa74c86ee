// Scenario 2, enrolment: N simulated devices of all four families, assigned to Orchard's own
// MDM server with its ADE profile, walk Setup Assistant (cloud configuration, signed
// MachineInfo, signed profile, SCEP, Authenticate, TokenUpdate) in worker processes. Key pairs
// come from the cached pool, so the simulator's key generation is not what is measured.
import os from 'node:os';
import path from 'node:path';
import type { SimFamily } from '../../sim/device.js';
import { forkBenchModule } from '../child.js';
import type { EnrolPrepare, EnrolResult } from '../enrol-worker.js';
import { loadKeyPool } from '../key-pool.js';
import { startOrchardProcess, withRssSampling } from '../orchard-process.js';
import { cpuSecondsOf } from '../processes.js';
import { percentile, round, type BenchContext, type Scenario } from '../scenario.js';
import { addAssignedDevices, openDataDir, reopenDataDir } from '../seed.js';

export const enrolSizes = (quick: boolean) => (quick ? { devices: 12, concurrency: 2 } : { devices: 1_000, concurrency: 16 });
const FAMILY_ORDER: SimFamily[] = ['iPhone', 'iPad', 'Mac', 'AppleTV'];

export const enrolment: Scenario = {
  name: 'enrol',
  title: 'Enrolment',
  async run(ctx: BenchContext) {
    const z = enrolSizes(ctx.quick);
    const dataDir = path.join(ctx.workDir, 'enrol-data');
    (await openDataDir(dataDir, path.join(ctx.cacheDir, 'pki'))).close();
    const keyDir = path.join(ctx.cacheDir, 'keys');
    const poolSize = Math.min(256, z.devices * 2);
    await loadKeyPool(keyDir, poolSize);
    const orchard = await startOrchardProcess(dataDir, { cpuProfDir: ctx.cpuProfDir });
    const workers = Math.max(1, Math.min(os.cpus().length, 4, Math.ceil(z.devices / 4)));
    // With --cpu-prof the device side is profiled too (DIR/enrol-worker/).
    const workerProf = ctx.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ctx.cpuProfDir, 'enrol-worker')}`] : [];
    const children = Array.from({ length: workers }, () => forkBenchModule('enrol-worker', [], workerProf));
    const ask = <T>(c: (typeof children)[number], m: unknown) => new Promise<T>((resolve, reject) => {
      c.once('message', (r: any) => (r?.error ? reject(new Error(r.error)) : resolve(r as T)));
      c.once('exit', (code) => reject(new Error(`enrol worker exited ${code}`)));
      c.send(m as any);
    });
    try {
      // Orchard created its own MDM server and ADE profile at start; assign the devices to it
      // (as the portal would) and give them its profile (as the DEP API would).
      const live = await reopenDataDir(dataDir);
      const builtin = await live.store.builtinMdm.find(live.orgId);
      if (!builtin) throw new Error('Orchard has no built-in MDM server');
      const serials = await addAssignedDevices(live, builtin.serverId, z.devices, 'EN');
      await live.services.depProfiles.assign(builtin.serverId, builtin.profileUuid, serials);
      const adminToken = live.adminToken;
      live.close();
      const per = Math.ceil(z.devices / workers);
      ctx.log(`  factory identities for ${z.devices} devices`);
      await Promise.all(children.map((c, w) => {
        const prepare: EnrolPrepare = {
          url: orchard.url, adminToken, keyDir, keyPoolSize: poolSize, keyOffset: w * per * 2,
          devices: serials.slice(w * per, (w + 1) * per).map((serial, k) => ({ serial, family: FAMILY_ORDER[(w * per + k) % 4]! })),
          concurrency: Math.max(1, Math.ceil(z.concurrency / workers)),
        };
        return ask(c, { prepare });
      }));
      ctx.log(`  ${z.devices} devices walk Setup Assistant`);
      const cpu0 = cpuSecondsOf(orchard.pid);
      const t0 = process.hrtime.bigint();
      const { value: parts, peakMB } = await withRssSampling(orchard.pid, () => Promise.all(children.map((c) => ask<EnrolResult>(c, { go: true }))));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu1 = cpuSecondsOf(orchard.pid);
      const enrolled = parts.reduce((a, p) => a + p.enrolled, 0);
      const lat = parts.flatMap((p) => p.latenciesMs).sort((a, b) => a - b);
      const failures = parts.flatMap((p) => p.failures);
      return {
        scenario: 'enrol',
        params: { devices: z.devices, families: 'iPhone, iPad, Mac, AppleTV', concurrency: z.concurrency, workers, key_pool: poolSize },
        metrics: {
          enrolled, enrolments_per_s: round(enrolled / seconds, 1), enrol_p50_ms: round(percentile(lat, 50), 0), enrol_p99_ms: round(percentile(lat, 99), 0),
          total_s: round(seconds, 2), server_peak_rss_mb: peakMB,
          server_cpu_ms_per_enrolment: cpu0 !== undefined && cpu1 !== undefined && enrolled ? round(((cpu1 - cpu0) * 1000) / enrolled, 1) : null,
          device_side_cpu_s: round(parts.reduce((a, p) => a + p.cpuS, 0), 2),
        },
        goals: [{ goal: '≥ 300 enrolments/s', metric: 'enrolments_per_s', target: 300, kind: 'min' }],
        notes: [
          'Each enrolment: POST /enroll/cloud-config (signed by the device identity), POST the signed MachineInfo to /enroll/dep, verify the signed profile, SCEP (GetCACert, PKIOperation), Authenticate, TokenUpdate. Device-side signing and SCEP envelope work runs in the harness\'s worker processes on the same cores.',
          ...(failures.length ? [`failures: ${failures.slice(0, 3).join('; ')}`] : []),
        ],
      };
    } finally {
      await Promise.all(children.map((c) => new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
        c.once('exit', () => { clearTimeout(timer); resolve(); });
        if (c.connected) c.disconnect(); else c.kill();
      })));
      await orchard.stop();
    }
  },
};
