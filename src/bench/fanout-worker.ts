// One slice of a fleet answering a command fanned out to all of it, in its own process: each
// device, once woken, connects (Idle, pre-signed), receives the command, checks its
// CommandUUID, signs an Acknowledged report with its own key and sends it. The signing is
// done here, at run time, because the report names the CommandUUID the server chose.
import http from 'node:http';
import { parseCertificate } from '../crypto/certificates.js';
import { parsePlistDict, buildPlist } from '../plist/index.js';
import { loadKeyPool } from './key-pool.js';
import { CONNECT_TYPE, signedPut, type LoadDevice, type PreparedRequest } from './load-devices.js';

export interface FanoutPrepare {
  url: string;
  keyDir: string;
  keyPoolSize: number;
  devices: Array<{ udid: string; serial: string; certPem: string; keyIndex: number }>;
  /** The pre-signed Idle connect of each device, same order as `devices`. */
  idle: PreparedRequest[];
  concurrency: number;
}

export interface FanoutResult {
  acknowledged: number;
  failures: string[];
  /** Per device: wake → acknowledged, ms. */
  latenciesMs: number[];
  signCpuMs: number;
}

let prepared: { job: FanoutPrepare; devices: LoadDevice[] } | undefined;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function put(base: string, r: PreparedRequest, body: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const u = new URL(base + r.path);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', agent, headers: { ...r.headers, 'Content-Length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function runDevice(i: number, uuid: string, out: FanoutResult, t0: bigint): Promise<void> {
  const { job, devices } = prepared!;
  const d = devices[i]!;
  const idle = job.idle[i]!;
  const first = await put(job.url, idle, Buffer.from(idle.body, 'base64'));
  if (first.status !== 200 || first.body.length === 0) throw new Error(`${d.udid}: Idle answered ${first.status} with ${first.body.length} bytes`);
  const cmd = parsePlistDict(first.body);
  if (cmd.CommandUUID !== uuid) throw new Error(`${d.udid}: got command ${String(cmd.CommandUUID)}, expected ${uuid}`);
  const c0 = process.cpuUsage();
  const ackBody = Buffer.from(buildPlist({ Status: 'Acknowledged', CommandUUID: uuid, UDID: d.udid }), 'utf8');
  const ack = signedPut('/mdm/connect', CONNECT_TYPE, ackBody, d, new Date());
  const cu = process.cpuUsage(c0);
  out.signCpuMs += (cu.user + cu.system) / 1000;
  const second = await put(job.url, ack, ackBody);
  if (second.status !== 200 || second.body.length !== 0) throw new Error(`${d.udid}: Acknowledged answered ${second.status} ${second.body.toString('utf8').slice(0, 200)}`);
  out.latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  out.acknowledged++;
}

process.on('message', async (msg: { prepare?: FanoutPrepare; go?: string }) => {
  try {
    if (msg.prepare) {
      const job = msg.prepare;
      const keys = await loadKeyPool(job.keyDir, job.keyPoolSize);
      const devices = job.devices.map((d) => ({ udid: d.udid, serial: d.serial, topic: '', identity: { cert: parseCertificate(d.certPem), key: keys[d.keyIndex]!.privateKey } }));
      prepared = { job, devices };
      process.send!({ ready: true });
      return;
    }
    if (msg.go && prepared) {
      const uuid = msg.go;
      const t0 = process.hrtime.bigint();
      const out: FanoutResult = { acknowledged: 0, failures: [], latenciesMs: [], signCpuMs: 0 };
      let next = 0;
      const lane = async () => {
        while (next < prepared!.devices.length) {
          const i = next++;
          await runDevice(i, uuid, out, t0).catch((e) => { if (out.failures.length < 20) out.failures.push(String((e as Error).message)); });
        }
      };
      await Promise.all(Array.from({ length: prepared.job.concurrency }, lane));
      process.send!(out);
    }
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) });
  }
});
