// A simulated device's end of the APNs simulator's device channel (see simulator-http.ts): it
// holds `GET {url}/devices/{token}/stream?topic=…` open, hands each `push` event's JSON payload
// to `onPush`, and reconnects with capped exponential back-off when the stream drops, as a
// device keeps its APNs connection up. A dead token (410, or an `unregistered` event) stops it.
import http, { type ClientRequest } from 'node:http';
import { SseParser } from './sse.js';

export interface DeviceChannelOptions {
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
  /** A connection attempt failed or an open stream ended; a reconnect is scheduled. */
  onDisconnect?(err: Error | undefined): void;
  /** First reconnect delay in ms (default 250), doubling up to `maxReconnectMs` (default 10000). */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export interface DeviceChannel {
  /** Resolves when the first stream is open, that is when the simulator has registered the token. */
  readonly ready: Promise<void>;
  /** Whether a stream is open right now. */
  readonly connected: boolean;
  close(): void;
}

export function connectDeviceChannel(opts: DeviceChannelOptions): DeviceChannel {
  const base = opts.reconnectMs ?? 250;
  const cap = opts.maxReconnectMs ?? 10_000;
  let delay = base;
  let closed = false;
  let connected = false;
  let request: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const target = new URL(`/devices/${encodeURIComponent(opts.token)}/stream`, opts.url);
  target.searchParams.set('topic', opts.topic);

  const stop = (timestamp: number | undefined): void => {
    closed = true;
    request?.destroy();
    opts.onUnregistered?.(timestamp);
  };

  const retry = (err: Error | undefined): void => {
    connected = false;
    request = undefined;
    if (closed) return;
    opts.onDisconnect?.(err);
    timer = setTimeout(open, delay);
    delay = Math.min(cap, delay * 2);
  };

  function open(): void {
    if (closed) return;
    const req = http.get(target, { headers: { accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      if (res.statusCode === 410) {
        let body = '';
        res.on('data', (c: string) => (body += c));
        res.on('end', () => stop(parseTimestamp(body)));
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        return retry(new Error(`device channel answered ${res.statusCode}`));
      }
      connected = true;
      delay = base;
      markReady();
      const parser = new SseParser();
      res.on('data', (chunk: string) =>
        parser.feed(chunk, (e) => {
          if (e.event === 'push') opts.onPush(JSON.parse(e.data), { apnsId: e.id, raw: e.data });
          else if (e.event === 'unregistered') stop(parseTimestamp(e.data));
        }),
      );
      res.on('close', () => {
        if (request === req) retry(undefined);
      });
    });
    request = req;
    req.on('error', (err) => {
      if (request === req) retry(err);
    });
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

function parseTimestamp(text: string): number | undefined {
  try {
    const v = JSON.parse(text) as { timestamp?: unknown };
    return typeof v.timestamp === 'number' ? v.timestamp : undefined;
  } catch {
    return undefined;
  }
}
