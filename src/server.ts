// Starts a whole Orchard: store, PKI, the local APNs, both ports, then the composition root
// (src/compose.ts) builds everything else once, with the ports' real URLs, and the first-start
// bootstrap runs. The CLI's `serve`, the end-to-end tests and the benchmarks all start it this way.
import path from 'node:path';
import { bindPorts, type BoundPorts } from './bind-ports.js';
import { composeOrchard, type OrchardParts } from './compose.js';
import { bootstrapDemo, type BootstrapResult } from './bootstrap.js';
import { AdjustableClock, randomIds, type Clock, type Ids } from './clock.js';
import type { Config } from './config.js';
import { readFixture } from './fixtures.js';
import { createLogger, type Logger } from './log.js';
import { loadSecretsKey } from './secrets-key.js';
import { secureDataDir } from './data-dir-modes.js';
import { loadOperatorToken, operatorTokenFile } from './operator-token.js';
import { loadOrCreatePki } from './pki-loader.js';
import { ensureBuiltinMdm, ensureBuiltinMdmForAll } from './business/enrollment/builtin-mdm.js';
import { loadCursorKey } from './dep/cursors.js';
import { openDb } from './store/db.js';
import { createSqliteStore } from './store/index.js';
import type { DunsEntry } from './business/organisations.js';
import type { Pki } from './pki.js';
import type { RetryPolicy } from './apns/backoff.js';
import { startLocalApns } from './apns/local-apns.js';
import type { ApnsSimulator } from './apns/simulator.js';
import { APNS_HOSTS, DEFAULT_CONNECTIONS, LOCAL_APNS_CONNECTIONS } from './apns/wire.js';
import type { PushEndpoint } from './business/push-senders.js';
import type { RepushPolicy } from './business/push.js';
import { toPem } from './crypto/certificates.js';

export interface RunningOrchard {
  /** What the Orchard is made of (store, services, PKI...), as the composition root built it. */
  deps: OrchardParts;
  bootstrap: BootstrapResult;
  /** Actual URLs (ports resolved when 0 was asked). */
  url: string;
  depUrl: string;
  /** The in-process local APNs (apns.mode `simulator`). */
  apns?: ApnsSimulator;
  /** Where simulated devices hold their APNs connection: `<apns.deviceUrl>/devices/{token}/stream?topic=…`. */
  apnsDeviceUrl?: string;
  /** The server operator's bearer token (test controls, the simulated factory for any serial). */
  operatorTokenFile: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  ids?: Ids;
  logger?: Logger;
  /** Orchard's CAs (until the lead creates them at start from the data dir). */
  pki?: Pki;
  /** How often the webhook worker looks for due deliveries (default 1 s). */
  webhookIntervalMs?: number;
  /** How often scheduled MDM commands that became due are pushed (default 30 s). */
  scheduledCommandsIntervalMs?: number;
  /** How often the re-push worker looks for channels to push again (default 10 s). */
  repushIntervalMs?: number;
  repush?: RepushPolicy;
  /** The push sender's retry of 429/5xx (default src/apns/sender.ts DEFAULT_RETRY). */
  pushRetry?: RetryPolicy;
  /** Randomness of the local APNs' fault rates (tests). */
  apnsRandom?: () => number;
}

export async function startOrchard(config: Config, opts: StartOptions = {}): Promise<RunningOrchard> {
  // The ports first: a port in use must fail before the first write to the data dir.
  const ports = await bindPorts(config);
  try {
    return await startOn(ports, config, opts);
  } catch (err) {
    await ports.close();
    throw err;
  }
}

