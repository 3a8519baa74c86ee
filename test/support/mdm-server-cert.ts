// An MDM server's key pair and public key certificate, made by the openssl CLI, as a vendor
// makes the one it uploads to the portal; and decryption of a token file with `openssl smime`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './harness.js';

export interface ServerKey {
  dir: string;
  keyFile: string;
  certPem: string;
  /** `openssl smime -decrypt -in <file> -inkey key.pem`: the decrypted MIME text. */
  decrypt(p7m: string | Buffer): string;
}

export function makeServerKey(opts: { ec?: boolean; days?: number; bits?: number } = {}): ServerKey {
  const dir = tempDir('orchard-mdmkey-');
  const keyArgs = opts.ec ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', `rsa:${opts.bits ?? 2048}`];
  execFileSync('openssl', ['req', '-x509', '-nodes', ...keyArgs, '-keyout', 'key.pem', '-out', 'cert.pem', '-days', String(opts.days ?? 365), '-subj', '/CN=Example MDM DEP'], { cwd: dir, stdio: 'pipe' });
  const keyFile = path.join(dir, 'key.pem');
  return {
    dir, keyFile, certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    decrypt(p7m) {
      const inFile = path.join(dir, `token-${Math.random().toString(36).slice(2)}.p7m`);
      fs.writeFileSync(inFile, p7m);
      return execFileSync('openssl', ['smime', '-decrypt', '-in', inFile, '-inkey', keyFile], { cwd: dir, stdio: 'pipe' }).toString('utf8');
    },
  };
}

/** The JSON between the BEGIN/END MESSAGE markers of a decrypted token. */
export function tokenJson(decrypted: string): Record<string, string> {
  const m = /-----BEGIN MESSAGE-----\r?\n(.*)\r?\n-----END MESSAGE-----/.exec(decrypted);
  if (!m) throw new Error(`no message markers in ${JSON.stringify(decrypted)}`);
  return JSON.parse(m[1]!);
}
