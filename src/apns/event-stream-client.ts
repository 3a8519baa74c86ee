// The client end of the APNs simulator's device channels (one device's stream, or many devices'
// multiplexed stream): one long-lived `text/event-stream` request, reopened with capped
// exponential back-off whenever it fails or drops, until closed or stopped for good.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { SseParser, type SseEvent } from './sse.js';

/** How a stream client reconnects; the device channel and the multiplexed streams pass these through. */
export interface ReconnectOptions {
  /** A connection attempt failed or an open stream ended; a reconnect is scheduled. */
  onDisconnect?(err: Error | undefined): void;
  /** First reconnect delay in ms (default 250), doubling up to `maxReconnectMs` (default 10000). */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export interface EventStreamOptions extends ReconnectOptions {
  /** Names the stream in errors, e.g. 'device channel'. */
  name: string;
  /** Starts one request (ended, if it has a body) whose response is handed to `onResponse`. */
  request(onResponse: (res: IncomingMessage) => void): ClientRequest;
  /** Each event of an open stream; `stop` ends the client for good. */
  onEvent(e: SseEvent, stop: () => void): void;
  /** A non-200 answer: return true when it was handled (e.g. by `stop`), false to retry. */
  onRefused?(res: IncomingMessage, stop: () => void): boolean;
  /** Asked before every (re)open; false ends the client (nothing left to listen for). */
  shouldOpen?(): boolean;
}

export interface EventStreamClient {
  /** Resolves when the first stream is open. */
  readonly ready: Promise<void>;
  /** Whether a stream is open right now. */
  readonly connected: boolean;
  close(): void;
}

export function connectEventStream(o: EventStreamOptions): EventStreamClient {
  const base = o.reconnectMs ?? 250;
  const cap = o.maxReconnectMs ?? 10_000;
  let delay = base;
  let closed = false;
  let connected = false;
  let request: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const stop = (): void => {
    closed = true;
    connected = false;
    if (timer) clearTimeout(timer);
    const req = request;
    request = undefined;
    req?.destroy();
  };

  const retry = (err: Error | undefined): void => {
    connected = false;
    request = undefined;
    if (closed) return;
    o.onDisconnect?.(err);
    timer = setTimeout(open, delay);
    delay = Math.min(cap, delay * 2);
  };

  function open(): void {
    if (closed) return;
    if (o.shouldOpen && !o.shouldOpen()) {
      closed = true;
      return;
    }
    const req = o.request((res) => {
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        if (o.onRefused?.(res, stop)) return;
        res.resume();
        return retry(new Error(`${o.name} answered ${res.statusCode}`));
      }
      connected = true;
      delay = base;
      markReady();
      const parser = new SseParser();
      res.on('data', (chunk: string) => parser.feed(chunk, (e) => o.onEvent(e, stop)));
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
    close: stop,
  };
}
