// Opens an existing data directory's store and services for a command that runs beside (or
// instead of) `orchard serve`: SQLite in WAL mode lets it read and write while a server runs. Mail
// it sends (invitations) goes to the same outbox, with the same links, as the server's.
import fs from 'node:fs';
import path from 'node:path';
import { randomIds, systemClock } from '../clock.js';
import type { DunsEntry } from '../business/organisations.js';
import { mailSettings, type Config } from '../config.js';
import { readFixture } from '../fixtures.js';
import { loadSecretsKey } from '../secrets-key.js';
import { createServices, type Services } from '../business/services.js';
import { openDb } from '../store/db.js';
import { createSqliteStore, type Store } from '../store/index.js';
import { CliError } from './errors.js';

export interface OpenDataDir {
  store: Store;
  services: Services;
  close(): void;
}

/** Refuses a directory without Orchard's database rather than creating an empty one. */
export function openDataDir(config: Pick<Config, 'dataDir' | 'baseUrl'>, command: string): OpenDataDir {
  const { dataDir } = config;
  const dbFile = path.join(dataDir, 'orchard.sqlite');
  if (!fs.existsSync(dbFile)) throw new CliError(`${command}: no Orchard data in ${dataDir}: name the server's data directory with --data-dir DIR (or ORCHARD_DATA_DIR), or start \`npx orchard serve\` first`);
  const secretsKey = loadSecretsKey(dataDir);
  const store = createSqliteStore(openDb(dbFile), { secretsKey });
  const services = createServices({
    ...mailSettings(config), store, clock: systemClock, ids: randomIds, dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey,
  });
  return { store, services, close: () => store.close() };
}
