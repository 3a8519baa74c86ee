// The two ends of the push fan-out, each forked into its own process: `simulator` runs the local
// APNs (HTTP/2 + TLS, judging the provider certificate); `sender` is Orchard's push sender
// (src/apns/sender.ts over @parse/node-apn) sending `{"mdm": PushMagic}` to N device tokens.
// `bare-server` and `bare-client` are the same exchange over bare node:http2 (bare-http2.ts),
// the ceiling the scenario reports Orchard's rate against.
import { startApnsSimulator, type ApnsSimulator } from '../apns/simulator.js';
import { createPushSender } from '../apns/sender.js';
import { bareHttp2Rounds, startBareHttp2Server, type BareClientJob, type BareServer } from './bare-http2.js';

export type PushJob =
  | { role: 'simulator'; tls: { certPem: string; keyPem: string }; pushCaPem: string }
  | { role: 'sender'; port: number; caPem: string; certPem: string; keyPem: string; topic: string; pushes: number; concurrency: number; rounds: number; connections: number }
  | { role: 'bare-server'; tls: { certPem: string; keyPem: string } }
  | ({ role: 'bare-client' } & BareClientJob)
  // Leave by process.exit, so that a worker run with --cpu-prof writes its profile (a signal would not).
  | { role: 'exit' };

export interface PushRound {
  delivered: number;
  seconds: number;
  cpuSeconds: number;
}

let sim: ApnsSimulator | undefined;
let bare: BareServer | undefined;

process.on('message', async (job: PushJob) => {
  try {
    if (job.role === 'exit') {
      await sim?.close();
      await bare?.close();
      process.exit(0);
    }
    if (job.role === 'bare-server') {
      bare = await startBareHttp2Server(job.tls);
      process.send!({ port: bare.port });
      return;
    }
    if (job.role === 'bare-client') {
      process.send!({ rounds: await bareHttp2Rounds(job) });
      return;
    }
    if (job.role === 'simulator') {
      sim = await startApnsSimulator({ tls: job.tls, pushCaPem: job.pushCaPem, requestLogSize: 0 });
      process.send!({ port: sim.port });
      return;
    }
    const sender = createPushSender({
      certPem: job.certPem, keyPem: job.keyPem, topic: job.topic, production: true,
      address: '127.0.0.1', port: job.port, caPem: job.caPem, concurrency: job.concurrency, connections: job.connections,
    });
    const targets = Array.from({ length: job.pushes }, (_, i) => ({ token: i.toString(16).padStart(64, '0'), pushMagic: `bench-magic-${i}` }));
    await sender.send(targets.slice(0, Math.min(2000, targets.length))); // connection, TLS, JIT
    const rounds: PushRound[] = [];
    for (let r = 0; r < job.rounds; r++) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      const outcomes = await sender.send(targets);
      const cu = process.cpuUsage(c0);
      rounds.push({ delivered: outcomes.filter((o) => o.status === 'delivered').length, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (cu.user + cu.system) / 1e6 });
    }
    await sender.shutdown();
    process.send!({ rounds });
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) });
  }
});
