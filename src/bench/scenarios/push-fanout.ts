// Scenario 4, push fan-out: pushes per second from Orchard's push sender (src/apns/sender.ts,
// @parse/node-apn, LOCAL_APNS_CONNECTIONS HTTP/2 connections) to the local APNs simulator, each in
// its own process; then the same exchange between a bare node:http2 client and server, in two
// other processes, as the ceiling on this machine (bare-http2.ts).
// The provider certificate is issued by the PKI's push CA (as the local push topic source does)
// and the simulator's TLS identity by Orchard's CA.
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { issueCertificate, toPem } from '../../crypto/certificates.js';
import { generateRsaKeyPair, keyToPem } from '../../crypto/keys.js';
import { LOCAL_APNS_CONNECTIONS } from '../../apns/wire.js';
import { forkBenchModule, runJob } from '../child.js';
import { cpuSecondsOf } from '../processes.js';
import type { PushJob, PushRound } from '../push-worker.js';
import { round, type BenchContext, type Scenario } from '../scenario.js';
import { openDataDir } from '../seed.js';

const PUSH_TOPIC = 'com.apple.mgmt.External.00000000-0000-4000-8000-0000000be4c5';
// Apple's push client extensions (development, production). @parse/node-apn treats any address
// other than Apple's production host as the sandbox and then wants the development one; Apple's
// MDM push certificates carry both (PROTOCOLS.md §7).
const APPLE_PUSH_EXTENSIONS = ['1.2.840.113635.100.6.3.1', '1.2.840.113635.100.6.3.2'];

/** An MDM push certificate (subject UID = topic, Apple's push extension) from the push CA, made with openssl. */
function applePushCertificate(dir: string, caCertPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  fs.mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  fs.writeFileSync(f('ca.crt'), caCertPem);
  fs.writeFileSync(f('ca.key'), caKeyPem, { mode: 0o600 });
  fs.writeFileSync(f('push.ext'), `extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n${APPLE_PUSH_EXTENSIONS.map((o) => `${o}=ASN1:NULL\n`).join('')}`);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'push.key', '-out', 'push.csr', '-subj', `/UID=${PUSH_TOPIC}/CN=APSP:Orchard bench/C=US`]);
  run(['x509', '-req', '-in', 'push.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'push.crt', '-days', '2', '-sha256', '-extfile', 'push.ext']);
  return { certPem: fs.readFileSync(f('push.crt'), 'utf8'), keyPem: fs.readFileSync(f('push.key'), 'utf8') };
}

/** Asks a worker to exit by itself (so that --cpu-prof writes its profile); kills it after 10 s. */
async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    child.send({ role: 'exit' } satisfies PushJob);
  } catch {
    child.kill();
  }
  await exited;
  clearTimeout(timer);
}

export const pushSizes = (quick: boolean) => ({
  ...(quick ? { pushes: 2_000, rounds: 1, concurrency: 500 } : { pushes: 50_000, rounds: 3, concurrency: 1000 }),
  // What `orchard serve` uses against a local APNs (ORCHARD_APNS_CONNECTIONS unset).
  connections: LOCAL_APNS_CONNECTIONS,
});

interface PairResult {
  rounds: PushRound[];
  bestRate: number | null;
  medianRate: number | null;
  clientCpuPer10k: number | null;
  serverCpuPer10k: number | null;
}

function cpuRatio(bare: PairResult, ours: PairResult): number | null {
  const sum = (r: PairResult) => (r.clientCpuPer10k ?? NaN) + (r.serverCpuPer10k ?? NaN);
  return round(sum(bare) / sum(ours), 2);
}

/** CPU seconds a process has used so far; NaN (a null figure) where /proc cannot say. */
const processCpuSeconds = (pid: number): number => cpuSecondsOf(pid) ?? NaN;

/** Starts the server end, runs the client end's rounds against it, stops both. */
async function measurePair(server: ChildProcess, serverJob: PushJob, client: ChildProcess, clientJob: (port: number) => PushJob): Promise<PairResult> {
  try {
    const { port } = await runJob<{ port: number }>(server, serverJob);
    const cpu0 = processCpuSeconds(server.pid!);
    const job = clientJob(port);
    const { rounds } = await runJob<{ rounds: PushRound[] }>(client, job);
    const serverCpu = processCpuSeconds(server.pid!) - cpu0;
    const pushes = rounds.reduce((n, r) => n + r.delivered, 0) + Math.min(2000, 'pushes' in job ? job.pushes : 0);
    const rate = (r: PushRound) => r.delivered / r.seconds;
    const best = rounds.reduce((a, b) => (rate(b) > rate(a) ? b : a));
    return {
      rounds,
      bestRate: round(rate(best), 0),
      medianRate: round(rounds.map(rate).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!, 0),
      clientCpuPer10k: round((best.cpuSeconds / best.delivered) * 10_000, 2),
      serverCpuPer10k: round((serverCpu / pushes) * 10_000, 2),
    };
  } finally {
    await Promise.all([stopWorker(server), stopWorker(client)]);
  }
}

