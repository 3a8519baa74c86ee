// The one reader of process.env. Every setting has a default so that `npm start` on a fresh
// clone runs; unknown or malformed settings stop start-up with a message naming them.
import path from 'node:path';
import { z } from 'zod';
import type { LogLevel } from './log.js';

export interface Config {
  /** Holds the SQLite file and all generated private material (keys mode 0600). */
  dataDir: string;
  /** Main port: admin API, portal, MDM, enrolment, Apps and Books API, and /dep. */
  port: number;
  /** The Device Assignment API at the root of its own port, as Apple's host serves it. */
  depPort: number;
  /** Host both ports listen on. */
  host: string;
  /** Public URL put into profiles, tokens and cloud configurations. */
  baseUrl: string;
  /** Public URL of the DEP port. */
  depBaseUrl: string;
  logLevel: LogLevel;
  /** Test-control face (clock, fault injection) for MDM vendors' tests. Off by default. */
  testControls: boolean;
  apns: {
    /** 'simulator' runs the local APNs in-process; 'production'/'sandbox' reach Apple. */
    mode: 'simulator' | 'production' | 'sandbox';
    /** Override of the APNs host (any address: that is how a remote simulator is used). */
    address?: string;
    port?: number;
    /**
     * HTTP/2 connections per push sender (per push certificate and topic), used round robin.
     * Absent: LOCAL_APNS_CONNECTIONS to the local APNs, DEFAULT_CONNECTIONS to Apple's hosts.
     */
    connections?: number;
  };
  /** Bounds on what a client can make the server hold: body sizes, bytes in flight, time. */
  limits: Limits;
  /**
   * DNS servers asked for domain-verification TXT records (`ip` or `ip:port`, IPv6 as `[ip]:port`);
   * absent: the system's resolvers. Tests point it at a loopback DNS stub.
   */
  dnsServers?: string[];
}

/**
 * Request body limits per face, in bytes, sized to what Apple's clients send with room to spare
 * (SECURITY.md "Limits" gives each size and why). A body over its face's limit is refused from
 * its Content-Length before it is read (413, or the face's own code for "too large").
 */
export interface BodyLimits {
  /** MDM check-ins: Authenticate/TokenUpdate/CheckOut are 1–4 KB (UnlockToken ~3 KB); a
   * DeclarativeManagement status report carries a base64 Data of tens of KB. */
  mdmCheckin: number;
  /** MDM command results: a Mac's InstalledApplicationList (~400 B an app, ~1,000 apps),
   * CertificateList (~2.5 KB a certificate) or ProfileList reach some hundreds of KB. */
  mdmConnect: number;
  /** DEP JSON: at most 1,000 serials a request (~20 B each) or a profile with anchor certs. */
  dep: number;
  /** Apps and Books JSON: at most 1,000 serials or client user IDs and 25 assets a request. */
  vpp: number;
  /** SCEP PKIOperation: an enveloped, signed CSR is 3–10 KB. */
  scep: number;
  /** Setup Assistant's signed MachineInfo plist and the web enrolment form: a few KB. */
  enroll: number;
  /** Admin JSON: an organisation edit is bytes; a push certificate in PEM a few KB. */
  adminJson: number;
  /** Admin CSV uploads (device lists): 100,000 serials of ~40 B a line. */
  csv: number;
  /** Reseller bulk-enroll-devices: orders of up to some thousands of devices (~150 B each). */
  reseller: number;
  /** Developer API (custom app metadata). */
  developer: number;
}

export interface Limits {
  body: BodyLimits;
  /** Process-wide cap on request-body bytes admitted and not yet answered (both ports). */
  inflightBytes: number;
  /** Of those, at most this many for requests that carry no credential header at all. */
  unauthenticatedInflightBytes: number;
  /** Node's server.headersTimeout: the whole header block must arrive within this. */
  headersTimeoutMs: number;
  /** Node's server.requestTimeout: the whole request (headers and body) within this. */
  requestTimeoutMs: number;
  /** A body that sends no byte for this long is cut (408 and the connection closed). */
  bodyIdleTimeoutMs: number;
}

/** Environment variables Orchard reads; any other ORCHARD_* variable is refused. */
const ENV_KEYS = [
  'ORCHARD_DATA_DIR', 'PORT', 'ORCHARD_DEP_PORT', 'ORCHARD_HOST', 'ORCHARD_BASE_URL',
  'ORCHARD_DEP_BASE_URL', 'ORCHARD_LOG_LEVEL', 'ORCHARD_TEST_CONTROLS', 'ORCHARD_APNS_MODE',
  'ORCHARD_APNS_ADDRESS', 'ORCHARD_APNS_PORT', 'ORCHARD_APNS_CONNECTIONS',
  'ORCHARD_LIMIT_MDM_CHECKIN_BYTES', 'ORCHARD_LIMIT_MDM_CONNECT_BYTES', 'ORCHARD_LIMIT_DEP_BYTES', 'ORCHARD_LIMIT_VPP_BYTES',
  'ORCHARD_LIMIT_SCEP_BYTES', 'ORCHARD_LIMIT_ENROLL_BYTES', 'ORCHARD_LIMIT_ADMIN_JSON_BYTES', 'ORCHARD_LIMIT_CSV_BYTES',
  'ORCHARD_LIMIT_RESELLER_BYTES', 'ORCHARD_LIMIT_DEVELOPER_BYTES', 'ORCHARD_LIMIT_INFLIGHT_BYTES',
  'ORCHARD_LIMIT_UNAUTH_INFLIGHT_BYTES', 'ORCHARD_HEADERS_TIMEOUT_MS', 'ORCHARD_REQUEST_TIMEOUT_MS', 'ORCHARD_BODY_IDLE_TIMEOUT_MS',
  'ORCHARD_DNS_SERVERS',
] as const;

