// Prepares a slice of a load fleet in its own process (so that several cores share the RSA
// work): per device a certificate from the server's CA over a pooled key, and its signed
// Authenticate, TokenUpdate and Idle requests, each signature with its own signing time.
import fs from 'node:fs';
import { toPem } from '../crypto/certificates.js';
import { parseCertificate } from '../crypto/certificates.js';
import { privateKeyFromPem } from '../crypto/keys.js';
import { loadKeyPool } from './key-pool.js';
import { authenticateBody, CHECKIN_TYPE, CONNECT_TYPE, idleBody, makeLoadFleet, signedPut, tokenUpdateBody, type PreparedRequest } from './load-devices.js';

export interface FleetJob {
  caCertPem: string;
  caKeyPem: string;
  keyDir: string;
  keyPoolSize: number;
  from: number;
  count: number;
  prefix: string;
  topic: string;
  nowIso: string;
  idlePerDevice: number;
  checkinPath: string;
  connectPath: string;
  outFile: string;
}

export interface FleetSlice {
  devices: Array<{ udid: string; serial: string; certPem: string; keyIndex: number }>;
  authenticate: PreparedRequest[];
  tokenUpdate: PreparedRequest[];
  idle: PreparedRequest[];
}

process.on('message', async (job: FleetJob) => {
  try {
    const ca = { cert: parseCertificate(job.caCertPem), key: privateKeyFromPem(job.caKeyPem) };
    const keys = await loadKeyPool(job.keyDir, job.keyPoolSize);
    const now = new Date(job.nowIso);
    const fleet = await makeLoadFleet(job.count, ca, keys, job.topic, now, job.prefix, job.from);
    const out: FleetSlice = { devices: [], authenticate: [], tokenUpdate: [], idle: [] };
    fleet.forEach((d, k) => {
      out.devices.push({ udid: d.udid, serial: d.serial, certPem: toPem(d.identity.cert), keyIndex: (job.from + k) % keys.length });
      out.authenticate.push(signedPut(job.checkinPath, CHECKIN_TYPE, authenticateBody(d), d, now));
      out.tokenUpdate.push(signedPut(job.checkinPath, CHECKIN_TYPE, tokenUpdateBody(d), d, new Date(now.getTime() + 1000)));
    });
    // Interleaved across devices, as a fleet polls: device 1, 2, … n, then each one again.
    for (let r = 0; r < job.idlePerDevice; r++) {
      for (const d of fleet) out.idle.push(signedPut(job.connectPath, CONNECT_TYPE, idleBody(d), d, new Date(now.getTime() + (2 + r) * 1000)));
    }
    fs.writeFileSync(job.outFile, JSON.stringify(out));
    process.send!({ ok: true });
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) });
  }
});
