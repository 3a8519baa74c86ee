// The ceiling for the push scenario: a bare node:http2 client and server doing what Orchard's
// sender and the local APNs do on the wire and nothing else — the same TLS with a client
// certificate, the same request (POST /3/device/<token>, the four apns-* headers,
// `{"mdm":…}`), the same answer (200 with an apns-id), the same concurrency and connections;
// no node-apn, no validation, no device registry, no outcomes.
import http2, { type ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { PushRound } from './push-worker.js';

export interface BareServer {
  port: number;
  close(): Promise<void>;
}

export async function startBareHttp2Server(tls: { certPem: string; keyPem: string }): Promise<BareServer> {
  const server = http2.createSecureServer({
    cert: tls.certPem, key: tls.keyPem, requestCert: true, rejectUnauthorized: false,
    settings: { maxConcurrentStreams: 1000 },
  });
  const id = '00000000-0000-4000-8000-000000000000';
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    stream.on('end', () => stream.respond({ ':status': 200, 'apns-id': id }, { endStream: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface BareClientJob {
  port: number;
  caPem: string;
  certPem: string;
  keyPem: string;
  topic: string;
  pushes: number;
  concurrency: number;
  connections: number;
  rounds: number;
}

export async function bareHttp2Rounds(job: BareClientJob): Promise<PushRound[]> {
  const sessions: ClientHttp2Session[] = Array.from({ length: job.connections }, () =>
    http2.connect(`https://127.0.0.1:${job.port}`, { ca: job.caPem, cert: job.certPem, key: job.keyPem }));
  await Promise.all(sessions.map((s) => new Promise((resolve, reject) => s.once('remoteSettings', resolve).once('error', reject))));
  const expiration = Math.floor(Date.now() / 1000) + 7 * 24 * 3600;
  let turn = 0;
  const one = (i: number): Promise<boolean> => new Promise((resolve) => {
    const req = sessions[turn++ % sessions.length]!.request({
      ':method': 'POST', ':scheme': 'https', ':authority': '127.0.0.1', ':path': `/3/device/${i.toString(16).padStart(64, '0')}`,
      'apns-priority': 10, 'apns-expiration': expiration, 'apns-topic': job.topic, 'apns-push-type': 'mdm',
    });
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', () => undefined);
    req.on('end', () => resolve(status === 200));
    req.on('error', () => resolve(false));
    req.end(`{"mdm":"bench-magic-${i}"}`);
  });
  const round = async (n: number): Promise<number> => {
    let next = 0;
    let ok = 0;
    const worker = async (): Promise<void> => {
      while (next < n) if (await one(next++)) ok++;
    };
    await Promise.all(Array.from({ length: Math.min(job.concurrency, n) }, worker));
    return ok;
  };
  await round(Math.min(2000, job.pushes));
  const rounds: PushRound[] = [];
  for (let r = 0; r < job.rounds; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const delivered = await round(job.pushes);
    const cu = process.cpuUsage(c0);
    rounds.push({ delivered, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (cu.user + cu.system) / 1e6 });
  }
  for (const s of sessions) s.close();
  return rounds;
}
