// Scenario 6, reference and peer: the same signed Idle connect load (one fleet, each device its
// own certificate, every request signed anew) against a bare Node `http` server, a bare Express
// server, Orchard and NanoMDM, one after the other in the same run, so that Orchard's figure is
// read as a ratio to what this machine's HTTP stack can do and to the Go MDM core.
import path from 'node:path';
import { forkBenchModule, runJob } from '../child.js';
import { fleetCerts, prepareFleet } from '../fleet.js';
import { replayOnce, runLoad } from '../load.js';
import type { LoadResult } from '../load-worker.js';
import { enrolFleet, nanomdmBinary, startNanoMdm } from '../nanomdm.js';
import { startOrchardProcess } from '../orchard-process.js';
import { rssOf } from '../processes.js';
import { round, type BenchContext, type Figure, type Scenario } from '../scenario.js';
import { openDataDir, recordIdentities } from '../seed.js';
import { BENCH_TOPIC } from './checkin-connect.js';
import { scepComparison } from './scep-peer.js';

export const referenceSizes = (quick: boolean) => (quick ? { devices: 20, perDevice: 3, seconds: 1, connections: 8 } : { devices: 200, perDevice: 25, seconds: 8, connections: 50 });

export const reference: Scenario = {
  name: 'reference',
  title: 'Reference servers and NanoMDM',
  async run(ctx: BenchContext) {
    const z = referenceSizes(ctx.quick);
    const notes: string[] = [];
    const metrics: Record<string, Figure> = {};
    const dataDir = path.join(ctx.workDir, 'reference-data');
    const seeded = await openDataDir(dataDir, path.join(ctx.cacheDir, 'pki'));
    const ca = seeded.pki.ca;
    // PUT /mdm for check-in and connect alike: NanoMDM's one endpoint, and Orchard's combined one.
    const fleet = await prepareFleet(ctx.cacheDir, ca, { n: z.devices, prefix: 'RF', topic: BENCH_TOPIC, idlePerDevice: z.perDevice, checkinPath: '/mdm', connectPath: '/mdm' }, ctx.log);
    await recordIdentities(seeded, fleetCerts(fleet));
    seeded.close();
    const load = (name: string, url: string) => runLoad(ctx.workDir, name, url, fleet.idle, { connections: z.connections, durationSeconds: 1 })
      .then(() => runLoad(ctx.workDir, name, url, fleet.idle, { connections: z.connections, durationSeconds: z.seconds }));
    const put = (prefix: string, r: LoadResult, rss?: number) => {
      metrics[`${prefix}_per_s`] = round(r.rps, 0);
      metrics[`${prefix}_p50_ms`] = r.p50;
      metrics[`${prefix}_p99_ms`] = r.p99;
      if (rss !== undefined) metrics[`${prefix}_peak_rss_mb`] = rss;
      if (r.non2xx || r.errors) notes.push(`${prefix}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    };

    for (const kind of ['http', 'express'] as const) {
      const child = forkBenchModule('reference-server');
      try {
        const { port } = await runJob<{ port: number }>(child, { kind });
        ctx.log(`  bare ${kind}`);
        put(`bare_${kind}`, await load(`ref-${kind}`, `http://127.0.0.1:${port}`), rssOf(child.pid!)?.peakMB);
      } finally {
        child.kill();
      }
    }

    const orchard = await startOrchardProcess(dataDir, { cpuProfDir: ctx.cpuProfDir });
    try {
      await replayOnce(ctx.workDir, 'ref-auth', orchard.url, fleet.authenticate, z.connections);
      await replayOnce(ctx.workDir, 'ref-token', orchard.url, fleet.tokenUpdate, z.connections);
      ctx.log('  Orchard');
      put('orchard', await load('ref-orchard', orchard.url), orchard.rss()?.peakMB);
    } finally {
      await orchard.stop();
    }

    const bin = nanomdmBinary(ctx.repoRoot);
    if (!bin) {
      notes.push('NanoMDM skipped: no binary at ../shared/peers/nanomdm (see shared/peers/README.md)');
      metrics.nanomdm_per_s = null;
    } else {
      const peer = await startNanoMdm(bin, ca, path.join(ctx.workDir, 'nanomdm'));
      try {
        await enrolFleet(peer.url, '/mdm', fleet.devices.map((d, i) => ({ udid: d.udid, serial: d.serial, pre: [fleet.authenticate[i]!, fleet.tokenUpdate[i]!] })));
        ctx.log('  NanoMDM');
        put('nanomdm', await load('ref-nanomdm', peer.url), rssOf(peer.pid)?.peakMB);
      } finally {
        await peer.close();
      }
    }
    const ratio = (a: Figure, b: Figure) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 2) : null);
    metrics.orchard_vs_bare_http = ratio(metrics.orchard_per_s!, metrics.bare_http_per_s!);
    metrics.orchard_vs_bare_express = ratio(metrics.orchard_per_s!, metrics.bare_express_per_s!);
    metrics.orchard_vs_nanomdm = ratio(metrics.orchard_per_s!, metrics.nanomdm_per_s ?? null);

    // A peer's failure is a finding to report, not a reason to lose the run's other figures.
    try {
      Object.assign(metrics, await scepComparison(ctx, notes));
    } catch (err) {
      notes.push(`SCEP comparison did not complete: ${(err as Error).message}`);
    }
    notes.push(`Same signed Idle connects (${fleet.idle.length} distinct, ${z.devices} devices) to every server, ${z.connections} connections, ${z.seconds} s after a 1 s warm-up; the bare servers read the body and answer 200 without verifying.`);
    return {
      scenario: 'reference',
      params: { devices: z.devices, signed_connects_in_pool: fleet.idle.length, seconds: z.seconds, connections: z.connections },
      metrics, goals: [], notes,
    };
  },
};
