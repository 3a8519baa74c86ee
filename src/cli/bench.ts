// `orchard bench [scenario…] [--quick] [--write FILE] [--out DIR] [--cpu-prof DIR]` (issue 9):
// runs the fleet-scale benchmarks against a real `orchard serve` started for the purpose, prints
// the table and writes the JSON results (default under .bench/).
import { ConfigError } from '../config.js';
import { EXTRA_SCENARIOS, runBench, SCENARIOS } from '../bench/run.js';
import type { ProgressLog } from './progress.js';

export const BENCH_USAGE = `orchard bench [scenario…] [--quick] [--write FILE] [--out DIR] [--cpu-prof DIR]
  scenarios: ${SCENARIOS.map((s) => s.name).join(', ')} (default: all);
             ${EXTRA_SCENARIOS.map((s) => s.name).join(', ')} only when named (${EXTRA_SCENARIOS.map((s) => s.title).join('; ')})
  --quick        small sizes (seconds), as CI runs it
  --write FILE   replace the results block of FILE (e.g. BENCHMARKS.md) with the table
  --out DIR      where the JSON results go (default .bench/)
  --cpu-prof DIR the server under test writes V8 CPU profiles there (node --cpu-prof)`;

export async function benchCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, progress?: ProgressLog): Promise<void> {
  const scenarios: string[] = [];
  let quick = false;
  let writeFile: string | undefined;
  let outDir: string | undefined;
  let cpuProfDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new ConfigError(`${a} needs a value (npx orchard bench --help)`);
      return v;
    };
    if (a === '--quick') quick = true;
    else if (a === '--write') writeFile = value();
    else if (a === '--out') outDir = value();
    else if (a === '--cpu-prof') cpuProfDir = value();
    else if (a === '--help') { out.write(BENCH_USAGE + '\n'); return; }
    else if (a.startsWith('--')) throw new ConfigError(`unknown option ${a} (npx orchard bench --help)`);
    else if (![...SCENARIOS, ...EXTRA_SCENARIOS].some((s) => s.name === a)) throw new ConfigError(`unknown scenario ${a}: the scenarios are ${[...SCENARIOS, ...EXTRA_SCENARIOS].map((s) => s.name).join(', ')}`);
    else scenarios.push(a);
  }
  const command = ['orchard bench', ...argv].join(' ');
  const { report, jsonFile } = await runBench({ scenarios, quick, writeFile, outDir, cpuProfDir, command, log: progress });
  out.write(`\n${report}\n\nJSON: ${jsonFile}${writeFile ? `\nUpdated ${writeFile}` : ''}\n`);
}
