// The key that seals secrets at rest (server-token secrets): 32 random bytes in
// <data dir>/keys/secrets.key, mode 0600, created on first start. Losing it makes every sealed
// secret unreadable (tokens must then be renewed); it is never logged or served.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadOrCreateSecretFile } from './secret-file.js';

export function loadSecretsKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'keys', 'secrets.key');
  const key = loadOrCreateSecretFile(file, () => randomBytes(32));
  if (key.length !== 32) throw new Error(`${file} must hold exactly 32 bytes`);
  return key;
}
