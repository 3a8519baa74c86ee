// The key that seals secrets at rest (server-token secrets): 32 random bytes in
// <data dir>/keys/secrets.key, mode 0600, created on first start. Losing it makes every sealed
// secret unreadable (tokens must then be renewed); it is never logged or served.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function loadSecretsKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'keys', 'secrets.key');
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file);
    if (key.length !== 32) throw new Error(`${file} must hold exactly 32 bytes`);
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, key, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return key;
}
