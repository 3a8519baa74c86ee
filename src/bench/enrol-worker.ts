// A slice of simulated devices walking Setup Assistant against Orchard, in its own process:
// factory identity first (not timed), then, on `go`, each device's activation (cloud
// configuration), signed MachineInfo, signed profile, SCEP, Authenticate and TokenUpdate.
import type { KeyPair } from '../crypto/keys.js';
import { buildPlist } from '../plist/index.js';
import { SimulatedDevice, type SimFamily } from '../sim/device.js';
import { KeyPool } from '../sim/keys.js';
import { httpFetch } from './http-fetch.js';
import { loadKeyPool } from './key-pool.js';
import { CHECKIN_TYPE, signedPut, type LoadDevice } from './load-devices.js';
import { msSinceNs } from './timing.js';

export interface EnrolPrepare {
  url: string;
  adminToken: string;
  keyDir: string;
  keyPoolSize: number;
  keyOffset: number;
  devices: Array<{ serial: string; family: SimFamily }>;
  concurrency: number;
}

export interface EnrolResult {
  enrolled: number;
  failures: string[];
  latenciesMs: number[];
  /** CPU seconds this worker spent during the walk (device-side signing, SCEP envelopes, HTTP). */
  cpuS: number;
}

let devices: SimulatedDevice[] = [];
let job: EnrolPrepare | undefined;

// One keep-alive HTTP client for the worker's devices (src/bench/http-fetch.ts).
const fetchImpl = httpFetch();

async function put(url: string, r: ReturnType<typeof signedPut>, body: Buffer): Promise<void> {
  const res = await fetchImpl(url, { method: 'PUT', headers: r.headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${r.headers['Content-Type']} answered ${res.status} ${text.slice(0, 200)}`);
}

async function enrolOne(d: SimulatedDevice): Promise<void> {
  const outcome = await d.enrol({ orchardUrl: job!.url });
  if (outcome.state !== 'enrolled') throw new Error(`${d.serial}: ${outcome.reason}`);
  const mdm = d.mdm!;
  const dev: LoadDevice = { udid: d.udid, serial: d.serial, identity: d.mdmIdentity!, topic: mdm.topic };
  const now = new Date();
  const auth = Buffer.from(buildPlist({ MessageType: 'Authenticate', Topic: mdm.topic, UDID: d.udid, SerialNumber: d.serial, DeviceName: d.deviceName, Model: d.productName, ModelName: d.model, ProductName: d.productName, OSVersion: d.osVersion, BuildVersion: d.buildVersion }), 'utf8');
  await put(mdm.checkInUrl, signedPut('', CHECKIN_TYPE, auth, dev, now), auth);
  const token = Buffer.from(buildPlist({ MessageType: 'TokenUpdate', Topic: mdm.topic, UDID: d.udid, Token: Buffer.from(d.udid.replace(/-/g, '').padEnd(64, '0').slice(0, 64), 'hex'), PushMagic: `magic-${d.udid}`, AwaitingConfiguration: false }), 'utf8');
  await put(mdm.checkInUrl, signedPut('', CHECKIN_TYPE, token, dev, now), token);
}

process.on('message', async (msg: { prepare?: EnrolPrepare; go?: boolean }) => {
  try {
    if (msg.prepare) {
      job = msg.prepare;
      const pool: KeyPair[] = await loadKeyPool(job.keyDir, job.keyPoolSize);
      const keys = KeyPool.of([...pool.slice(job.keyOffset % pool.length), ...pool.slice(0, job.keyOffset % pool.length)]);
      devices = job.devices.map((d) => new SimulatedDevice({ serial: d.serial, family: d.family, keys, fetchImpl }));
      // The factory identity (Orchard's stand-in for Apple's device CA) is not part of Setup Assistant.
      for (const d of devices) await d.obtainIdentity(job.url, job.adminToken);
      process.send!({ ready: true });
      return;
    }
    if (msg.go) {
      const out: EnrolResult = { enrolled: 0, failures: [], latenciesMs: [], cpuS: 0 };
      const cpu0 = process.cpuUsage();
      let next = 0;
      const lane = async () => {
        while (next < devices.length) {
          const d = devices[next++]!;
          const t0 = process.hrtime.bigint();
          try {
            await enrolOne(d);
            out.latenciesMs.push(msSinceNs(t0));
            out.enrolled++;
          } catch (e) {
            if (out.failures.length < 20) out.failures.push(String((e as Error).message));
          }
        }
      };
      await Promise.all(Array.from({ length: job!.concurrency }, lane));
      const cpu = process.cpuUsage(cpu0);
      out.cpuS = (cpu.user + cpu.system) / 1e6;
      process.send!(out);
    }
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) });
  }
});

// The scenario disconnects when done: exit normally, so that --cpu-prof writes its profile.
process.on('disconnect', () => process.exit(0));