export const pushFanout: Scenario = {
  name: 'push',
  title: 'Push fan-out',
  async run(ctx: BenchContext) {
    const z = pushSizes(ctx.quick);
    const seeded = await openDataDir(path.join(ctx.workDir, 'push-data'), path.join(ctx.cacheDir, 'pki'));
    const { pki } = seeded;
    seeded.close();
    const now = new Date();
    const span = { notBefore: new Date(now.getTime() - 3600_000), notAfter: new Date(now.getTime() + 86400_000) };
    const tlsKeys = await generateRsaKeyPair(2048);
    const tlsCert = await issueCertificate({ subject: { CN: '127.0.0.1' }, publicKey: tlsKeys.publicKey, issuer: pki.ca, subjectAltName: { ip: ['127.0.0.1'] }, extendedKeyUsage: ['serverAuth'], keyUsage: ['digitalSignature', 'keyEncipherment'], ...span });
    const push = applePushCertificate(path.join(ctx.workDir, 'push-cert'), toPem(pki.pushCa.cert), keyToPem(pki.pushCa.key));

    const prof = (name: string) => (ctx.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${ctx.cpuProfDir}`, `--cpu-prof-name=push-${name}-${process.pid}-${Date.now()}.cpuprofile`] : []);
    const serverTls = { certPem: toPem(tlsCert), keyPem: keyToPem(tlsKeys.privateKey) };
    const client = { caPem: toPem(pki.ca.cert), certPem: push.certPem, keyPem: push.keyPem, topic: PUSH_TOPIC, pushes: z.pushes, concurrency: z.concurrency, rounds: z.rounds, connections: z.connections };

    const ours = await measurePair(
      forkBenchModule('push-worker', [], prof('simulator')), { role: 'simulator', tls: serverTls, pushCaPem: toPem(pki.pushCa.cert) },
      forkBenchModule('push-worker', [], prof('sender')), (port) => ({ role: 'sender', port, ...client }),
    );
    const bare = await measurePair(
      forkBenchModule('push-worker'), { role: 'bare-server', tls: serverTls },
      forkBenchModule('push-worker'), (port) => ({ role: 'bare-client', port, ...client }),
    );
    const failed = ours.rounds.find((r) => r.delivered !== z.pushes);
    return {
      scenario: 'push',
      params: { pushes_per_round: z.pushes, rounds: z.rounds, concurrency: z.concurrency, connections: z.connections },
      metrics: {
        pushes_per_s: ours.bestRate,
        pushes_per_s_median_round: ours.medianRate,
        sender_cpu_s_per_10k: ours.clientCpuPer10k,
        simulator_cpu_s_per_10k: ours.serverCpuPer10k,
        delivered_last_round: ours.rounds[ours.rounds.length - 1]!.delivered,
        bare_http2_pushes_per_s: bare.bestRate,
        bare_http2_client_cpu_s_per_10k: bare.clientCpuPer10k,
        bare_http2_server_cpu_s_per_10k: bare.serverCpuPer10k,
        pushes_vs_bare_http2: ours.bestRate !== null && bare.bestRate ? round(ours.bestRate / bare.bestRate, 2) : null,
        // Robust to other load on the machine: bare CPU per push over ours, both ends summed.
        cpu_per_push_bare_http2_vs_ours: cpuRatio(bare, ours),
      },
      goals: [{ goal: '≥ 20,000 pushes/s', metric: 'pushes_per_s', target: 20_000, kind: 'min' }],
      notes: [
        `Sender and simulator in separate processes over ${z.connections} HTTP/2 connection(s) (TLS, client certificate); pushes_per_s is the best round after a warm-up of 2,000. CPU per 10,000 pushes: the sender's over its best round, the simulator's over the whole run (warm-up included).`,
        'bare_http2: the same requests and answers between a bare node:http2 client and server (no node-apn, no validation), same TLS, concurrency and connections, run right after: the ceiling of node:http2 with both ends on this machine.',
        ...(failed ? [`a round delivered ${failed.delivered} of ${z.pushes}`] : []),
      ],
    };
  },
};
