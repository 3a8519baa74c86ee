// Setup data written into a data dir before the server under test starts, through Orchard's own
// store and services (the same code `serve` runs), so that a scenario measures the faces, not
// the seeding: the demo organisation, 100,000 devices on an MDM server, device identities.
import fs from 'node:fs';
import path from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { bootstrapDemo } from '../bootstrap.js';
import type { Principal } from '../business/principal.js';
import type { DunsEntry } from '../business/organisations.js';
import { AdjustableClock, randomIds } from '../clock.js';
import { fingerprintOf, toPem } from '../crypto/certificates.js';
import { cmsDecrypt, smimeDecode } from '../crypto/cms.js';
import type { Identity } from '../crypto/types.js';
import { readFixture } from '../fixtures.js';
import { loadOrCreatePki } from '../pki-loader.js';
import type { Pki } from '../pki.js';
import { loadSecretsKey } from '../secrets-key.js';
import { createServices, type Services } from '../business/services.js';
import { openDb, type Db } from '../store/db.js';
import type { Device, DeviceFamily } from '../store/devices.js';
import { createSqliteStore, type Store } from '../store/index.js';

export interface SeededData {
  db: Db;
  store: Store;
  services: Services;
  pki: Pki;
  orgId: string;
  admin: Principal;
  adminToken: string;
  close(): void;
}

/**
 * Opens a data dir as `serve` does and creates the demo organisation. The PKI is copied from
 * the cache first (when there), so that fleets prepared for its CA can be reused across runs.
 */
export async function openDataDir(dataDir: string, cachedPkiDir?: string): Promise<SeededData> {
  fs.mkdirSync(dataDir, { recursive: true });
  if (cachedPkiDir && fs.existsSync(cachedPkiDir) && !fs.existsSync(path.join(dataDir, 'pki'))) {
    fs.cpSync(cachedPkiDir, path.join(dataDir, 'pki'), { recursive: true });
  }
  const clock = new AdjustableClock();
  const db = openDb(path.join(dataDir, 'orchard.sqlite'));
  const secretsKey = loadSecretsKey(dataDir);
  const store = createSqliteStore(db, { secretsKey });
  const services = createServices({ store, clock, ids: randomIds, dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey });
  const boot = await bootstrapDemo(store, services, dataDir);
  if (!boot.created || !boot.orgId) throw new Error(`${dataDir} already holds an organisation; the bench needs a fresh data dir`);
  const pki = await loadOrCreatePki(dataDir, clock);
  if (cachedPkiDir && !fs.existsSync(cachedPkiDir)) fs.cpSync(path.join(dataDir, 'pki'), cachedPkiDir, { recursive: true });
  const account = (await store.accounts.listByOrg(boot.orgId))[0];
  const admin: Principal = { accountId: account?.id ?? 'bench', orgId: boot.orgId, email: boot.adminEmail!, roles: ['Administrator'], via: 'api-token' };
  return {
    db, store, services, pki, orgId: boot.orgId, admin, adminToken: fs.readFileSync(boot.adminTokenFile!, 'utf8').trim(),
    close: () => store.close(),
  };
}

export interface DepServerSecrets {
  consumer_key: string;
  consumer_secret: string;
  access_token: string;
  access_secret: string;
}

/** An MDM server whose token is sealed to `vendor` (as an MDM vendor uploads its key), opened with it. */
export async function createDepServer(s: SeededData, name: string, vendor: Identity): Promise<{ id: string; secrets: DepServerSecrets }> {
  const { server, token } = await s.services.servers.create(s.admin, { name, publicKey: toPem(vendor.cert) });
  const text = cmsDecrypt(smimeDecode(token.smime), vendor).toString('utf8');
  const json = text.split(/\r?\n/).find((l) => l.startsWith('{'));
  if (!json) throw new Error('no JSON in the server token');
  return { id: server.id, secrets: JSON.parse(json) };
}

const FAMILIES: Array<{ family: DeviceFamily; model: string; description: string; os: string }> = [
  { family: 'iPhone', model: 'iPhone 15', description: 'IPHONE 15 BLACK 128GB', os: 'iOS' },
  { family: 'iPad', model: 'iPad Air', description: 'IPAD AIR WI-FI 64GB', os: 'iPadOS' },
  { family: 'Mac', model: 'MacBook Air', description: 'MBA 13.6 M2 8C CPU', os: 'OSX' },
  { family: 'AppleTV', model: 'Apple TV 4K', description: 'APPLE TV 4K 64GB', os: 'tvOS' },
];

export const benchSerial = (prefix: string, i: number) => `${prefix}${i.toString(36).toUpperCase().padStart(12 - prefix.length, '0')}`;

/** Adds `n` devices of all four families to the organisation, assigned to `serverId`, in one transaction. */
export async function addAssignedDevices(s: SeededData, serverId: string | undefined, n: number, prefix: string, at = new Date()): Promise<string[]> {
  const serials: string[] = [];
  const one = (i: number) => {
    const f = FAMILIES[i % FAMILIES.length]!;
    const d: Device = {
      serialNumber: benchSerial(prefix, i), orgId: s.orgId, family: f.family, model: f.model, description: f.description, color: 'SILVER',
      os: f.os, assetTag: '', orderNumber: `BENCH-${Math.floor(i / 1000)}`, source: 'order', addedAt: at, updatedAt: at, supervised: true, profileStatus: 'empty',
    };
    serials.push(d.serialNumber);
    return s.store.devices.addManual(d, serverId, at);
  };
  // addManual runs its statements synchronously (better-sqlite3): batching them in one outer
  // transaction (nested ones become savepoints) makes 100,000 inserts take seconds, not minutes.
  const batch = 5000;
  for (let b = 0; b < n; b += batch) {
    const pending: Promise<unknown>[] = [];
    const run = () => { for (let i = b; i < Math.min(n, b + batch); i++) pending.push(one(i)); };
    s.db.transaction(run)();
    await Promise.all(pending);
  }
  return serials;
}

/** Records device identities as SCEP issuance does (mdm_identities), so they may Authenticate. */
export async function recordIdentities(s: SeededData, devices: Array<{ cert: X509Certificate; udid: string; serial: string }>, at = new Date()): Promise<void> {
  const pending: Promise<void>[] = [];
  s.db.transaction(() => {
    for (const d of devices) {
      pending.push(s.store.mdmIdentities.recordIssuedIdentity({ certSha256: fingerprintOf(d.cert), orgId: s.orgId, udid: d.udid, serialNumber: d.serial, issuedAt: at, notAfter: new Date(d.cert.validTo) }));
    }
  })();
  await Promise.all(pending);
}

/** Opens an existing data dir (the server may be running: SQLite WAL lets a second writer wait its turn). */
export async function reopenDataDir(dataDir: string): Promise<SeededData> {
  const clock = new AdjustableClock();
  const db = openDb(path.join(dataDir, 'orchard.sqlite'));
  const secretsKey = loadSecretsKey(dataDir);
  const store = createSqliteStore(db, { secretsKey });
  const services = createServices({ store, clock, ids: randomIds, dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey });
  const org = (await store.organisations.list())[0];
  if (!org) throw new Error(`${dataDir} holds no organisation`);
  const account = (await store.accounts.listByOrg(org.id))[0];
  const admin: Principal = { accountId: account?.id ?? 'bench', orgId: org.id, email: account?.email ?? 'bench', roles: ['Administrator'], via: 'api-token' };
  const pki = await loadOrCreatePki(dataDir, clock);
  return { db, store, services, pki, orgId: org.id, admin, adminToken: fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim(), close: () => store.close() };
}
