// Scenario 5, memory: the server's peak RSS with 100,000 devices stored (from the DEP scenario's
// server, during its full fetch) and during scenario 3 (check-in, Idle load and fan-out). Runs
// those scenarios itself when they were not run earlier in the same invocation.
import { round, type BenchContext, type BenchResult, type Scenario } from '../scenario.js';
import { checkinConnect } from './checkin-connect.js';
import { depSync } from './dep-sync.js';

export const memory: Scenario = {
  name: 'memory',
  title: 'Memory',
  async run(ctx: BenchContext) {
    const earlier = (name: string, s: Scenario) => ctx.earlier?.find((r) => r.scenario === name) ?? s.run(ctx);
    const dep = (await earlier('dep', depSync)) as Pick<BenchResult, 'metrics' | 'params'>;
    const checkin = (await earlier('checkin', checkinConnect)) as Pick<BenchResult, 'metrics' | 'params'>;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    const peak = Math.max(num(dep.metrics.server_peak_rss_mb) ?? 0, num(checkin.metrics.server_peak_rss_mb) ?? 0);
    return {
      scenario: 'memory',
      params: { devices_stored: dep.params.devices ?? null, enrolled_devices: checkin.params.devices ?? null },
      metrics: {
        rss_with_devices_stored_mb: num(dep.metrics.server_rss_stored_mb), peak_rss_dep_fetch_mb: num(dep.metrics.server_peak_rss_mb),
        peak_rss_checkin_mb: num(checkin.metrics.server_peak_rss_mb), peak_rss_mb: round(peak, 1),
      },
      goals: [{ goal: 'peak RSS ≤ 250 MB', metric: 'peak_rss_mb', target: 250, kind: 'max' }],
      notes: ['RSS of the `orchard serve` process from /proc (VmHWM for peaks, VmRSS just after start for "stored").'],
    };
  },
};
