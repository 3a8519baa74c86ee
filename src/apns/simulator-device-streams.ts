// The APNs simulator's multiplexed device channel: one server-sent-events stream that carries
// the pushes of many tokens. It stands for many devices' own persistent connections to APNs,
// multiplexed so that a harness simulating thousands of devices holds one socket instead of
// thousands; each token on it behaves exactly as on its own `GET /devices/{token}/stream`
// (registration to its topic, the one stored push delivered on connect, replacement by a later
// connection of the same token, coalescing of stored pushes by the registry).
//
// `POST /devices/streams` with `{"devices":[{"token":"<hex>","topic":"…"},…]}` opens it. Events:
//   event: push          id: <apns-id>   data: {"token":"<hex>","payload":<the payload JSON as sent>}
//   event: unregistered                  data: {"token":"<hex>","timestamp":<ms>}
// A token that is dead when the stream opens gets its `unregistered` event at once; one
// declared dead later gets it then; either way the other tokens stay on the stream. Dropping
// any of the stream's devices (`POST /control/disconnect`) drops the whole stream, as a lost
// connection would: the client reconnects them all, and pushes sent meanwhile are stored.
import type { ServerResponse } from 'node:http';
import type { DevicePush, DeviceSink } from './device-registry.js';
import type { ApnsSimulator } from './simulator.js';
import { sseEvent } from './sse.js';
import { DEVICE_TOKEN_PATTERN } from './wire.js';

/** Bodies up to this size: 100,000 devices with topics of ~60 characters. */
export const MAX_STREAMS_BODY = 16 * 1024 * 1024;
export const MAX_STREAM_DEVICES = 100_000;

export interface StreamDevice {
  token: string;
  topic: string;
}

/** The devices a `POST /devices/streams` body names, or why it is refused. */
export function parseStreamDevices(body: Record<string, unknown>): StreamDevice[] | string {
  const list = body.devices;
  if (!Array.isArray(list) || list.length === 0) return 'devices must be a non-empty list of {token, topic}';
  if (list.length > MAX_STREAM_DEVICES) return `at most ${MAX_STREAM_DEVICES} devices per stream`;
  const seen = new Set<string>();
  const out: StreamDevice[] = [];
  for (const d of list as unknown[]) {
    const { token, topic } = (d ?? {}) as { token?: unknown; topic?: unknown };
    if (typeof token !== 'string' || !DEVICE_TOKEN_PATTERN.test(token)) return 'each token must be hex';
    if (typeof topic !== 'string' || topic === '') return 'each device needs a topic';
    const t = token.toLowerCase();
    if (seen.has(t)) return `token ${t} is named twice`;
    seen.add(t);
    out.push({ token: t, topic });
  }
  return out;
}

const pushEvent = (token: string, push: DevicePush) =>
  // The payload was checked to be a JSON dictionary when APNs accepted it, so it is embedded as
  // sent, byte for byte, rather than re-serialised.
  sseEvent('push', `{"token":${JSON.stringify(token)},"payload":${push.payload}}`, push.apnsId);
const unregisteredEvent = (token: string, timestamp: number) => sseEvent('unregistered', JSON.stringify({ token, timestamp }));

export function openDeviceStreams(sim: ApnsSimulator, devices: StreamDevice[], res: ServerResponse, open: Set<ServerResponse>): void {
  // Every token is registered before the response starts, so that a client that sees the
  // response knows all of its devices are online; events produced meanwhile (stored pushes,
  // dead tokens) wait in `early`.
  let early: string[] | undefined = [];
  let ended = false;
  const write = (text: string) => {
    if (early) early.push(text);
    else if (!ended) res.write(text);
  };
  const sinks = new Map<string, DeviceSink>();
  for (const { token, topic } of devices) {
    const sink: DeviceSink = {
      send: (push) => write(pushEvent(token, push)),
      unregister: (timestamp) => {
        sinks.delete(token);
        write(unregisteredEvent(token, timestamp));
      },
      hangUp: () => res.destroy(),
    };
    const dead = sim.devices.connect(token, topic, sink);
    if (dead) write(unregisteredEvent(token, dead.unregisteredAt));
    else sinks.set(token, sink);
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(`: connected ${sinks.size}\n\n${early.join('')}`);
  early = undefined;
  open.add(res);
  const done = (): void => {
    if (ended) return;
    ended = true;
    open.delete(res);
    for (const [token, sink] of sinks) sim.devices.disconnect(token, sink);
    sinks.clear();
  };
  // The response's close, not the request's: the request (a POST) is over once its body is read.
  res.on('close', done);
}
