// Many simulated devices' end of the APNs simulator's multiplexed device channel
// (simulator-device-streams.ts): one `POST {url}/devices/streams` held open for all their
// tokens, each `push` event handed to `onPush` with its token. Like a single device's channel
// (device-channel.ts) it reconnects with capped exponential back-off when the stream drops,
// re-registering every token that is not dead; a token declared unregistered is left out from
// then on.
import http, { type ClientRequest } from 'node:http';
import { SseParser } from './sse.js';

export interface DeviceStreamsOptions {
  /** The simulator's `deviceUrl`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  devices: Array<{ token: string; topic: string }>;
  /** `payload` is the parsed JSON; `meta.raw` the event's data as received. */
  onPush(token: string, payload: unknown, meta: { apnsId: string | undefined; raw: string }): void;
  onUnregistered?(token: string, timestampMs: number | undefined): void;
  /** A connection attempt failed or the open stream ended; a reconnect is scheduled. */
  onDisconnect?(err: Error | undefined): void;
  /** First reconnect delay in ms (default 250), doubling up to `maxReconnectMs` (default 10000). */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export interface DeviceStreams {
  /** Resolves when the first stream is open, that is when the simulator has registered every token. */
  readonly ready: Promise<void>;
  readonly connected: boolean;
  close(): void;
}

export function connectDeviceStreams(opts: DeviceStreamsOptions): DeviceStreams {
  const base = opts.reconnectMs ?? 250;
  const cap = opts.maxReconnectMs ?? 10_000;
  const live = new Map(opts.devices.map((d) => [d.token.toLowerCase(), d.topic]));
  let delay = base;
  let closed = false;
  let connected = false;
  let request: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const target = new URL('/devices/streams', opts.url);

  const retry = (err: Error | undefined): void => {
    connected = false;
    request = undefined;
    if (closed) return;
    opts.onDisconnect?.(err);
    timer = setTimeout(open, delay);
    delay = Math.min(cap, delay * 2);
  };

  const onEvent = (event: string, id: string | undefined, data: string): void => {
    if (event === 'push') {
      const v = JSON.parse(data) as { token: string; payload: unknown };
      opts.onPush(v.token, v.payload, { apnsId: id, raw: data });
    } else if (event === 'unregistered') {
      const v = JSON.parse(data) as { token: string; timestamp?: unknown };
      live.delete(v.token);
      opts.onUnregistered?.(v.token, typeof v.timestamp === 'number' ? v.timestamp : undefined);
    }
  };

  function open(): void {
    if (closed) return;
    if (live.size === 0) {
      closed = true;
      return;
    }
    const body = JSON.stringify({ devices: [...live].map(([token, topic]) => ({ token, topic })) });
    const req = http.request(target, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        res.resume();
        return retry(new Error(`device streams answered ${res.statusCode}`));
      }
      connected = true;
      delay = base;
      markReady();
      const parser = new SseParser();
      res.on('data', (chunk: string) => parser.feed(chunk, (e) => onEvent(e.event, e.id, e.data)));
      res.on('close', () => {
        if (request === req) retry(undefined);
      });
    });
    request = req;
    req.on('error', (err) => {
      if (request === req) retry(err);
    });
    req.end(body);
  }

  open();
  return {
    ready,
    get connected() {
      return connected;
    },
    close() {
      closed = true;
      connected = false;
      if (timer) clearTimeout(timer);
      const req = request;
      request = undefined;
      req?.destroy();
    },
  };
}
