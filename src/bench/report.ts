// The results: one table on stdout, a JSON file under .bench/, and optionally the table block of
// BENCHMARKS.md (between the markers below) replaced in place.
import fs from 'node:fs';
import path from 'node:path';
import { goalMet, type BenchResult } from './scenario.js';

export const BLOCK_START = '<!-- bench:results:start -->';
export const BLOCK_END = '<!-- bench:results:end -->';

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-GB') : String(v);
  return String(v);
}

/** Rows: scenario | metric | value, then the goals with what was reached. */
export function resultTable(results: BenchResult[]): string {
  const rows: string[][] = [['scenario', 'figure', 'value']];
  for (const r of results) {
    for (const [k, v] of Object.entries(r.metrics)) rows.push([r.scenario, k, fmt(v)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const out = [line(rows[0]!), `|${widths.map((w, i) => (i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.slice(1).map(line)];
  return out.join('\n');
}

export function goalTable(results: BenchResult[]): string {
  const rows = [['goal', 'reached', 'met'], ...results.flatMap((r) => r.goals.map((g) => {
    const met = goalMet(g, r.metrics);
    // Goals are set for the full sizes: a quick run's figures answer none of them.
    const verdict = r.params.quick ? 'n/a (quick sizes)' : met === undefined ? 'n/a' : met ? 'yes' : 'no';
    return [g.goal, `${fmt(r.metrics[g.metric])} (${r.scenario}.${g.metric})`, verdict];
  }))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function renderReport(results: BenchResult[], command: string): string {
  const m = results[0]?.machine;
  const machine = m ? `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}` : 'unknown';
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.scenario}: ${n}`));
  const params = results.map((r) => `- ${r.scenario}: ${Object.entries(r.params).map(([k, v]) => `${k}=${fmt(v)}`).join(', ')} (${r.wallSeconds} s)`);
  return [
    `Command: \`${command}\` — ${results[0]?.startedAt ?? ''}`,
    `Machine: ${machine}`,
    '',
    goalTable(results),
    '',
    resultTable(results),
    '',
    'Parameters:',
    ...params,
    ...(notes.length ? ['', 'Notes:', ...notes] : []),
  ].join('\n');
}

export function writeJson(dir: string, results: BenchResult[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `bench-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify({ results }, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify({ results }, null, 2) + '\n');
  return file;
}

/** Replaces the marked block of a Markdown file with the report (the rest is left as written). */
export function writeBlock(file: string, report: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(BLOCK_START);
  const b = text.indexOf(BLOCK_END);
  if (a < 0 || b < a) throw new Error(`${file} has no ${BLOCK_START} … ${BLOCK_END} block`);
  fs.writeFileSync(file, `${text.slice(0, a + BLOCK_START.length)}\n${report}\n${text.slice(b)}`);
}
