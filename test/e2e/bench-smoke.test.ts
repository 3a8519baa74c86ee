// The benchmark harness works: every scenario runs at its quick size against a real server
// process and yields a result with its parameters, figures and machine. No speed is asserted
// (figures on a CI machine mean nothing); NanoMDM and scepserver may be absent, with a reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench, SCENARIOS } from '../../src/bench/run.js';
import { BLOCK_END, BLOCK_START } from '../../src/bench/report.js';

describe('bench harness (quick sizes)', function () {
  this.timeout(15 * 60_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-smoke-'));
  const md = path.join(out, 'BENCHMARKS.md');
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it('runs every scenario and reports each with its fields', async () => {
    fs.writeFileSync(md, `# figures\n\n${BLOCK_START}\nold\n${BLOCK_END}\n\nkept\n`);
    // The cache (key pool, PKI, fleets) is shared with `npm run bench` so a second run is quick.
    const { results, report, jsonFile } = await runBench({ quick: true, outDir: out, cacheDir: path.join(process.cwd(), '.bench', 'cache'), writeFile: md, log: () => {} });
    assert.deepEqual(results.map((r) => r.scenario), SCENARIOS.map((s) => s.name));
    const expect: Record<string, string[]> = {
      dep: ['fetch_total_s', 'pages_per_s', 'page_p50_ms', 'page_p99_ms', 'sync_changes'],
      enrol: ['enrolled', 'enrolments_per_s', 'enrol_p99_ms'],
      checkin: ['idle_per_s', 'idle_p50_ms', 'idle_p99_ms', 'fanout_all_pushed_s', 'fanout_all_acknowledged_s', 'fanout_devices', 'fanout_pushes_sent', 'server_peak_rss_mb'],
      push: ['pushes_per_s', 'sender_cpu_s_per_10k', 'simulator_cpu_s_per_10k', 'bare_http2_pushes_per_s', 'pushes_vs_bare_http2'],
      memory: ['rss_with_devices_stored_mb', 'peak_rss_checkin_mb', 'peak_rss_mb'],
      reference: ['bare_http_per_s', 'bare_express_per_s', 'orchard_per_s', 'orchard_scep_per_s'],
    };
    for (const r of results) {
      assert.equal(r.params.quick, true);
      assert.equal(typeof r.machine.cores, 'number');
      assert.match(r.machine.node, /^v\d+/);
      for (const k of expect[r.scenario]!) assert.equal(typeof r.metrics[k], 'number', `${r.scenario}.${k} is ${r.metrics[k]}`);
    }
    const byName = Object.fromEntries(results.map((r) => [r.scenario, r]));
    assert.equal(byName.dep!.metrics.sync_changes, byName.dep!.params.changes);
    assert.equal(byName.enrol!.metrics.enrolled, byName.enrol!.params.devices);
    assert.equal(byName.checkin!.metrics.fanout_devices, byName.checkin!.params.devices);
    // Every device was woken by its own push, through Orchard's local APNs.
    assert.equal(byName.checkin!.metrics.fanout_devices_pushed, byName.checkin!.params.devices);
    assert.equal(byName.checkin!.metrics.idle_non2xx, 0);
    // A missing peer is reported as such, never as a figure of 0.
    const ref = byName.reference!;
    if (ref.metrics.nanomdm_per_s === null) assert.ok(ref.notes.some((n) => n.startsWith('NanoMDM skipped')));
    if (ref.metrics.scepserver_per_s === null) assert.ok(ref.notes.some((n) => n.startsWith('scepserver skipped')));
    assert.ok(fs.existsSync(jsonFile));
    assert.deepEqual(JSON.parse(fs.readFileSync(jsonFile, 'utf8')).results.map((r: { scenario: string }) => r.scenario), results.map((r) => r.scenario));
    const text = fs.readFileSync(md, 'utf8');
    assert.ok(text.includes(report) && !text.includes('\nold\n') && text.endsWith('\n\nkept\n'));
  });
});
