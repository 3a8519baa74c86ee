// Test certificates and keys made by the openssl CLI on temp files, so our CMS code is checked
// against an independent implementation in both directions.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity } from '../../../src/crypto/types.js';

export interface Pki {
  dir: string;
  path(name: string): string;
  write(name: string, data: Buffer | string): string;
  read(name: string): Buffer;
  /** Runs openssl in the temp dir; throws with its stderr on failure. */
  openssl(args: string[], input?: Buffer): Buffer;
  /** Key + certificate files `<name>.key`/`<name>.pem`; self-signed unless `issuer` is given. */
  identity(name: string, opts?: { issuer?: string; ca?: boolean; ec?: boolean; days?: number }): Identity;
  cleanup(): void;
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'orchard-cms-'));
  const path = (name: string) => join(dir, name);
  const openssl = (args: string[], input?: Buffer) =>
    execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
  const pki: Pki = {
    dir,
    path,
    write: (name, data) => (writeFileSync(path(name), data), path(name)),
    read: (name) => readFileSync(path(name)),
    openssl,
    identity(name, opts = {}) {
      const keyArgs = opts.ec ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
      const days = String(opts.days ?? 365);
      const ext = opts.ca
        ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
        : ['-addext', 'basicConstraints=CA:FALSE'];
      if (!opts.issuer) {
        openssl(['req', '-x509', '-nodes', ...keyArgs, '-keyout', `${name}.key`, '-out', `${name}.pem`,
          '-subj', `/CN=${name}/O=Orchard Test`, '-days', days, ...ext]);
      } else {
        openssl(['req', '-new', '-nodes', ...keyArgs, '-keyout', `${name}.key`, '-out', `${name}.csr`,
          '-subj', `/CN=${name}/O=Orchard Test`]);
        const extFile = pki.write(`${name}.ext`, opts.ca
          ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'
          : 'basicConstraints=CA:FALSE\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
        openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${opts.issuer}.pem`, '-CAkey', `${opts.issuer}.key`,
          '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', extFile]);
      }
      return {
        cert: new X509Certificate(readFileSync(path(`${name}.pem`))),
        key: createPrivateKey(readFileSync(path(`${name}.key`))),
      };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return pki;
}

/** Expects `fn` to throw a CryptoError with `reason`. */
export function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { reason?: string }).reason ?? `not a CryptoError: ${(e as Error).message}`;
  }
  return 'no error';
}
