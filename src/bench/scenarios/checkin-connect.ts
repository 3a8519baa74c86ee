// Scenario 3, check-in and connect: N enrolled devices (identities recorded as SCEP issues them,
// then Authenticate and TokenUpdate sent over HTTP); signed Idle connects with an empty queue;
// then one InstallApplication queued to every device through the admin API, which Orchard pushes
// to each of them through its local APNs: the time until every device has been pushed, and until
// every device, woken by its push only, has connected, received it and acknowledged it.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createOrchardClient, ok } from '../../client/index.js';
import { forkBenchModule } from '../child.js';
import type { FanoutCollect, FanoutPrepare, FanoutReady, FanoutResult } from '../fanout-worker.js';
import { fleetCerts, keyPoolSize, prepareFleet, type Fleet } from '../fleet.js';
import { replayOnce, runLoad } from '../load.js';
import { startOrchardProcess, withRssSampling } from '../orchard-process.js';
import { cpuSecondsOf } from '../processes.js';
import { percentile, round, type BenchContext, type Figure, type Scenario } from '../scenario.js';
import { openDataDir, recordIdentities } from '../seed.js';

export const BENCH_TOPIC = 'com.apple.mgmt.External.0b5e7f1c-bench-4d2a-9c3e-orchard';

export interface CheckinSizes {
  devices: number;
  idleSeconds: number;
  connections: number;
}

export const checkinSizes = (quick: boolean): CheckinSizes =>
  quick ? { devices: 60, idleSeconds: 1, connections: 8 } : { devices: 10_000, idleSeconds: 10, connections: 64 };

interface FanOut {
  /** Queueing started → last device pushed / last device acknowledged, ms. */
  allPushedMs: number;
  allAcknowledgedMs: number;
  /** The admin API's answer to the queueing request, ms. */
  queueMs: number;
  result: FanoutResult;
  pushTargets: number;
  /** The local APNs' counters over the fan-out: pushes it accepted from Orchard, and delivered to devices. */
  pushesAccepted: number;
  pushesDelivered: number;
  /** CPU the server under test used from the queueing request until every worker was done, s. */
  serverCpuS?: number;
}

/** The local APNs' control API (not the admin API: no client for it). */
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

const FANOUT_COMMAND = { RequestType: 'InstallApplication', iTunesStoreID: 361309726, ManagementFlags: 1 };

/**
 * Fans one command out to `fleet` through `url`; worker processes hold the devices' APNs
 * connections (the local APNs' multiplexed device channel) and connect each device when its push
 * arrives. The command is queued under a CommandUUID chosen here, so that the workers sign every
 * device's Idle connect and Acknowledged report before the timer starts.
 */
