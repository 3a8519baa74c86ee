// NanoMDM (the Go MDM core many operators run) as a peer under the same signed load, so that
// "faster than NanoMDM" is a ratio measured side by side. Build and flags: shared/peers/README.md.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toPem } from '../crypto/certificates.js';
import type { Identity } from '../crypto/types.js';
import type { PreparedRequest } from './load-devices.js';
import { freePort, rssOf, waitForHttp } from './processes.js';

export interface RunningPeer {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/** ../shared/peers/nanomdm beside the clone (or beside its parent, for a git worktree). */
export function nanomdmBinary(repoRoot: string): string | undefined {
  return [path.resolve(repoRoot, '..', 'shared', 'peers', 'nanomdm'), path.resolve(repoRoot, '..', '..', 'shared', 'peers', 'nanomdm')].find((b) => fs.existsSync(b));
}

export async function startNanoMdm(binary: string, ca: Identity, workDir: string): Promise<RunningPeer> {
  fs.mkdirSync(workDir, { recursive: true });
  const caFile = path.join(workDir, 'ca.pem');
  fs.writeFileSync(caFile, toPem(ca.cert));
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-ca', caFile, '-api', 'bench-api-key', '-storage', 'filekv', '-storage-dsn', path.join(workDir, 'db')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/version`);
  } catch (err) {
    child.kill();
    throw new Error(`nanomdm did not start: ${stderr}`);
  }
  return {
    url, pid: child.pid!,
    close: () => new Promise((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    }),
  };
}

/** Sends each device's pre-signed Authenticate and TokenUpdate, so that its connects are accepted. */
export async function enrolFleet(url: string, path: string, fleet: Array<{ udid: string; pre: PreparedRequest[] }>): Promise<void> {
  for (const d of fleet) {
    for (const r of d.pre) {
      const res = await fetch(url + path, { method: 'PUT', headers: r.headers, body: Buffer.from(r.body, 'base64') });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`check-in of ${d.udid} at ${url}${path} answered ${res.status}`);
    }
  }
}

export { rssOf };
