// The Orchard under test: a real `orchard serve` in its own process on a temporary data dir and
// free loopback ports, so its memory is its own (read from /proc) and the load generator never
// shares its event loop. Setup data may be written into the data dir before it starts
// (seed.ts), through Orchard's own repositories; everything measured goes through HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, rssOf, waitForHttp } from './processes.js';
import { SERVE_NODE_FLAGS } from '../serve-flags.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FROM_SOURCE = import.meta.url.endsWith('.ts');

export interface OrchardProcess {
  url: string;
  depUrl: string;
  pid: number;
  dataDir: string;
  /** The last 8 KB the server wrote to stderr (why it stopped, when it did). */
  stderr(): string;
  /** Peak RSS so far (VmHWM) and current RSS, MB. */
  rss(): { peakMB: number; currentMB: number } | undefined;
  stop(): Promise<void>;
}

/** `node dist/bin/orchard.js` from a build, or `node --import tsx bin/orchard.ts` from sources. */
function orchardCommand(): { file: string; execArgv: string[] } {
  // src/bench → repo root is two levels up (three from dist/src/bench).
  const root = FROM_SOURCE ? path.resolve(HERE, '..', '..') : path.resolve(HERE, '..', '..');
  return FROM_SOURCE
    ? { file: path.join(root, 'bin', 'orchard.ts'), execArgv: ['--import', 'tsx'] }
    : { file: path.join(root, 'bin', 'orchard.js'), execArgv: [] };
}

export async function startOrchardProcess(dataDir: string, opts: { cpuProfDir?: string; extraArgs?: string[]; env?: Record<string, string> } = {}): Promise<OrchardProcess> {
  fs.mkdirSync(dataDir, { recursive: true });
  const [port, depPort] = [await freePort(), await freePort()];
  const { file, execArgv } = orchardCommand();
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...execArgv, ...SERVE_NODE_FLAGS, ...prof, file, 'serve', '--data-dir', dataDir, '--port', String(port), '--dep-port', String(depPort), '--log-level', 'warn', ...(opts.extraArgs ?? [])], {
    // The IPC channel is the server's lifeline: should this process die, the server ends too.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // ORCHARD_PROPERTY_RUNS is a knob of the property suites (npm run soak), not a server setting.
    env: { ...process.env, ORCHARD_DATA_DIR: undefined, PORT: undefined, ORCHARD_DEP_PORT: undefined, ORCHARD_PROPERTY_RUNS: undefined, ...opts.env },
  });
  child.channel?.unref(); // the lifeline alone does not keep this process running
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHttp(`${url}/healthz`, 60_000), exited.then(() => { throw new Error('exited'); })]);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`orchard serve did not start (${(e as Error).message}): ${stderr}`);
  }
  return {
    url, depUrl: `http://127.0.0.1:${depPort}`, pid: child.pid!, dataDir,
    rss: () => rssOf(child.pid!),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples a process's RSS while `work` runs; VmHWM gives the true peak, samples the curve. */
export async function withRssSampling<T>(pid: number, work: () => Promise<T>, everyMs = 100): Promise<{ value: T; peakMB: number }> {
  let peak = rssOf(pid)?.currentMB ?? 0;
  const timer = setInterval(() => { peak = Math.max(peak, rssOf(pid)?.currentMB ?? 0); }, everyMs);
  try {
    const value = await work();
    peak = Math.max(peak, rssOf(pid)?.peakMB ?? 0);
    return { value, peakMB: peak };
  } finally {
    clearInterval(timer);
  }
}
