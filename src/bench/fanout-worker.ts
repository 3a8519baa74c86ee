// One slice of a fleet answering a command fanned out to all of it, in its own process. The
// slice's devices hold their APNs connections (one multiplexed stream of the local APNs' device
// channel for the whole slice) before the command is queued; a device does nothing until its
// push arrives. Then, as a device does on an MDM push whose `mdm` is its PushMagic, it connects
// (Idle), receives the command and sends an Acknowledged report naming its CommandUUID.
// Both requests are signed here before the command is queued (the timer starts after): each
// device's own key, its own signing time, no two signatures alike. The acknowledgement can be
// signed in advance because the harness chooses the CommandUUID and queues the command under it
// (POST /api/v1/commands `command_uuid`); a device that receives another uuid fails the run.
//
// Times are `process.hrtime.bigint()`: Node reads CLOCK_MONOTONIC, one clock for every process
// on the machine, so the parent's start time and the workers' event times compare directly.
import http from 'node:http';
import { connectDeviceStreams, type DeviceStreams } from '../apns/device-streams.js';
import { parseCertificate } from '../crypto/certificates.js';
import { parsePlistDict, buildPlist } from '../plist/index.js';
import { loadKeyPool } from './key-pool.js';
import { benchPushMagic, benchPushToken, CONNECT_TYPE, idleBody, signedPut, type LoadDevice, type PreparedRequest } from './load-devices.js';

export interface FanoutPrepare {
  url: string;
  /** The local APNs' device channel (GET /api/v1/apns `device_channel_url`). */
  deviceChannelUrl: string;
  /** The topic the devices enrolled with (their Authenticate and TokenUpdate `Topic`). */
  topic: string;
  keyDir: string;
  keyPoolSize: number;
  devices: Array<{ udid: string; serial: string; certPem: string; keyIndex: number }>;
  /** The CommandUUID the command will be queued under: the acknowledgements name it. */
  commandUuid: string;
  /** The command as queued (JSON, Apple's keys): what each device expects to receive. */
  command: Record<string, string | number | boolean>;
  /** Signing time of the Idle connects (ISO); the acknowledgements are signed one second later. */
  signingTime: string;
  /** Devices connecting at once, at most. */
  concurrency: number;
}

/** The answer to `prepare`: CPU the slice's signing took, before the timer starts. */
export interface FanoutReady {
  ready: true;
  signCpuMs: number;
}

/** Sent after the command is queued: `t0` (hrtime ns, decimal) is when queueing started. */
export interface FanoutCollect {
  t0: string;
  timeoutMs: number;
}

export interface FanoutResult {
  acknowledged: number;
  /** Devices whose push (with their PushMagic) arrived. */
  pushed: number;
  /** Push events received for the slice's devices, repeats included. */
  pushesReceived: number;
  /** Push events for another token or with another PushMagic. */
  pushesIgnored: number;
  failures: string[];
  /** The distinct CommandUUIDs the devices received. */
  commandUuids: string[];
  /** Per pushed device: t0 → push arrived, ms. */
  pushLatenciesMs: number[];
  /** Per acknowledged device: t0 → acknowledged, ms. */
  latenciesMs: number[];
  /** CPU spent signing the slice's requests, ms (in `prepare`, before the timer started). */
  signCpuMs: number;
  /** CPU this worker used from the end of `prepare` (it then waits for pushes) until its devices were done, ms. */
  runCpuMs: number;
}

/** A device's two requests of the fan-out, signed in advance, bodies decoded. */
interface Signed {
  req: PreparedRequest;
  body: Buffer;
}

interface Slice {
  job: FanoutPrepare;
  devices: LoadDevice[];
  idle: Signed[];
  ack: Signed[];
  /** The command plist as the server builds it ({CommandUUID, Command}). */
  expected: Buffer;
  /** process.cpuUsage() once prepared: the measured phase's CPU is counted from here. */
  readyCpu?: NodeJS.CpuUsage;
  byToken: Map<string, number>;
  pushedAt: Array<bigint | undefined>;
  ackedAt: Array<bigint | undefined>;
  streams: DeviceStreams;
}

let slice: Slice | undefined;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const out: FanoutResult = { acknowledged: 0, pushed: 0, pushesReceived: 0, pushesIgnored: 0, failures: [], commandUuids: [], pushLatenciesMs: [], latenciesMs: [], signCpuMs: 0, runCpuMs: 0 };
const uuids = new Set<string>();
const fail = (msg: string) => { if (out.failures.length < 20) out.failures.push(msg); };
let onAcknowledged: (() => void) | undefined;

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

/** One connect of a woken device: Idle, the command, Acknowledged. A device with nothing queued stops after Idle. */
async function connect(i: number): Promise<void> {
  const { job, devices, ackedAt, idle, ack } = slice!;
  const d = devices[i]!;
  const first = await put(job.url, idle[i]!.req, idle[i]!.body);
  if (first.status !== 200) throw new Error(`${d.udid}: Idle answered ${first.status}`);
  if (first.body.length === 0) return;
  // The expected plist byte for byte (cheap); anything else is parsed and must still be this
  // command under this uuid (a DOM parse costs ~150 µs, on the cores the server runs on).
  if (!first.body.equals(slice!.expected)) {
    const cmd = parsePlistDict(first.body);
    const uuid = cmd.CommandUUID;
    const request = (cmd.Command as Record<string, unknown> | undefined)?.RequestType;
    if (typeof uuid !== 'string' || request !== job.command.RequestType) throw new Error(`${d.udid}: got ${String(request)} ${String(uuid)}, expected ${String(job.command.RequestType)}`);
    uuids.add(uuid);
    if (uuid !== job.commandUuid) throw new Error(`${d.udid}: got CommandUUID ${uuid}, the command was queued as ${job.commandUuid}`);
  } else {
    uuids.add(job.commandUuid);
  }
  const second = await put(job.url, ack[i]!.req, ack[i]!.body);
  if (second.status !== 200 || second.body.length !== 0) throw new Error(`${d.udid}: Acknowledged answered ${second.status} ${second.body.toString('utf8').slice(0, 200)}`);
  if (ackedAt[i] === undefined) {
    ackedAt[i] = process.hrtime.bigint();
    out.acknowledged++;
    onAcknowledged?.();
  }
}

