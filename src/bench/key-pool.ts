// Simulated devices draw RSA key pairs from a pool generated once and cached on disk, so that
// a benchmark measures the server, not the simulator's key generation (~150 ms per RSA-2048
// key here). Each device still gets its own certificate, hence its own identity.
import fs from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { generateRsaKeyPair, keyToPem, privateKeyFromPem, publicKeyFromPem, type KeyPair } from '../crypto/keys.js';

export async function loadKeyPool(dir: string, size: number): Promise<KeyPair[]> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pool: KeyPair[] = [];
  const missing: number[] = [];
  for (let i = 0; i < size; i++) {
    const file = path.join(dir, `key-${i}.pem`);
    if (fs.existsSync(file)) {
      const privateKey: KeyObject = privateKeyFromPem(fs.readFileSync(file, 'utf8'));
      pool[i] = { privateKey, publicKey: publicKeyFromPem(keyToPem(privateKey)) };
    } else missing.push(i);
  }
  // Generate in small parallel batches (libuv's thread pool does the work).
  for (let b = 0; b < missing.length; b += 8) {
    await Promise.all(missing.slice(b, b + 8).map(async (i) => {
      const pair = await generateRsaKeyPair(2048);
      fs.writeFileSync(path.join(dir, `key-${i}.pem`), keyToPem(pair.privateKey), { mode: 0o600 });
      pool[i] = pair;
    }));
  }
  return pool;
}
