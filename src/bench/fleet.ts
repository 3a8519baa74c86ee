// A prepared load fleet: devices with their own certificates (from the server's CA) and their
// signed check-in and connect requests, made by worker processes in parallel and cached on disk
// by CA fingerprint, so that a second run does not redo thousands of RSA signatures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintOf, parseCertificate, toPem } from '../crypto/certificates.js';
import { keyToPem } from '../crypto/keys.js';
import type { Identity } from '../crypto/types.js';
import { forkBenchModule, runJob } from './child.js';
import type { FleetJob, FleetSlice } from './fleet-worker.js';
import { loadKeyPool } from './key-pool.js';
import type { PreparedRequest } from './load-devices.js';

export interface FleetOptions {
  n: number;
  prefix: string;
  topic: string;
  idlePerDevice: number;
  checkinPath?: string;
  connectPath?: string;
}

export type Fleet = FleetSlice;

const FORMAT = 2;

export const keyPoolSize = (n: number) => Math.min(n, 256);

export async function prepareFleet(cacheDir: string, ca: Identity, o: FleetOptions, log: (s: string) => void): Promise<Fleet> {
  const checkinPath = o.checkinPath ?? '/mdm/checkin';
  const connectPath = o.connectPath ?? '/mdm/connect';
  const fp = fingerprintOf(ca.cert).slice(0, 16);
  const file = path.join(cacheDir, 'fleets', `${fp}-${o.prefix}-${o.n}-${o.idlePerDevice}-${Buffer.from(checkinPath + connectPath).toString('hex').slice(0, 24)}-v${FORMAT}.json`);
  if (fs.existsSync(file)) {
    const age = Date.now() - fs.statSync(file).mtimeMs;
    // Device certificates are valid 30 days from preparation; renew well before.
    if (age < 20 * 86400_000) return JSON.parse(fs.readFileSync(file, 'utf8')) as Fleet;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const keyDir = path.join(cacheDir, 'keys');
  const poolSize = keyPoolSize(o.n);
  const t0 = Date.now();
  await loadKeyPool(keyDir, poolSize); // generated once, here, before the workers read it
  const workers = Math.max(1, Math.min(os.cpus().length, 8, Math.ceil(o.n / 100)));
  const per = Math.ceil(o.n / workers);
  const now = new Date().toISOString();
  const slices = await Promise.all(Array.from({ length: workers }, async (_, w) => {
    const from = w * per;
    const count = Math.max(0, Math.min(per, o.n - from));
    const outFile = `${file}.${w}.part`;
    const child = forkBenchModule('fleet-worker');
    try {
      const job: FleetJob = {
        caCertPem: toPem(ca.cert), caKeyPem: keyToPem(ca.key), keyDir, keyPoolSize: poolSize, from, count, prefix: o.prefix,
        topic: o.topic, nowIso: now, idlePerDevice: o.idlePerDevice, checkinPath, connectPath, outFile,
      };
      await runJob(child, job);
    } finally {
      child.kill();
    }
    const slice = JSON.parse(fs.readFileSync(outFile, 'utf8')) as FleetSlice;
    fs.rmSync(outFile);
    return slice;
  }));
  const fleet: Fleet = { devices: [], authenticate: [], tokenUpdate: [], idle: [] };
  for (const s of slices) {
    fleet.devices.push(...s.devices);
    fleet.authenticate.push(...s.authenticate);
    fleet.tokenUpdate.push(...s.tokenUpdate);
  }
  // Keep the fleet-wide interleaving: round r of every slice before round r + 1.
  for (let r = 0; r < o.idlePerDevice; r++) {
    for (const s of slices) {
      const n = s.devices.length;
      fleet.idle.push(...s.idle.slice(r * n, (r + 1) * n));
    }
  }
  fs.writeFileSync(file, JSON.stringify(fleet));
  log(`  prepared fleet ${o.prefix} of ${o.n} devices (${fleet.idle.length} signed connects) in ${((Date.now() - t0) / 1000).toFixed(1)} s with ${workers} workers`);
  return fleet;
}

/** Certificates of a prepared fleet (for recording identities). */
export const fleetCerts = (f: Fleet) => f.devices.map((d) => ({ cert: parseCertificate(d.certPem), udid: d.udid, serial: d.serial }));

/** Writes a pool of requests for the load worker. */
export function writePool(file: string, requests: PreparedRequest[]): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(requests));
  return file;
}