// Woken devices wait here for one of `concurrency` lanes; a push to a device that is already
// connecting runs one more connect afterwards, as pushes coalesce on a device.
const waiting: number[] = [];
const state = new Map<number, 'queued' | 'running' | 'again'>();
let lanes = 0;

function wake(i: number): void {
  const s = state.get(i);
  if (s === 'running') state.set(i, 'again');
  if (s) return;
  state.set(i, 'queued');
  waiting.push(i);
  drain();
}

function drain(): void {
  while (lanes < slice!.job.concurrency && waiting.length) {
    const i = waiting.shift()!;
    lanes++;
    state.set(i, 'running');
    void connect(i).catch((e: unknown) => fail(String((e as Error).message))).finally(() => {
      lanes--;
      const again = state.get(i) === 'again';
      state.delete(i);
      if (again) wake(i);
      drain();
    });
  }
}

function onPush(token: string, payload: unknown): void {
  const s = slice!;
  const i = s.byToken.get(token);
  if (i === undefined || (payload as { mdm?: unknown } | null)?.mdm !== benchPushMagic(s.devices[i]!.udid)) {
    out.pushesIgnored++;
    return;
  }
  out.pushesReceived++;
  if (s.pushedAt[i] === undefined) {
    s.pushedAt[i] = process.hrtime.bigint();
    out.pushed++;
  }
  wake(i);
}

async function prepare(job: FanoutPrepare): Promise<void> {
  const keys = await loadKeyPool(job.keyDir, job.keyPoolSize);
  const devices = job.devices.map((d) => ({ udid: d.udid, serial: d.serial, topic: job.topic, identity: { cert: parseCertificate(d.certPem), key: keys[d.keyIndex]!.privateKey } }));
  const c0 = process.cpuUsage();
  const at = new Date(job.signingTime);
  const later = new Date(at.getTime() + 1000);
  const sign = (d: LoadDevice, body: Buffer, when: Date): Signed => ({ req: signedPut('/mdm/connect', CONNECT_TYPE, body, d, when), body });
  const idle = devices.map((d) => sign(d, idleBody(d), at));
  const ack = devices.map((d) => sign(d, Buffer.from(buildPlist({ Status: 'Acknowledged', CommandUUID: job.commandUuid, UDID: d.udid }), 'utf8'), later));
  const cu = process.cpuUsage(c0);
  out.signCpuMs = (cu.user + cu.system) / 1000;
  const byToken = new Map(devices.map((d, i) => [benchPushToken(d.udid), i]));
  const streams = connectDeviceStreams({
    url: job.deviceChannelUrl, devices: [...byToken.keys()].map((token) => ({ token, topic: job.topic })),
    onPush, onUnregistered: (token) => fail(`token ${token} declared unregistered`),
  });
  const expected = Buffer.from(buildPlist({ CommandUUID: job.commandUuid, Command: job.command }), 'utf8');
  slice = { job, devices, idle, ack, expected, byToken, pushedAt: devices.map(() => undefined), ackedAt: devices.map(() => undefined), streams };
  await streams.ready;
  slice.readyCpu = process.cpuUsage();
}

async function collect(c: FanoutCollect): Promise<FanoutResult> {
  const s = slice!;
  const n = s.devices.length;
  if (out.acknowledged < n) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, c.timeoutMs);
      onAcknowledged = () => { if (out.acknowledged >= n) { clearTimeout(timer); resolve(); } };
    });
  }
  const cu = process.cpuUsage(s.readyCpu);
  out.runCpuMs = (cu.user + cu.system) / 1000;
  s.streams.close();
  const t0 = BigInt(c.t0);
  const since = (t: bigint | undefined) => (t === undefined ? [] : [Number(t - t0) / 1e6]);
  if (out.pushed < n) fail(`${n - out.pushed} of ${n} devices got no push within ${c.timeoutMs / 1000} s`);
  else if (out.acknowledged < n) fail(`${n - out.acknowledged} of ${n} pushed devices did not acknowledge within ${c.timeoutMs / 1000} s`);
  return { ...out, commandUuids: [...uuids], pushLatenciesMs: s.pushedAt.flatMap(since), latenciesMs: s.ackedAt.flatMap(since) };
}

process.on('message', async (msg: { prepare?: FanoutPrepare; collect?: FanoutCollect }) => {
  try {
    if (msg.prepare) {
      await prepare(msg.prepare);
      const ready: FanoutReady = { ready: true, signCpuMs: out.signCpuMs };
      process.send!(ready);
    } else if (msg.collect && slice) {
      process.send!(await collect(msg.collect));
    }
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) });
  }
});