/** CLI flags and the variable each stands for. */
const FLAGS: Record<string, (typeof ENV_KEYS)[number]> = {
  '--data-dir': 'ORCHARD_DATA_DIR',
  '--port': 'PORT',
  '--dep-port': 'ORCHARD_DEP_PORT',
  '--host': 'ORCHARD_HOST',
  '--base-url': 'ORCHARD_BASE_URL',
  '--dep-base-url': 'ORCHARD_DEP_BASE_URL',
  '--log-level': 'ORCHARD_LOG_LEVEL',
  '--test-controls': 'ORCHARD_TEST_CONTROLS',
  '--apns-mode': 'ORCHARD_APNS_MODE',
  '--apns-address': 'ORCHARD_APNS_ADDRESS',
  '--apns-port': 'ORCHARD_APNS_PORT',
  '--apns-connections': 'ORCHARD_APNS_CONNECTIONS',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
const KiB = 1024;
const MiB = 1024 * KiB;
const bytes = (dflt: number) => z.coerce.number().int().min(1024).max(1024 * MiB).default(dflt);
const millis = (dflt: number) => z.coerce.number().int().min(50).max(3_600_000).default(dflt);
const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const schema = z.object({
  ORCHARD_DATA_DIR: z.string().min(1).default('./data'),
  PORT: port.default(8080),
  ORCHARD_DEP_PORT: port.default(8081),
  ORCHARD_HOST: z.string().min(1).default('127.0.0.1'),
  ORCHARD_BASE_URL: url.optional(),
  ORCHARD_DEP_BASE_URL: url.optional(),
  ORCHARD_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  ORCHARD_TEST_CONTROLS: bool.default('0'),
  ORCHARD_APNS_MODE: z.enum(['simulator', 'production', 'sandbox']).default('simulator'),
  ORCHARD_APNS_ADDRESS: z.string().min(1).optional(),
  ORCHARD_APNS_PORT: port.optional(),
  // Apple: keep connections open and use several for throughput ("Sending notification requests
  // to APNs"); each is one TLS session and about 1,000 concurrent streams.
  ORCHARD_APNS_CONNECTIONS: z.coerce.number().int().min(1).max(64).optional(),
  ORCHARD_LIMIT_MDM_CHECKIN_BYTES: bytes(256 * KiB),
  ORCHARD_LIMIT_MDM_CONNECT_BYTES: bytes(4 * MiB),
  ORCHARD_LIMIT_DEP_BYTES: bytes(1 * MiB),
  ORCHARD_LIMIT_VPP_BYTES: bytes(1 * MiB),
  ORCHARD_LIMIT_SCEP_BYTES: bytes(64 * KiB),
  ORCHARD_LIMIT_ENROLL_BYTES: bytes(64 * KiB),
  ORCHARD_LIMIT_ADMIN_JSON_BYTES: bytes(1 * MiB),
  ORCHARD_LIMIT_CSV_BYTES: bytes(4 * MiB),
  ORCHARD_LIMIT_RESELLER_BYTES: bytes(4 * MiB),
  ORCHARD_LIMIT_DEVELOPER_BYTES: bytes(256 * KiB),
  // 64 MiB in flight: 16 connect results at their limit, or some thousands of check-ins at once;
  // without a cap, 150 unsigned 4 MB bodies held 600 MB (issue 17, finding 7).
  ORCHARD_LIMIT_INFLIGHT_BYTES: bytes(64 * MiB),
  ORCHARD_LIMIT_UNAUTH_INFLIGHT_BYTES: bytes(16 * MiB),
  // Node's defaults (60 s headers, 300 s request) let 3,000 trickling connections stay 70 s+.
  ORCHARD_HEADERS_TIMEOUT_MS: millis(15_000),
  ORCHARD_REQUEST_TIMEOUT_MS: millis(120_000),
  ORCHARD_BODY_IDLE_TIMEOUT_MS: millis(10_000),
  // Comma-separated: 192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53.
  ORCHARD_DNS_SERVERS: z.string().regex(/^\s*(\[[0-9a-fA-F:]+\](:\d{1,5})?|[0-9.]+(:\d{1,5})?|[0-9a-fA-F:]+)(\s*,\s*(\[[0-9a-fA-F:]+\](:\d{1,5})?|[0-9.]+(:\d{1,5})?|[0-9a-fA-F:]+))*\s*$/, 'a comma-separated list of IP addresses, each with an optional :port').optional(),
});

/** Splits `--flag value` / `--flag=value` arguments into settings; anything else is an error. */
function flagsToSettings(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = FLAGS[flag];
    if (!key) throw new ConfigError(`unknown option ${flag}; known: ${Object.keys(FLAGS).join(', ')}`);
    if (flag === '--test-controls' && inline === undefined) {
      out[key] = '1';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    out[key] = value;
  }
  return out;
}

function limitsOf(s: z.infer<typeof schema>): Limits {
  if (s.ORCHARD_LIMIT_UNAUTH_INFLIGHT_BYTES > s.ORCHARD_LIMIT_INFLIGHT_BYTES) {
    throw new ConfigError('ORCHARD_LIMIT_UNAUTH_INFLIGHT_BYTES must not exceed ORCHARD_LIMIT_INFLIGHT_BYTES');
  }
  if (s.ORCHARD_HEADERS_TIMEOUT_MS > s.ORCHARD_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('ORCHARD_HEADERS_TIMEOUT_MS must not exceed ORCHARD_REQUEST_TIMEOUT_MS (Node requires it)');
  }
  return {
    body: {
      mdmCheckin: s.ORCHARD_LIMIT_MDM_CHECKIN_BYTES, mdmConnect: s.ORCHARD_LIMIT_MDM_CONNECT_BYTES, dep: s.ORCHARD_LIMIT_DEP_BYTES,
      vpp: s.ORCHARD_LIMIT_VPP_BYTES, scep: s.ORCHARD_LIMIT_SCEP_BYTES, enroll: s.ORCHARD_LIMIT_ENROLL_BYTES,
      adminJson: s.ORCHARD_LIMIT_ADMIN_JSON_BYTES, csv: s.ORCHARD_LIMIT_CSV_BYTES, reseller: s.ORCHARD_LIMIT_RESELLER_BYTES,
      developer: s.ORCHARD_LIMIT_DEVELOPER_BYTES,
    },
    inflightBytes: s.ORCHARD_LIMIT_INFLIGHT_BYTES,
    unauthenticatedInflightBytes: s.ORCHARD_LIMIT_UNAUTH_INFLIGHT_BYTES,
    headersTimeoutMs: s.ORCHARD_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: s.ORCHARD_REQUEST_TIMEOUT_MS,
    bodyIdleTimeoutMs: s.ORCHARD_BODY_IDLE_TIMEOUT_MS,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): Config {
  const unknown = Object.keys(env).filter((k) => k.startsWith('ORCHARD_') && !(ENV_KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new ConfigError(`unknown setting ${unknown.join(', ')}; known: ${ENV_KEYS.join(', ')}`);
  const raw: Record<string, string | undefined> = {};
  for (const k of ENV_KEYS) if (env[k] !== undefined && env[k] !== '') raw[k] = env[k];
  Object.assign(raw, flagsToSettings(argv));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(raw[String(i.path[0])])})`);
    throw new ConfigError(`invalid settings: ${issues.join('; ')}`);
  }
  const s = parsed.data;
  const publicHost = s.ORCHARD_HOST === '0.0.0.0' || s.ORCHARD_HOST === '::' ? 'localhost' : s.ORCHARD_HOST;
  const baseUrl = (s.ORCHARD_BASE_URL ?? `http://localhost:${s.PORT}`).replace(/\/+$/, '');
  return {
    dataDir: path.resolve(s.ORCHARD_DATA_DIR),
    port: s.PORT,
    depPort: s.ORCHARD_DEP_PORT,
    host: s.ORCHARD_HOST,
    baseUrl,
    depBaseUrl: (s.ORCHARD_DEP_BASE_URL ?? `http://${publicHost}:${s.ORCHARD_DEP_PORT}`).replace(/\/+$/, ''),
    logLevel: s.ORCHARD_LOG_LEVEL,
    testControls: s.ORCHARD_TEST_CONTROLS,
    apns: { mode: s.ORCHARD_APNS_MODE, address: s.ORCHARD_APNS_ADDRESS, port: s.ORCHARD_APNS_PORT, connections: s.ORCHARD_APNS_CONNECTIONS },
    limits: limitsOf(s),
    dnsServers: s.ORCHARD_DNS_SERVERS?.split(',').map((x) => x.trim()),
  };
}

/** Where mail goes and what it names, for every process that opens a data dir (the server and the
 *  CLI alike): the outbox's .eml files under the data dir, the sender at the public host name, and
 *  the base URL links in mail point at. */
export function mailSettings(config: Pick<Config, 'dataDir' | 'baseUrl'>): { outboxDir: string; mailFrom: string; baseUrl: string } {
  return { outboxDir: path.join(config.dataDir, 'outbox'), mailFrom: `Orchard <no-reply@${new URL(config.baseUrl).hostname}>`, baseUrl: config.baseUrl };
}
