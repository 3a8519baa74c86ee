// A local stand-in for Apple's APNs provider API: HTTP/2 over TLS on one port, judged by the
// provider's client certificate, answering with Apple's statuses and `reason` strings
// ("Sending notification requests to APNs", "Handling notification responses from APNs";
// PROTOCOLS.md §7). Accepted pushes go to simulated devices over the device channel, a separate
// plain HTTP/1.1 port that also serves the control API (see simulator-http.ts): one
// server-sent-events stream per token (`GET /devices/{token}/stream?topic=…`), or one stream
// for many tokens (`POST /devices/streams`, each event naming its token; it stands for many
// devices' own connections, multiplexed so that a harness need not hold thousands of sockets;
// simulator-device-streams.ts).
import http2, { type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { randomUUID, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import { DeviceRegistry } from './device-registry.js';
import { judgePeer, type PeerVerdict } from './peer-certificate.js';
import { validatePushRequest } from './push-request.js';
import { FaultPlan } from './simulator-faults.js';
import { RequestLog } from './simulator-log.js';
import { startDeviceHttp, type DeviceHttp } from './simulator-http.js';
import { HEADER, MAX_PAYLOAD_BYTES, REASON_STATUS, type ApnsErrorBody } from './wire.js';

export interface ApnsSimulatorOptions {
  /** Interface for both ports. Default 127.0.0.1: the control API has no authentication. */
  host?: string;
  /** APNs (HTTP/2, TLS) port; 0 picks a free one. */
  port?: number;
  /** Device channel and control API (HTTP/1.1, plain) port; 0 (default) picks a free one. */
  devicePort?: number;
  /** The simulator's TLS server identity. */
  tls: { certPem: string; keyPem: string };
  /** The CA that provider (push) certificates must chain to. */
  pushCaPem: string;
  /** Which Apple push extension a certificate must carry, when it carries one. Default production. */
  environment?: 'production' | 'sandbox';
  /** SETTINGS_MAX_CONCURRENT_STREAMS advertised to providers. APNs advertises about 1000. */
  maxConcurrentStreams?: number;
  /** How many recent requests `recentRequests()` keeps. Default 100. */
  requestLogSize?: number;
  clock?: { now(): Date };
  /** Source of randomness for fault rates. */
  random?: () => number;
  /** Generates `apns-id` when the provider sends none. */
  newId?: () => string;
}

export interface ApnsCounters {
  accepted: number;
  /** Rejections by `reason`. */
  rejected: Record<string, number>;
  /** Pushes written to a device channel. */
  delivered: number;
  /** Pushes kept for an offline device (each replaces the previous one). */
  stored: number;
  /** Connections torn down by the drop fault. */
  droppedConnections: number;
  /** Provider connections (HTTP/2 sessions) accepted since the start. */
  connections: number;
}

export type { SeenRequest } from './simulator-log.js';

import type { SeenRequest } from './simulator-log.js';

export interface ApnsSimulator {
  /** `https://host:port`, the base URL a provider pushes to. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** `http://host:devicePort`, for device channels and the control API. */
  readonly deviceUrl: string;
  readonly devicePort: number;
  readonly faults: FaultPlan;
  readonly devices: DeviceRegistry;
  /** Declare a token dead: pushes to it get 410 Unregistered with `at` as timestamp. */
  markUnregistered(token: string, at?: Date): void;
  counters(): ApnsCounters;
  /** The last requests received, oldest first. */
  recentRequests(): SeenRequest[];
  close(): Promise<void>;
}

/** The certificates a TLS client presented: leaf first, then the chain it sent. */
function presentedChain(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && out.length < 6) {
    out.push(cert.raw);
    const next: DetailedPeerCertificate | undefined = cert.issuerCertificate;
    if (!next || next === cert || next.raw?.equals(cert.raw)) break;
    cert = next;
  }
  return out;
}

export async function startApnsSimulator(opts: ApnsSimulatorOptions): Promise<ApnsSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? { now: () => new Date() };
  const newId = opts.newId ?? randomUUID;
  const pushCa = new X509Certificate(opts.pushCaPem);
  const environment = opts.environment ?? 'production';
  const logSize = opts.requestLogSize ?? 100;
  const faults = new FaultPlan(opts.random ?? Math.random);
  const devices = new DeviceRegistry(() => clock.now());
  const counts = { accepted: 0, stored: 0, droppedConnections: 0, connections: 0, rejected: {} as Record<string, number> };
  const verdicts = new WeakMap<ServerHttp2Session, PeerVerdict>();
  const sessions = new Set<ServerHttp2Session>();

  const server = http2.createSecureServer({
    cert: opts.tls.certPem,
    key: opts.tls.keyPem,
    // Accept any client certificate at the TLS layer so that a bad one gets APNs' 403 answer.
    requestCert: true,
    rejectUnauthorized: false,
    settings: { maxConcurrentStreams: opts.maxConcurrentStreams ?? 1000 },
  });

  function verdictFor(session: ServerHttp2Session): PeerVerdict {
    let v = verdicts.get(session);
    if (!v) {
      v = judgePeer(presentedChain(session.socket as TLSSocket), { pushCa, environment, now: clock.now() });
      verdicts.set(session, v);
    }
    return v;
  }

  // The request log keeps what came in as received and builds each entry's header record only
  // when read: the server's in-process APNs logs every push, and reading is rare.
  const log = new RequestLog(logSize);
  const record = (method: string, path: string, rawHeaders: string[], status: number, apnsId: string, reason?: string): void =>
    log.add(method, path, rawHeaders, status, apnsId, reason);

  function respond(stream: ServerHttp2Stream, status: number, apnsId: string, body?: ApnsErrorBody): void {
    if (stream.destroyed || stream.closed) return;
    if (!body) {
      stream.respond({ ':status': status, [HEADER.id]: apnsId }, { endStream: true });
      return;
    }
    counts.rejected[body.reason] = (counts.rejected[body.reason] ?? 0) + 1;
    stream.respond({ ':status': status, [HEADER.id]: apnsId, 'content-type': 'application/json' });
    stream.end(JSON.stringify(body));
  }

  function drop(session: ServerHttp2Session, stream: ServerHttp2Stream): void {
    counts.droppedConnections++;
    // APNs may put the JSON reason in the GOAWAY frame ("Handling notification responses").
    // Last stream id below this one: the provider learns this request was not processed.
    session.goaway(http2.constants.NGHTTP2_NO_ERROR, Math.max(0, (stream.id ?? 2) - 2), Buffer.from('{"reason":"Shutdown"}'));
    session.destroy();
  }

  function handle(stream: ServerHttp2Stream, method: string, path: string, requestedId: string | undefined, rawHeaders: string[], body: Buffer, tooLarge: boolean): void {
    const session = stream.session as ServerHttp2Session;
    const fail = (reason: string, status: number, timestamp?: number): void => {
      const apnsId = requestedId ?? newId();
      respond(stream, status, apnsId, timestamp === undefined ? { reason } : { reason, timestamp });
      record(method, path, rawHeaders, status, apnsId, reason);
    };

    const fault = faults.next();
    if (fault?.kind === 'drop') return drop(session, stream);
    const peer = verdictFor(session);
    if (!peer.ok) return fail(peer.reason, REASON_STATUS[peer.reason]);
    if (fault) return fail(fault.reason, fault.status);

    const v = validatePushRequest({ method, path, rawHeaders, body, bodyTooLarge: tooLarge }, peer.topic);
    if (!v.ok) return fail(v.reason, v.reason in REASON_STATUS ? REASON_STATUS[v.reason as keyof typeof REASON_STATUS] : 400);
    const push = v.push;
    const dead = devices.unregisteredAt(push.token);
    if (dead !== undefined) return fail('Unregistered', 410, dead);
    const owner = devices.topicOf(push.token);
    if (owner !== undefined && owner !== push.topic) return fail('DeviceTokenNotForTopic', 400);

    const apnsId = push.apnsId ?? newId();
    counts.accepted++;
    if (devices.deliver(push.token, { apnsId, topic: push.topic, payload: push.payload }, push.expiration) === 'stored') {
      counts.stored++;
    }
    respond(stream, 200, apnsId);
    record(method, path, rawHeaders, 200, apnsId);
  }

  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    counts.connections++;
    session.on('close', () => sessions.delete(session));
    session.on('error', () => session.destroy());
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: http2.IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
    const method = String(headers[':method'] ?? '');
    const path = String(headers[':path'] ?? '');
    // Echoed on every answer, even before the request is judged (a repeated one: the first).
    // HTTP/2 header names arrive lower-case (RFC 9113 §8.2.1).
    let requestedId: string | undefined;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      if (rawHeaders[i] === HEADER.id) {
        requestedId = rawHeaders[i + 1];
        break;
      }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    stream.on('error', () => undefined);
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    stream.on('end', () => handle(stream, method, path, requestedId, rawHeaders, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), tooLarge));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const sim: ApnsSimulator = {
    url: `https://${host}:${port}`,
    host,
    port,
    deviceUrl: '',
    devicePort: 0,
    faults,
    devices,
    markUnregistered: (token, at) => devices.markUnregistered(token, at ?? clock.now()),
    counters: () => ({ ...counts, rejected: { ...counts.rejected }, delivered: devices.delivered }),
    recentRequests: () => log.entries(),
    close: async () => {
      await deviceHttp.close();
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  let deviceHttp: DeviceHttp;
  try {
    deviceHttp = await startDeviceHttp(sim, { host, port: opts.devicePort ?? 0, now: () => clock.now() });
  } catch (err) {
    server.close();
    throw err;
  }
  return Object.assign(sim, { deviceUrl: deviceHttp.url, devicePort: deviceHttp.port });
}