async function fanOut(url: string, serverPid: number, adminToken: string, fleet: Fleet, cacheDir: string, timeoutMs: number): Promise<FanOut> {
  const commandUuid = randomUUID().toUpperCase();
  const signingTime = new Date().toISOString();
  // The server under test is another process: its in-process APNs is found through the admin API.
  const api = createOrchardClient({ url, token: adminToken });
  const apns = await ok(api.GET('/apns'));
  const channel = apns.device_channel_url;
  if (!channel) throw new Error('the server under test runs no local APNs (GET /api/v1/apns has no device_channel_url)');
  const counters = () => getJson<{ accepted: number; delivered: number }>(`${channel}/control/counters`);
  const workers = Math.max(1, Math.min(os.cpus().length, 4, Math.ceil(fleet.devices.length / 50)));
  const per = Math.ceil(fleet.devices.length / workers);
  const children = Array.from({ length: workers }, () => forkBenchModule('fanout-worker'));
  const ask = <T>(c: (typeof children)[number], m: unknown) => new Promise<T>((resolve, reject) => {
    c.once('message', (r: any) => (r?.error ? reject(new Error(r.error)) : resolve(r as T)));
    c.send(m as any);
  });
  try {
    const ready = await Promise.all(children.map((c, w) => {
      const prepare: FanoutPrepare = {
        url, deviceChannelUrl: channel, topic: BENCH_TOPIC, keyDir: path.join(cacheDir, 'keys'), keyPoolSize: keyPoolSize(fleet.devices.length),
        devices: fleet.devices.slice(w * per, (w + 1) * per), commandUuid, command: FANOUT_COMMAND, signingTime, concurrency: 32,
      };
      return ask<FanoutReady>(c, { prepare });
    }));
    const before = await counters();
    const serverCpuBefore = cpuSecondsOf(serverPid);
    const t0 = process.hrtime.bigint();
    const queued = await ok(api.POST('/commands', { body: { udids: fleet.devices.map((d) => d.udid), command_uuid: commandUuid, command: FANOUT_COMMAND } }));
    const queueMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (queued.command_uuid !== commandUuid) throw new Error(`queueing the command answered another command_uuid: ${JSON.stringify(queued)}`);
    // From here on only pushes wake the devices; the workers report once all have acknowledged.
    const collect: FanoutCollect = { t0: t0.toString(), timeoutMs };
    const parts = await Promise.all(children.map((c) => ask<FanoutResult>(c, { collect })));
    const serverCpuAfter = cpuSecondsOf(serverPid);
    const after = await counters();
    const result: FanoutResult = { acknowledged: 0, pushed: 0, pushesReceived: 0, pushesIgnored: 0, failures: [], commandUuids: [], pushLatenciesMs: [], latenciesMs: [], signCpuMs: 0, runCpuMs: 0 };
    for (const p of parts) {
      result.acknowledged += p.acknowledged;
      result.pushed += p.pushed;
      result.pushesReceived += p.pushesReceived;
      result.pushesIgnored += p.pushesIgnored;
      result.failures.push(...p.failures);
      result.commandUuids = [...new Set([...result.commandUuids, ...p.commandUuids])];
      result.pushLatenciesMs.push(...p.pushLatenciesMs);
      result.latenciesMs.push(...p.latenciesMs);
      result.runCpuMs += p.runCpuMs;
    }
    result.signCpuMs = ready.reduce((sum, r) => sum + r.signCpuMs, 0);
    const stray = result.commandUuids.filter((u) => u !== queued.command_uuid);
    if (stray.length) result.failures.push(`devices received commands ${stray.join(', ')}, not ${queued.command_uuid}`);
    const last = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);
    return {
      allPushedMs: last(result.pushLatenciesMs), allAcknowledgedMs: last(result.latenciesMs), queueMs, result, pushTargets: queued.push_targets ?? 0,
      pushesAccepted: after.accepted - before.accepted, pushesDelivered: after.delivered - before.delivered,
      serverCpuS: serverCpuBefore === undefined || serverCpuAfter === undefined ? undefined : serverCpuAfter - serverCpuBefore,
    };
  } finally {
    for (const c of children) c.kill();
  }
}

const FANOUT_NOTE = 'Fan-out: the devices hold their APNs connections (one multiplexed stream of the local APNs per worker process, standing for every device\'s own connection) before the command is queued; Orchard pushes every target on enqueue, and each device connects, receives the command and acknowledges it only when its push arrives. Every device\'s Idle connect and Acknowledged report are signed with its own key before the timer starts (the harness queues the command under a CommandUUID it chose; fanout_presign_cpu_s says what that signing cost). Times run from the queueing request.';

/**
 * The check-in scenario, or (`withIdle` false) its fan-out alone: Authenticate and TokenUpdate,
 * then the command to every device, without the Idle load (`orchard bench fanout`, to profile).
 */
