// The APNs simulator's second port (plain HTTP/1.1), for what Apple does not expose:
//
// Device channel: `GET /devices/{token}/stream?topic={topic}` is a server-sent-events stream
// that a simulated device holds open, standing in for the device's persistent connection to
// APNs. Opening it registers the token to the topic and delivers the push held while the device
// was offline. Each push is one event: `event: push`, `id: <apns-id>`, `data: <payload JSON>`.
// A dead token gets 410 `{"reason":"Unregistered","timestamp":…}`, or, if already connected,
// a final `event: unregistered` with `data: {"timestamp":…}` before the stream ends.
//
// Multiplexed device channel: `POST /devices/streams` with `{"devices":[{"token","topic"},…]}`
// opens one stream for many tokens, each event naming its token (`data: {"token":…,"payload":…}`,
// `data: {"token":…,"timestamp":…}`), with the same registration, stored-push and replacement
// semantics per token. It stands for many devices' own connections, multiplexed so that a
// harness simulating thousands of devices holds one socket (simulator-device-streams.ts).
//
// Control API (JSON; unauthenticated, so the simulator binds to loopback by default):
//   GET  /control/counters                  → ApnsCounters
//   GET  /control/requests                  → SeenRequest[] (recent, oldest first)
//   GET  /control/faults, PUT /control/faults {tooManyRequests?, internalServerError?, serviceUnavailable?}
//   POST /control/force {count, status, reason}   the next `count` answers
//   POST /control/drop {count}                    tear down the connection of the next `count` requests
//   POST /control/reset                           clear every fault
//   POST /control/unregister {token, timestamp?}  410 Unregistered from now on (timestamp in ms)
//   POST /control/reregister {token}              undo it
//   POST /control/disconnect {token}              drop a device's stream (it reconnects by itself)
//   GET  /control/devices/{token}           → {topic, online, unregisteredAt, stored}
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DevicePush, DeviceSink } from './device-registry.js';
import type { ApnsSimulator } from './simulator.js';
import { MAX_STREAMS_BODY, openDeviceStreams, parseStreamDevices } from './simulator-device-streams.js';
import { sseEvent } from './sse.js';
import { DEVICE_TOKEN_PATTERN } from './wire.js';

export interface DeviceHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_CONTROL_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage, limit = MAX_CONTROL_BODY): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let v: unknown;
  try {
    v = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'body must be a JSON object');
  return v as Record<string, unknown>;
}

function tokenParam(v: unknown): string {
  if (typeof v !== 'string' || !DEVICE_TOKEN_PATTERN.test(v)) throw new HttpError(400, 'token must be hex');
  return v.toLowerCase();
}

function countParam(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new HttpError(400, 'count must be a non-negative integer');
  return v;
}

function openDeviceStream(sim: ApnsSimulator, token: string, topic: string, req: IncomingMessage, res: ServerResponse, open: Set<ServerResponse>): void {
  const sink: DeviceSink = {
    send: (push: DevicePush) => void res.write(sseEvent('push', push.payload, push.apnsId)),
    unregister: (timestamp: number) => res.end(sseEvent('unregistered', JSON.stringify({ timestamp }))),
    hangUp: () => res.destroy(),
  };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  // A comment line, so that the device sees the response (and knows it is registered) at once.
  res.write(': connected\n\n');
  const dead = sim.devices.connect(token, topic, sink);
  if (dead) {
    res.end(sseEvent('unregistered', JSON.stringify({ timestamp: dead.unregisteredAt })));
    return;
  }
  open.add(res);
  const done = (): void => {
    open.delete(res);
    sim.devices.disconnect(token, sink);
  };
  req.on('close', done);
  res.on('close', done);
}

async function route(sim: ApnsSimulator, req: IncomingMessage, res: ServerResponse, open: Set<ServerResponse>, now: () => Date): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const method = req.method ?? 'GET';

  if (parts[0] === 'devices' && parts.length === 3 && parts[2] === 'stream' && method === 'GET') {
    const token = tokenParam(parts[1]);
    const topic = url.searchParams.get('topic');
    if (!topic) throw new HttpError(400, 'topic is required');
    const dead = sim.devices.unregisteredAt(token);
    if (dead !== undefined) return sendJson(res, 410, { reason: 'Unregistered', timestamp: dead });
    return openDeviceStream(sim, token, topic, req, res, open);
  }
  if (parts[0] === 'devices' && parts.length === 2 && parts[1] === 'streams' && method === 'POST') {
    const devices = parseStreamDevices(await readJson(req, MAX_STREAMS_BODY));
    if (typeof devices === 'string') throw new HttpError(400, devices);
    return openDeviceStreams(sim, devices, res, open);
  }
  if (parts[0] !== 'control') throw new HttpError(404, 'not found');
  const what = `${method} /${parts.slice(1).join('/')}`;
  if (what === 'GET /counters') return sendJson(res, 200, sim.counters());
  if (what === 'GET /requests') return sendJson(res, 200, sim.recentRequests());
  if (what === 'GET /faults') return sendJson(res, 200, sim.faults.getRates());
  if (parts[1] === 'devices' && parts.length === 3 && method === 'GET') {
    const token = tokenParam(parts[2]);
    return sendJson(res, 200, {
      topic: sim.devices.topicOf(token) ?? null,
      online: sim.devices.isOnline(token),
      unregisteredAt: sim.devices.unregisteredAt(token) ?? null,
      stored: sim.devices.storedFor(token) ?? null,
    });
  }
  const body = method === 'GET' ? {} : await readJson(req);
  try {
    switch (what) {
      case 'PUT /faults':
        sim.faults.setRates(body as Record<string, number>);
        break;
      case 'POST /force': {
        if (typeof body.status !== 'number' || typeof body.reason !== 'string') throw new HttpError(400, 'status and reason are required');
        sim.faults.forceNext(countParam(body.count), { status: body.status, reason: body.reason });
        break;
      }
      case 'POST /drop':
        sim.faults.dropNext(countParam(body.count));
        break;
      case 'POST /reset':
        sim.faults.reset();
        break;
      case 'POST /unregister': {
        const at = typeof body.timestamp === 'number' ? new Date(body.timestamp) : now();
        sim.markUnregistered(tokenParam(body.token), at);
        break;
      }
      case 'POST /disconnect':
        if (!sim.devices.dropDevice(tokenParam(body.token))) throw new HttpError(404, 'device not connected');
        break;
      case 'POST /reregister':
        sim.devices.clearUnregistered(tokenParam(body.token));
        break;
      default:
        throw new HttpError(404, 'not found');
    }
  } catch (err) {
    if (err instanceof RangeError) throw new HttpError(400, err.message);
    throw err;
  }
  res.writeHead(204).end();
}

export async function startDeviceHttp(sim: ApnsSimulator, opts: { host: string; port: number; now: () => Date }): Promise<DeviceHttp> {
  const open = new Set<ServerResponse>();
  const server = http.createServer((req, res) => {
    route(sim, req, res, open, opts.now).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'internal error';
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    close: async () => {
      for (const res of open) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
