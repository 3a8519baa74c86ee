// What every scenario returns and what it is given: one result per scenario, with its
// parameters and the machine, so that a figure is never read without its conditions.
import type { MachineInfo } from './machine.js';

export type Figure = number | string | boolean | null;

export interface BenchResult {
  scenario: string;
  /** Sizes and settings the figures were taken with. */
  params: Record<string, Figure>;
  /** Measured figures (units in the name: _ms, _per_s, _mb, _s). */
  metrics: Record<string, Figure>;
  /** Goals of issue 9 this scenario answers, with the figure that answers each. */
  goals: GoalCheck[];
  /** Caveats, and why any part was skipped. */
  notes: string[];
  machine: MachineInfo;
  startedAt: string;
  wallSeconds: number;
}

export interface GoalCheck {
  goal: string;
  /** The metric key in `metrics` that answers it. */
  metric: string;
  target: number;
  /** 'max': lower is better (latency, memory); 'min': higher is better (rates). */
  kind: 'min' | 'max';
}

export interface BenchContext {
  quick: boolean;
  /** Scratch space for this run (data dirs, request pools); removed at the end. */
  workDir: string;
  /** Persistent cache (key pool, CA, prepared fleets) under .bench/cache. */
  cacheDir: string;
  /** Repository root (to find ../shared/peers). */
  repoRoot: string;
  log(line: string): void;
  /** When set, the server under test writes a V8 CPU profile into this directory. */
  cpuProfDir?: string;
  /** Results of the scenarios already run in this invocation. */
  earlier?: BenchResult[];
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Omit<BenchResult, 'machine' | 'startedAt' | 'wallSeconds'>>;
}

export function goalMet(g: GoalCheck, metrics: Record<string, Figure>): boolean | undefined {
  const v = metrics[g.metric];
  if (typeof v !== 'number') return undefined;
  return g.kind === 'min' ? v >= g.target : v <= g.target;
}

/** Milliseconds between two process.hrtime.bigint() readings. */
export const msSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, digits = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null);
