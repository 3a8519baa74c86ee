// `orchard bench [scenario…] [--quick] [--write FILE] [--out DIR] [--cpu-prof DIR]`: runs the
// scenarios of issue 9 one after the other (each alone on the machine), prints one table and
// writes the JSON results.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine.js';
import { renderReport, writeBlock, writeJson } from './report.js';
import type { BenchContext, BenchResult, Scenario } from './scenario.js';
import { checkinConnect, fanoutOnly } from './scenarios/checkin-connect.js';
import { depSync } from './scenarios/dep-sync.js';
import { enrolment } from './scenarios/enrolment.js';
import { memory } from './scenarios/memory.js';
import { pushFanout } from './scenarios/push-fanout.js';
import { reference } from './scenarios/reference.js';

export const SCENARIOS: Scenario[] = [depSync, enrolment, checkinConnect, pushFanout, memory, reference];
/** Run only when named: parts of the scenarios above, for profiling. */
export const EXTRA_SCENARIOS: Scenario[] = [fanoutOnly];
const ALL = [...SCENARIOS, ...EXTRA_SCENARIOS];

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from src/bench (sources) or dist/src/bench (build). */
export const REPO_ROOT = import.meta.url.endsWith('.ts') ? path.resolve(HERE, '..', '..') : path.resolve(HERE, '..', '..', '..');

export interface BenchOptions {
  scenarios?: string[];
  quick?: boolean;
  outDir?: string;
  cacheDir?: string;
  writeFile?: string;
  cpuProfDir?: string;
  log?: (line: string) => void;
  /** The command line shown in the report. */
  command?: string;
}

export async function runBench(o: BenchOptions = {}): Promise<{ results: BenchResult[]; report: string; jsonFile: string }> {
  const names = o.scenarios?.length ? o.scenarios : SCENARIOS.map((s) => s.name);
  const unknown = names.filter((n) => !ALL.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${ALL.map((s) => s.name).join(', ')}`);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const outDir = o.outDir ?? path.join(REPO_ROOT, '.bench');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-'));
  const results: BenchResult[] = [];
  const ctx: BenchContext = {
    quick: !!o.quick, workDir, cacheDir: o.cacheDir ?? path.join(outDir, 'cache'), repoRoot: REPO_ROOT, log,
    cpuProfDir: o.cpuProfDir ? path.resolve(o.cpuProfDir) : undefined, earlier: results,
  };
  try {
    const chosen = ALL.filter((x) => names.includes(x.name));
    for (const [i, s] of chosen.entries()) {
      log(`bench [${i + 1}/${chosen.length}]: ${s.title}${ctx.quick ? ' (quick)' : ''}`);
      const startedAt = new Date().toISOString();
      const t0 = Date.now();
      const r = await s.run(ctx);
      results.push({ ...r, params: { ...r.params, quick: ctx.quick }, machine: machineInfo(), startedAt, wallSeconds: Math.round((Date.now() - t0) / 100) / 10 });
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const report = renderReport(results, o.command ?? `orchard bench ${names.join(' ')}${o.quick ? ' --quick' : ''}`);
  const jsonFile = writeJson(outDir, results);
  if (o.writeFile) writeBlock(o.writeFile, report);
  return { results, report, jsonFile };
}
