// Many simulated devices' end of the APNs simulator's multiplexed device channel
// (simulator-device-streams.ts): one `POST {url}/devices/streams` held open for all their
// tokens, each `push` event handed to `onPush` with its token. Like a single device's channel
// (device-channel.ts) it reconnects with capped exponential back-off when the stream drops,
// re-registering every token that is not dead; a token declared unregistered is left out from
// then on.
import http from 'node:http';
import { connectEventStream, type ReconnectOptions } from './event-stream-client.js';

export interface DeviceStreamsOptions extends ReconnectOptions {
  /** The simulator's `deviceUrl`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  devices: Array<{ token: string; topic: string }>;
  /** `payload` is the parsed JSON; `meta.raw` the event's data as received. */
  onPush(token: string, payload: unknown, meta: { apnsId: string | undefined; raw: string }): void;
  onUnregistered?(token: string, timestampMs: number | undefined): void;
}

export interface DeviceStreams {
  /** Resolves when the first stream is open, that is when the simulator has registered every token. */
  readonly ready: Promise<void>;
  readonly connected: boolean;
  close(): void;
}

export function connectDeviceStreams(opts: DeviceStreamsOptions): DeviceStreams {
  const live = new Map(opts.devices.map((d) => [d.token.toLowerCase(), d.topic]));
  const target = new URL('/devices/streams', opts.url);
  return connectEventStream({
    name: 'device streams',
    // Every (re)open registers the tokens still alive; none left ends the client.
    shouldOpen: () => live.size > 0,
    request(onResponse) {
      const body = JSON.stringify({ devices: [...live].map(([token, topic]) => ({ token, topic })) });
      const req = http.request(target, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, onResponse);
      req.end(body);
      return req;
    },
    onEvent(e) {
      if (e.event === 'push') {
        const v = JSON.parse(e.data) as { token: string; payload: unknown };
        opts.onPush(v.token, v.payload, { apnsId: e.id, raw: e.data });
      } else if (e.event === 'unregistered') {
        const v = JSON.parse(e.data) as { token: string; timestamp?: unknown };
        live.delete(v.token);
        opts.onUnregistered?.(v.token, typeof v.timestamp === 'number' ? v.timestamp : undefined);
      }
    },
    onDisconnect: opts.onDisconnect,
    reconnectMs: opts.reconnectMs,
    maxReconnectMs: opts.maxReconnectMs,
  });
}
