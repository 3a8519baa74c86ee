// Ad-hoc measure of the push sender against the local APNs simulator, both in this process,
// over one HTTP/2 connection. Not a test: run `npx tsx test/bench/apns-push-rate.ts [N] [concurrency]`.
// Prints wall-clock and CPU-time rates (the CPU rate is the fairer figure on a shared machine).
import { apnsTestPki } from '../support/apns-certs.js';
import { startApnsSimulator } from '../../src/apns/simulator.js';
import { createPushSender } from '../../src/apns/sender.js';

const N = Number(process.argv[2] ?? 50000);
const C = Number(process.argv[3] ?? 1000);
const pki = apnsTestPki();
const sim = await startApnsSimulator({ tls: pki.serverTls, pushCaPem: pki.pushCa.certPem, requestLogSize: 0 });
const sender = createPushSender({
  certPem: pki.pushCert.certPem, keyPem: pki.pushCert.keyPem, topic: pki.pushCert.topic, production: true,
  address: '127.0.0.1', port: sim.port, caPem: pki.serverCa.certPem, concurrency: C,
});
const targets = Array.from({ length: N }, (_, i) => ({ token: i.toString(16).padStart(64, '0'), pushMagic: `m${i}` }));
await sender.send(targets.slice(0, 2000)); // warm up: connection, JIT
for (let round = 0; round < 3; round++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const outcomes = await sender.send(targets);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  const ok = outcomes.filter((o) => o.status === 'delivered').length;
  console.log(`${ok}/${N} delivered, concurrency ${C}: ${(N / wall).toFixed(0)} pushes/s wall, ${(N / cpu).toFixed(0)} per CPU-second (sender + simulator)`);
}
await sender.shutdown();
await sim.close();
