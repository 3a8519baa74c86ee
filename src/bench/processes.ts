// Helpers for servers under test that run as separate processes: readiness, memory and CPU time.
import fs from 'node:fs';
import net from 'node:net';

/** Peak and current resident set size of a process, in MB (Linux /proc). */
export function rssOf(pid: number): { peakMB: number; currentMB: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { peakMB: Math.round(kb('VmHWM') / 102.4) / 10, currentMB: Math.round(kb('VmRSS') / 102.4) / 10 };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used so far, in seconds (Linux /proc/<pid>/stat, fields
 * 14 and 15, in USER_HZ ticks: 100 a second on Linux whatever the kernel's HZ). Read before and
 * after a phase, it says what the phase cost the process, however busy the machine was.
 */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      // A server still starting answers 503 ("starting", src/server.ts): not ready yet.
      if (res.ok) return;
      if (Date.now() > end) throw new Error(`${url} answered ${res.status} for ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    } catch (e) {
      if ((e as Error).message.includes(' answered ')) throw e;
      if (Date.now() > end) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
