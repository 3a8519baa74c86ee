// A raw HTTP/1.1 client for probes that need what fetch hides: send headers, then a body at a
// chosen pace, stop writing when the server closes, and report what came back. Paired with
// `countingServer`, which records how many bytes the server actually read from each socket.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawExchange {
  /** Everything the server sent (status line, headers, body). */
  response: string;
  /** Body bytes this client managed to write before the server closed or answered. */
  written: number;
  closed: boolean;
}

export interface CountingServer {
  port: number;
  /** Bytes read from every socket closed so far, plus those still open. */
  bytesRead(): number;
  openSockets(): number;
  close(): Promise<void>;
}

export async function countingServer(handler: http.RequestListener, options: http.ServerOptions = {}): Promise<CountingServer> {
  const server = http.createServer(options, handler);
  const open = new Set<net.Socket>();
  let closedBytes = 0;
  server.on('connection', (s) => {
    open.add(s);
    s.once('close', () => {
      open.delete(s);
      closedBytes += s.bytesRead;
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    bytesRead: () => closedBytes + [...open].reduce((n, s) => n + s.bytesRead, 0),
    openSockets: () => open.size,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * Sends `head` (request line and headers, without the blank line) and then `bodyBytes` of body
 * in `chunk`-sized writes, each after `pauseMs`, stopping at the first answer or close.
 */
export function rawRequest(port: number, head: string, opts: { bodyBytes: number; chunk?: number; pauseMs?: number; stopAfter?: number; waitMs?: number }): Promise<RawExchange> {
  const chunk = opts.chunk ?? 64 * 1024;
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let written = 0;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ response, written, closed });
    };
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    if (opts.waitMs) setTimeout(() => finish(false), opts.waitMs).unref();
    socket.write(`${head}\r\n\r\n`);
    const limit = Math.min(opts.bodyBytes, opts.stopAfter ?? Infinity);
    const pump = () => {
      while (!done && written < limit && response === '') {
        const n = Math.min(chunk, limit - written);
        written += n;
        const more = socket.write(Buffer.alloc(n, 0x20));
        if (opts.pauseMs) return void setTimeout(pump, opts.pauseMs);
        if (!more) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

export const statusOf = (r: RawExchange): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(r.response)?.[1] ?? 0);
export const bodyOf = (r: RawExchange): string => r.response.slice(r.response.indexOf('\r\n\r\n') + 4);
export const headerOf = (r: RawExchange, name: string): string | undefined =>
  new RegExp(`^${name}: *(.*)$`, 'im').exec(r.response.slice(0, r.response.indexOf('\r\n\r\n')))?.[1]?.trim();
