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
}

/** Environment variables Orchard reads; any other ORCHARD_* variable is refused. */
const ENV_KEYS = [
  'ORCHARD_DATA_DIR', 'PORT', 'ORCHARD_DEP_PORT', 'ORCHARD_HOST', 'ORCHARD_BASE_URL',
  'ORCHARD_DEP_BASE_URL', 'ORCHARD_LOG_LEVEL', 'ORCHARD_TEST_CONTROLS', 'ORCHARD_APNS_MODE',
  'ORCHARD_APNS_ADDRESS', 'ORCHARD_APNS_PORT', 'ORCHARD_APNS_CONNECTIONS',
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
  };
}
