// Orchard's own certificate authorities and the identities they issue, kept as PEM files:
// `<dir>/<name>.key` (PKCS#8, mode 0600) and `<dir>/<name>.pem`. Generated on first use.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyIssuedBy } from './chain.js';
import { certificateFacts } from './certificate-facts.js';
import { issueCertificate, parseCertificate, type ExtendedKeyUsageName, type SubjectAltNames } from './certificates.js';
import { generateRsaKeyPair, keyToPem, privateKeyFromPem } from './keys.js';
import type { DistinguishedName } from './names.js';
import { randomHex } from './random.js';
import { CryptoError, type Identity } from './types.js';

export interface Clock {
  now(): Date;
}

/** Certificates start an hour early so devices with a slightly slow clock accept them. */
const BACKDATE_MS = 60 * 60 * 1000;

function paths(dir: string, name: string) {
  return { key: join(dir, `${name}.key`), cert: join(dir, `${name}.pem`) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await (await open(path, constants.O_RDONLY)).close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Writes `data` to a fresh temporary file created with `mode` (so a private key is never
 * readable by others, not even briefly), then moves it into place. With `replace` false the
 * move is a hard link that fails if the target exists: two processes starting together keep
 * the first file written and both read it back.
 */
async function writeAtomically(path: string, data: string, mode: number, replace: boolean): Promise<boolean> {
  const tmp = `${path}.${randomHex(6)}.tmp`;
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (replace) {
      await rename(tmp, path);
      return true;
    }
    try {
      await link(tmp, path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readIdentity(p: { key: string; cert: string }): Promise<Identity> {
  const key = privateKeyFromPem(await readFile(p.key, 'utf8'));
  const cert = parseCertificate(await readFile(p.cert, 'utf8'));
  return { cert, key };
}

function addYears(d: Date, years: number): Date {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

export interface AuthorityOptions {
  dir: string;
  /** File stem, e.g. 'ca' for ca.key and ca.pem. */
  name: string;
  subject: DistinguishedName;
  clock: Clock;
  /** Validity of a newly made CA; default 10. */
  years?: number;
}

/** Loads the CA from `dir`, or makes a self-signed RSA-2048 CA there on first use. */
export async function loadOrCreateAuthority(opts: AuthorityOptions): Promise<Identity> {
  const p = paths(opts.dir, opts.name);
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });

  let key: KeyObject;
  if (await exists(p.key)) {
    key = privateKeyFromPem(await readFile(p.key, 'utf8'));
  } else {
    const pair = await generateRsaKeyPair(2048);
    await writeAtomically(p.key, keyToPem(pair.privateKey), 0o600, false);
    key = privateKeyFromPem(await readFile(p.key, 'utf8')); // the winner's key if we raced
  }

  if (!(await exists(p.cert))) {
    // A key without a certificate (first run, or a crash between the two writes): self-sign it.
    const now = opts.clock.now();
    const cert = await issueCertificate({
      subject: opts.subject,
      publicKey: key,
      signingKey: key,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: addYears(now, opts.years ?? 10),
      ca: true,
    });
    await writeAtomically(p.cert, cert.toString(), 0o644, false);
  }
  const identity = await readIdentity(p);
  if (!identity.cert.checkPrivateKey(identity.key)) {
    throw new CryptoError('malformed', `${p.cert} does not belong to the key in ${p.key}`);
  }
  return identity;
}

export interface IssuedIdentityOptions {
  dir: string;
  name: string;
  issuer: Identity;
  subject: DistinguishedName;
  clock: Clock;
  extendedKeyUsage?: ExtendedKeyUsageName[];
  subjectAltName?: SubjectAltNames;
  /** Validity of a newly issued certificate; default 365. */
  days?: number;
}

function stillGood(id: Identity, issuer: Identity, now: Date): boolean {
  const { notBefore, notAfter } = certificateFacts(id.cert);
  return id.cert.checkPrivateKey(id.key) && verifyIssuedBy(id.cert, issuer.cert) && now >= notBefore && now <= notAfter;
}

/**
 * Loads an identity issued by `issuer` (e.g. the server's CMS signing identity), or issues a
 * fresh RSA-2048 one when it is missing, expired, unreadable, or from another issuer.
 */
export async function loadOrCreateIssuedIdentity(opts: IssuedIdentityOptions): Promise<Identity> {
  const p = paths(opts.dir, opts.name);
  const now = opts.clock.now();
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  if ((await exists(p.key)) && (await exists(p.cert))) {
    try {
      const existing = await readIdentity(p);
      if (stillGood(existing, opts.issuer, now)) return { ...existing, ...chainOf(opts.issuer) };
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
    }
  }
  const pair = await generateRsaKeyPair(2048);
  const cert: X509Certificate = await issueCertificate({
    subject: opts.subject,
    publicKey: pair.publicKey,
    issuer: opts.issuer,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + (opts.days ?? 365) * 24 * 60 * 60 * 1000),
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    ...(opts.extendedKeyUsage ? { extendedKeyUsage: opts.extendedKeyUsage } : {}),
    ...(opts.subjectAltName ? { subjectAltName: opts.subjectAltName } : {}),
  });
  // Key first: a crash in between leaves a key that no longer matches the certificate,
  // which the next call detects and repairs.
  await writeAtomically(p.key, keyToPem(pair.privateKey), 0o600, true);
  await writeAtomically(p.cert, cert.toString(), 0o644, true);
  return { cert, key: pair.privateKey, ...chainOf(opts.issuer) };
}

/** The intermediates above an issued identity: its issuer unless that is a self-signed root. */
function chainOf(issuer: Identity): { chain?: X509Certificate[] } {
  const selfSigned = verifyIssuedBy(issuer.cert, issuer.cert);
  const chain = [...(selfSigned ? [] : [issuer.cert]), ...(issuer.chain ?? [])];
  return chain.length > 0 ? { chain } : {};
}