async function startOn(ports: BoundPorts, config: Config, opts: StartOptions): Promise<RunningOrchard> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? new AdjustableClock();
  const ids = opts.ids ?? randomIds;
  // Secrets at rest: the data dir and every file in it are the owner's only (0700/0600),
  // whatever the umask; a data dir left readable by a previous version is closed here.
  const loosened = secureDataDir(config.dataDir);
  if (loosened.length) logger.warn('data dir files were readable by other users: now owner-only', { files: loosened });
  const secretsKey = loadSecretsKey(config.dataDir);
  const db = openDb(path.join(config.dataDir, 'orchard.sqlite'));
  const store = createSqliteStore(db, { secretsKey });
  const pki = opts.pki ?? await loadOrCreatePki(config.dataDir, clock);

  // APNs (PROTOCOLS.md §7): the local APNs in-process by default, or Apple's hosts.
  let apns: ApnsSimulator | undefined;
  let endpoint: PushEndpoint;
  if (config.apns.mode === 'simulator') {
    apns = await startLocalApns(pki, { clock, port: config.apns.port ?? 0, random: opts.apnsRandom });
    endpoint = { production: true, address: apns.host, port: apns.port, caPem: toPem(pki.ca.cert), connections: config.apns.connections ?? LOCAL_APNS_CONNECTIONS };
  } else {
    const production = config.apns.mode === 'production';
    endpoint = { production, address: config.apns.address ?? APNS_HOSTS[config.apns.mode], port: config.apns.port ?? 443,
      // An overridden address is a local APNs (below): the local default.
      connections: config.apns.connections ?? (config.apns.address === undefined ? DEFAULT_CONNECTIONS : LOCAL_APNS_CONNECTIONS) };
    // An overridden address is a local APNs elsewhere (`orchard apns-sim` on the same data dir):
    // its TLS identity is issued by Orchard's root CA. Apple's hosts keep the system roots.
    if (config.apns.address !== undefined) endpoint.caPem = toPem(pki.ca.cert);
  }

  // The ports were bound first (src/bind-ports.ts), so the composition root is built once with
  // their real URLs (port 0 resolved) and nothing is patched afterwards.
  const { port, depPort } = ports;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const resolved = { ...config };
  if (config.port === 0) resolved.baseUrl = `http://${host}:${port}`;
  if (config.depPort === 0) resolved.depBaseUrl = `http://${host}:${depPort}`;

  const orchard = composeOrchard({
    config: resolved, store, clock, ids, logger, pki, cursorKey: loadCursorKey(config.dataDir), apnsDeviceUrl: apns?.deviceUrl,
    serviceOptions: {
      dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey, operatorToken: loadOperatorToken(config.dataDir),
      pushEndpoint: endpoint, pushRetry: opts.pushRetry, repush: opts.repush,
    },
  });
  const { services } = orchard.parts;
  const bootstrap = await bootstrapDemo(store, services, config.dataDir);
  // The demo organisation pushes with a certificate from the local push CA from the first start.
  if (apns && bootstrap.created && bootstrap.orgId) await services.pushCertificates.installLocalCertificate(bootstrap.orgId, pki.pushCa);
  // Orchard's own MDM server and its ADE profile (url = <base>/enroll/dep) in every organisation.
  await ensureBuiltinMdmForAll(orchard.parts);
  // ... and every organisation that signs up from now on, as part of its sign-up.
  services.provideBuiltinMdm((orgId) => ensureBuiltinMdm(orchard.parts, orgId));
  // Files made during start (certificates, the WAL and shared-memory files) are checked too.
  secureDataDir(config.dataDir);
  orchard.start({
    webhookMs: opts.webhookIntervalMs ?? 1000,
    scheduledCommandsMs: opts.scheduledCommandsIntervalMs ?? 30_000,
    repushMs: opts.repushIntervalMs ?? 10_000,
  });
  ports.serve(orchard.handler, orchard.depApp);
  return {
    deps: orchard.parts, bootstrap,
    url: config.port === 0 ? `http://${host}:${port}` : config.baseUrl,
    depUrl: resolved.depBaseUrl,
    apns, apnsDeviceUrl: apns?.deviceUrl, operatorTokenFile: operatorTokenFile(config.dataDir),
    async close() {
      await orchard.stop();
      await apns?.close();
      await ports.close();
      store.close();
    },
  };
}