function checkinScenario(name: string, title: string, withIdle: boolean): Scenario {
  return {
    name, title,
    async run(ctx: BenchContext) {
      const z = checkinSizes(ctx.quick);
      const notes: string[] = [];
      const dataDir = path.join(ctx.workDir, `${name}-data`);
      const seeded = await openDataDir(dataDir, path.join(ctx.cacheDir, 'pki'));
      const fleet = await prepareFleet(ctx.cacheDir, seeded.pki.ca, { n: z.devices, prefix: 'CK', topic: BENCH_TOPIC, idlePerDevice: 1 }, ctx.log);
      await recordIdentities(seeded, fleetCerts(fleet));
      // The organisation's push certificate, from the local push CA (as `serve` installs it on a
      // first start), with the topic the fleet's devices enrolled with, so that Orchard's pushes
      // to them are accepted by its local APNs.
      await seeded.services.pushCertificates.installLocalCertificate(seeded.orgId, seeded.pki.pushCa, BENCH_TOPIC);
      const adminToken = seeded.adminToken;
      seeded.close();

      const server = await startOrchardProcess(dataDir, { cpuProfDir: ctx.cpuProfDir });
      try {
        const { value, peakMB } = await withRssSampling(server.pid, async () => {
          ctx.log(`  Authenticate and TokenUpdate for ${z.devices} devices`);
          const auth = await replayOnce(ctx.workDir, 'authenticate', server.url, fleet.authenticate, z.connections);
          const token = await replayOnce(ctx.workDir, 'token-update', server.url, fleet.tokenUpdate, z.connections);
          let idle: Awaited<ReturnType<typeof runLoad>> | undefined;
          if (withIdle) {
            ctx.log(`  signed Idle connects for ${z.idleSeconds} s over ${z.connections} connections`);
            await runLoad(ctx.workDir, 'idle-warmup', server.url, fleet.idle, { connections: z.connections, durationSeconds: 1 });
            idle = await runLoad(ctx.workDir, 'idle', server.url, fleet.idle, { connections: z.connections, durationSeconds: z.idleSeconds });
            if (idle.non2xx || idle.errors) notes.push(`Idle load: ${idle.non2xx} non-2xx answers, ${idle.errors} errors`);
          }
          ctx.log(`  one InstallApplication to ${z.devices} devices`);
          const fan = await fanOut(server.url, server.pid, adminToken, fleet, ctx.cacheDir, ctx.quick ? 60_000 : 300_000);
          return { auth, token, idle, fan };
        });
        const { auth, token, idle, fan } = value;
        const lat = [...fan.result.latenciesMs].sort((a, b) => a - b);
        const pushLat = [...fan.result.pushLatenciesMs].sort((a, b) => a - b);
        if (fan.result.failures.length) notes.push(`fan-out failures: ${fan.result.failures.slice(0, 3).join('; ')}`);
        notes.push(FANOUT_NOTE);
        const fanout = {
          fanout_devices: fan.result.acknowledged, fanout_queue_ms: round(fan.queueMs, 0),
          fanout_all_pushed_s: round(fan.allPushedMs / 1000, 2), fanout_all_acknowledged_s: round(fan.allAcknowledgedMs / 1000, 2),
          fanout_push_p50_ms: round(percentile(pushLat, 50), 0), fanout_push_p99_ms: round(percentile(pushLat, 99), 0),
          fanout_p50_ms: round(percentile(lat, 50), 0), fanout_p99_ms: round(percentile(lat, 99), 0),
          fanout_push_targets: fan.pushTargets, fanout_pushes_sent: fan.pushesAccepted, fanout_pushes_delivered: fan.pushesDelivered,
          fanout_devices_pushed: fan.result.pushed, fanout_presign_cpu_s: round(fan.result.signCpuMs / 1000, 2),
          // CPU over the measured fan-out: what it cost each side, whatever else ran on the machine.
          fanout_server_cpu_s: fan.serverCpuS === undefined ? null : round(fan.serverCpuS, 2), fanout_harness_cpu_s: round(fan.result.runCpuMs / 1000, 2),
        };
        const fanoutGoal = { goal: 'one command to 10,000 devices acknowledged ≤ 5 s', metric: 'fanout_all_acknowledged_s', target: 5, kind: 'max' as const };
        return {
          scenario: name,
          params: withIdle
            ? ({ devices: z.devices, idle_seconds: z.idleSeconds, connections: z.connections, signed_connects_in_pool: fleet.idle.length } as Record<string, Figure>)
            : { devices: z.devices, connections: z.connections },
          metrics: {
            authenticate_per_s: round(auth.requests / auth.durationSeconds, 0), token_update_per_s: round(token.requests / token.durationSeconds, 0),
            ...(idle ? { idle_per_s: round(idle.rps, 0), idle_p50_ms: idle.p50, idle_p99_ms: idle.p99, idle_non2xx: idle.non2xx } : {}),
            ...fanout,
            server_peak_rss_mb: peakMB,
          },
          goals: withIdle ? [{ goal: 'Idle connect ≥ 10,000 req/s', metric: 'idle_per_s', target: 10_000, kind: 'min' }, fanoutGoal] : [fanoutGoal],
          notes,
        };
      } finally {
        await server.stop();
      }
    },
  };
}

export const checkinConnect = checkinScenario('checkin', 'Check-in and connect', true);
/** The fan-out part of `checkin` alone (not in the default set): for profiling it. */
export const fanoutOnly = checkinScenario('fanout', 'Fan-out of one command (check-in scenario without its Idle load)', false);
