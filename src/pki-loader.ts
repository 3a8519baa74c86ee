// Creates Orchard's PKI on first start and loads it afterwards: one PEM certificate and one
// PKCS#8 key (mode 0600) per identity under <dataDir>/pki/. Keys are generated here, once; a
// restart reads the same files, so profiles and device identities stay valid across restarts.
import fs from 'node:fs';
import path from 'node:path';
import { writeSecretFile } from './secret-file.js';
import type { Clock } from './clock.js';
import { issueCertificate, parseCertificate, toPem, type DistinguishedName } from './crypto/certificates.js';
import { generateRsaKeyPair, keyToPem, privateKeyFromPem } from './crypto/keys.js';
import type { Identity } from './crypto/types.js';
import type { Pki } from './pki.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

interface Spec {
  file: string;
  subject: DistinguishedName;
  years: number;
  /** Issued by another identity of the PKI; absent means a self-signed CA. */
  issuer?: (pki: Partial<Pki>) => Identity;
  ca: boolean;
}

// Order matters: `signing` is issued by `ca`, so `ca` comes first.
const SPECS: Record<keyof Pki, Spec> = {
  ca: { file: 'ca', subject: { CN: 'Orchard Root CA', O: 'Orchard' }, years: 20, ca: true },
  signing: {
    file: 'signing', subject: { CN: 'Orchard Profile Signing', O: 'Orchard' }, years: 5, ca: false,
    issuer: (p) => p.ca!,
  },
  deviceAttestationCa: { file: 'device-attestation-ca', subject: { CN: 'Orchard Device Attestation CA', O: 'Orchard' }, years: 20, ca: true },
  pushCa: { file: 'push-ca', subject: { CN: 'Orchard Push Certification Authority', O: 'Orchard' }, years: 20, ca: true },
};


/** Reads `<dir>/<name>.cert.pem` + `<name>.key.pem`, or undefined when either is missing. */
export function readIdentity(dir: string, name: string): Identity | undefined {
  const certFile = path.join(dir, `${name}.cert.pem`);
  const keyFile = path.join(dir, `${name}.key.pem`);
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) return undefined;
  return { cert: parseCertificate(fs.readFileSync(certFile, 'utf8')), key: privateKeyFromPem(fs.readFileSync(keyFile, 'utf8')) };
}

/** Writes the key first (0600) and the certificate last, so a half-written pair is never read as whole. */
export function writeIdentity(dir: string, name: string, id: Identity) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeSecretFile(path.join(dir, `${name}.key.pem`), keyToPem(id.key));
  fs.writeFileSync(path.join(dir, `${name}.cert.pem`), toPem(id.cert));
}

async function create(spec: Spec, pki: Partial<Pki>, now: Date): Promise<Identity> {
  const keys = await generateRsaKeyPair(2048);
  const issuer = spec.issuer?.(pki);
  const cert = await issueCertificate({
    subject: spec.subject,
    publicKey: keys.publicKey,
    ...(issuer ? { issuer } : { signingKey: keys.privateKey }),
    // Back-dated an hour so a device whose clock lags a little still accepts the chain.
    notBefore: new Date(now.getTime() - 60 * 60 * 1000),
    notAfter: new Date(now.getTime() + spec.years * YEAR_MS),
    ca: spec.ca,
    ...(spec.ca ? {} : { keyUsage: ['digitalSignature'] as const }),
  } as Parameters<typeof issueCertificate>[0]);
  return { cert, key: keys.privateKey, ...(issuer ? { chain: [issuer.cert] } : {}) };
}

/** Loads the four identities of `Pki` from `<dataDir>/pki/`, creating any that are missing. */
export async function loadOrCreatePki(dataDir: string, clock: Clock): Promise<Pki> {
  const dir = path.join(dataDir, 'pki');
  const pki: Partial<Pki> = {};
  for (const [name, spec] of Object.entries(SPECS) as Array<[keyof Pki, Spec]>) {
    let id = readIdentity(dir, spec.file);
    if (!id) {
      id = await create(spec, pki, clock.now());
      writeIdentity(dir, spec.file, id);
    } else if (spec.issuer) {
      id.chain = [spec.issuer(pki).cert];
    }
    pki[name] = id;
  }
  return pki as Pki;
}
