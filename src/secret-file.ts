// Secret files in the data dir (keys, tokens, credentials): written atomically, readable by
// the owner only (file 0600, directory 0700) whatever the umask. One place for the rule.
import fs from 'node:fs';
import path from 'node:path';

/** Writes `content` to `file` atomically, mode 0600, its directory created 0700. */
export function writeSecretFile(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600); // writeFileSync's mode is masked by the umask
  fs.renameSync(tmp, file);
}

/** The secret in `file`, or a new one from `create` written there first (0600). */
export function loadOrCreateSecretFile(file: string, create: () => Buffer): Buffer {
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const secret = create();
  writeSecretFile(file, secret);
  return secret;
}
