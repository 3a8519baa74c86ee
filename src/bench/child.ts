// Runs a module of ours in a separate Node process (load generators and servers under test
// never share the measured process), whether we run from TypeScript sources or from dist/.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Forks `src/bench/<name>` (ts under tsx, js from dist) with an IPC channel. */
export function forkBenchModule(name: string, args: string[] = [], execArgv: string[] = []): ChildProcess {
  const file = path.join(HERE, `${name}.${FROM_SOURCE ? 'ts' : 'js'}`);
  return fork(file, args, {
    execArgv: [...(FROM_SOURCE ? ['--import', 'tsx'] : []), ...execArgv],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

/** Sends one job to a forked module and resolves with its one reply. */
export function runJob<T>(child: ChildProcess, job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    child.once('message', (m: any) => (m && m.error ? reject(new Error(m.error)) : resolve(m as T)));
    child.once('exit', (code) => reject(new Error(`bench child exited ${code}: ${stderr.slice(-2000)}`)));
    child.send(job as any);
  });
}
