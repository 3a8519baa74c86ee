// A simulated device's end of the APNs simulator's device channel (see simulator-http.ts): it
// holds `GET {url}/devices/{token}/stream?topic=…` open, hands each `push` event's JSON payload
// to `onPush`, and reconnects with capped exponential back-off when the stream drops, as a
// device keeps its APNs connection up. A dead token (410, or an `unregistered` event) stops it.
import http from 'node:http';
import { connectEventStream, type ReconnectOptions } from './event-stream-client.js';

export interface DeviceChannelOptions extends ReconnectOptions {
  /** The simulator's `deviceUrl`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The device token, hex. */
  token: string;
  /** The topic of the MDM server's push certificate, from the enrolment profile. */
  topic: string;
  /** `payload` is the parsed JSON; `meta.raw` the exact text the provider sent. */
  onPush(payload: unknown, meta: { apnsId: string | undefined; raw: string }): void;
  /** The token was declared unregistered; the channel has stopped for good. */
  onUnregistered?(timestampMs: number | undefined): void;
}

export interface DeviceChannel {
  /** Resolves when the first stream is open, that is when the simulator has registered the token. */
  readonly ready: Promise<void>;
  /** Whether a stream is open right now. */
  readonly connected: boolean;
  close(): void;
}

export function connectDeviceChannel(opts: DeviceChannelOptions): DeviceChannel {
  const target = new URL(`/devices/${encodeURIComponent(opts.token)}/stream`, opts.url);
  target.searchParams.set('topic', opts.topic);
  const unregistered = (stop: () => void, timestamp: number | undefined): void => {
    stop();
    opts.onUnregistered?.(timestamp);
  };
  return connectEventStream({
    name: 'device channel',
    request: (onResponse) => http.get(target, { headers: { accept: 'text/event-stream' } }, onResponse),
    onRefused(res, stop) {
      if (res.statusCode !== 410) return false;
      let body = '';
      res.on('data', (c: string) => (body += c));
      res.on('end', () => unregistered(stop, parseTimestamp(body)));
      return true;
    },
    onEvent(e, stop) {
      if (e.event === 'push') opts.onPush(JSON.parse(e.data), { apnsId: e.id, raw: e.data });
      else if (e.event === 'unregistered') unregistered(stop, parseTimestamp(e.data));
    },
    onDisconnect: opts.onDisconnect,
    reconnectMs: opts.reconnectMs,
    maxReconnectMs: opts.maxReconnectMs,
  });
}

function parseTimestamp(text: string): number | undefined {
  try {
    const v = JSON.parse(text) as { timestamp?: unknown };
    return typeof v.timestamp === 'number' ? v.timestamp : undefined;
  } catch {
    return undefined;
  }
}
