// Runs the openssl CLI on temporary files: the independent implementation our output must satisfy.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'orchard-crypto-'));
  file(name: string, data?: string | Buffer): string {
    const path = join(this.dir, name);
    if (data !== undefined) writeFileSync(path, data);
    return path;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** stdout+stderr of a successful openssl run; throws with the output when it fails. */
export function openssl(...args: string[]): string {
  try {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Whether an openssl run succeeds. */
export function opensslOk(...args: string[]): boolean {
  try {
    openssl(...args);
    return true;
  } catch {
    return false;
  }
}

/** stdout followed by stderr (where e.g. `req -verify` reports), of a successful run. */
export function opensslWithStderr(...args: string[]): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
  return run.stdout + run.stderr;
}
