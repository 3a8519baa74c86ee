// Slow clients and large bodies against a real `orchard serve` process, its memory measured
// from /proc (RSS before, peak, after) and the bytes it read counted by the kernel
// (/proc/<pid>/io rchar: every read() the process made, sockets included). The repro of
// issue 17 finding 7: 150 connections each sending just under 4 MB to /mdm/checkin without a
// signature (196 → 754 MB, still 776 MB after), and trickling connections never cut.
import fs from 'node:fs';
import { startServer } from './server-process.js';
import { rssOf } from '../../src/bench/processes.js';
import { tempDir } from '../support/harness.js';
import { rawRequest, statusOf, type RawExchange } from './wire-client.js';

export interface AttackFigures {
  largeBodies: number;
  /** Status → count of the large unsigned bodies' answers (0: closed without an answer). */
  largeAnswers: Record<number, number>;
  trickles: number;
  /** Trickling connections the server closed itself before they finished. */
  tricklesCut: number;
  /** Bytes the server process read during the attack (all its read() calls). */
  bytesReadByServer: number;
  /** Bytes the attackers meant to send. */
  bytesOffered: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
  healthyAfter: boolean;
}

function rcharOf(pid: number): number {
  return Number(/rchar:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
}

const put = (path: string, headers: Record<string, string | number>) =>
  [`PUT ${path} HTTP/1.1`, 'Host: localhost', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');

export async function runAttack(opts: { largeBodies: number; trickles: number }): Promise<AttackFigures> {
  // Small timeouts so the trickles are cut within the test; sizes are the defaults.
  const server = await startServer(tempDir('orchard-attack-'), { ORCHARD_HEADERS_TIMEOUT_MS: '1000', ORCHARD_REQUEST_TIMEOUT_MS: '3000', ORCHARD_BODY_IDLE_TIMEOUT_MS: '1000' });
  try {
    const port = Number(new URL(server.url).port);
    await fetch(`${server.url}/healthz`);
    const rssBefore = rssOf(server.pid)!.currentMB;
    const readBefore = rcharOf(server.pid);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid)?.currentMB ?? 0)), 50);
    const size = 3_900_000;
    const large = Array.from({ length: opts.largeBodies }, (_, i) =>
      rawRequest(port, put(i % 2 ? '/mdm/checkin' : '/mdm/connect', { 'Content-Type': i % 2 ? 'application/x-apple-aspen-mdm-checkin' : 'application/x-apple-aspen-mdm', 'Content-Length': size }), { bodyBytes: size, waitMs: 60_000 }));
    // Trickles: an admin body of 10 KB, one byte every 300 ms (never idle, never finished).
    const trickle = Array.from({ length: opts.trickles }, () =>
      rawRequest(port, ['POST /api/v1/signup HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 10000'].join('\r\n'), { bodyBytes: 10_000, chunk: 1, pauseMs: 300, waitMs: 60_000 }));
    const answers: RawExchange[] = await Promise.all(large);
    const trickled = await Promise.all(trickle);
    clearInterval(sampler);
    const bytesReadByServer = rcharOf(server.pid) - readBefore;
    peak = Math.max(peak, rssOf(server.pid)?.currentMB ?? 0);
    await new Promise((r) => setTimeout(r, 1000));
    const healthyAfter = await fetch(`${server.url}/healthz`).then((r) => r.status === 200, () => false);
    if (!healthyAfter) throw new Error(`the server stopped answering during the attack: ${server.stderr()}`);
    const largeAnswers: Record<number, number> = {};
    for (const a of answers) largeAnswers[statusOf(a)] = (largeAnswers[statusOf(a)] ?? 0) + 1;
    return {
      largeBodies: opts.largeBodies, largeAnswers, trickles: opts.trickles,
      tricklesCut: trickled.filter((t) => t.closed && t.written < 10_000).length,
      bytesReadByServer, bytesOffered: opts.largeBodies * size + opts.trickles * 10_000,
      rssBeforeMb: rssBefore, rssPeakMb: peak, rssAfterMb: rssOf(server.pid)!.currentMB, healthyAfter,
    };
  } finally {
    await server.stop();
  }
}
