// Starts a whole Orchard: store, services, first-start bootstrap, and both ports.
// The CLI's `serve`, the end-to-end tests and the benchmarks all start it this way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createDepApp, createMainHandler, type AppDeps } from './app.js';
import { bootstrapDemo, type BootstrapResult } from './bootstrap.js';
import { AdjustableClock, randomIds, type Clock, type Ids } from './clock.js';
import type { Config } from './config.js';
import { readFixture } from './fixtures.js';
import { createLogger, type Logger } from './log.js';
import { loadSecretsKey } from './secrets-key.js';
import { createServices } from './services.js';
import { loadOrCreatePki } from './pki-loader.js';
import { localPushTopicSource } from './push-topic.js';
import { ensureBuiltinMdmForAll } from './enroll/builtin-mdm.js';
import { openDb } from './store/db.js';
import { createSqliteStore } from './store/index.js';
import type { DunsEntry } from './business/organisations.js';
import type { Pki } from './pki.js';

export interface RunningOrchard {
  deps: AppDeps;
  bootstrap: BootstrapResult;
  /** Actual URLs (ports resolved when 0 was asked). */
  url: string;
  depUrl: string;
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
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startOrchard(config: Config, opts: StartOptions = {}): Promise<RunningOrchard> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? new AdjustableClock();
  const ids = opts.ids ?? randomIds;
  const db = openDb(path.join(config.dataDir, 'orchard.sqlite'));
  const store = createSqliteStore(db);
  const services = createServices({ store, clock, ids, dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey: loadSecretsKey(config.dataDir) });
  const bootstrap = await bootstrapDemo(store, services, config.dataDir);
  const pki = opts.pki ?? (await loadOrCreatePki(config.dataDir, clock));
  const pushTopic = localPushTopicSource({ dataDir: config.dataDir, pki, clock, ids });
  const deps: AppDeps = { config, store, services, clock, ids, logger, pki, pushTopic };
  services.mdm.webhooks.start(opts.webhookIntervalMs ?? 1000, logger);
  const main = http.createServer({ keepAliveTimeout: 65_000 }, createMainHandler(deps));
  const port = await listen(main, config.port, config.host);
  const dep = http.createServer({ keepAliveTimeout: 65_000 }, createDepApp(deps));
  const servers = [main, dep];
  let depPort: number;
  try {
    depPort = await listen(dep, config.depPort, config.host);
  } catch (e) {
    await new Promise<void>((r) => main.close(() => r()));
    store.close();
    throw e;
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const resolved = { ...config };
  if (config.port === 0) resolved.baseUrl = `http://${host}:${port}`;
  if (config.depPort === 0) resolved.depBaseUrl = `http://${host}:${depPort}`;
  deps.config = resolved;
  // Orchard's own MDM server and its ADE profile (url = <base>/enroll/dep), once the URL is known.
  await ensureBuiltinMdmForAll(deps);
  return {
    deps, bootstrap,
    url: config.port === 0 ? `http://${host}:${port}` : config.baseUrl,
    depUrl: resolved.depBaseUrl,
    async close() {
      await services.mdm.webhooks.stop();
      await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections?.(); s.close(() => r()); })));
      store.close();
    },
  };
}
