// Test PKI for the APNs layer, made with the openssl CLI on temp files: a push CA and the push
// certificates it issues (subject UID = topic, like Apple's MDM push certificates), a push
// certificate from an unrelated CA, and a TLS server certificate for 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface PushCertificate extends PemPair {
  /** The subject UID, e.g. `com.apple.mgmt.External.<uuid>`. */
  topic: string;
}

export interface ApnsTestPki {
  /** Trusted by the simulator for client certificates. */
  pushCa: PemPair;
  /** Issued by `pushCa`, with Apple's production push extension. */
  pushCert: PushCertificate;
  /** Issued by `pushCa`, with only Apple's development (sandbox) push extension. */
  sandboxPushCert: PushCertificate;
  /** Same shape as `pushCert`, issued by another CA the simulator does not trust. */
  foreignPushCert: PushCertificate;
  /** The simulator's TLS identity (SAN IP:127.0.0.1), issued by `serverCa`. */
  serverTls: PemPair;
  serverCa: PemPair;
}

// Apple's push client extensions, which @parse/node-apn checks against `production`:
// 1.2.840.113635.100.6.3.1 development, 1.2.840.113635.100.6.3.2 production.
const APPLE_PUSH_DEV = '1.2.840.113635.100.6.3.1';
const APPLE_PUSH_PROD = '1.2.840.113635.100.6.3.2';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string, cn: string): PemPair {
  openssl(dir, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`,
    '-days', '30', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return read(dir, name);
}

function issue(dir: string, name: string, ca: string, subj: string, extLines: string[]): PemPair {
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
  writeFileSync(join(dir, `${name}.ext`), extLines.join('\n') + '\n');
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${name}.crt`, '-days', '30', '-sha256', '-extfile', `${name}.ext`,
  ]);
  return read(dir, name);
}

function read(dir: string, name: string): PemPair {
  return {
    certPem: readFileSync(join(dir, `${name}.crt`), 'utf8'),
    keyPem: readFileSync(join(dir, `${name}.key`), 'utf8'),
  };
}

function pushCert(dir: string, name: string, ca: string, envOids: string[]): PushCertificate {
  const uuid = randomUUID();
  const topic = `com.apple.mgmt.External.${uuid}`;
  const pair = issue(dir, name, ca, `/UID=${topic}/CN=APSP:${uuid}/C=US`, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
    ...envOids.map((oid) => `${oid}=ASN1:NULL`),
  ]);
  return { ...pair, topic };
}

let cached: ApnsTestPki | undefined;

/** Builds the PKI once per test process (RSA key generation is the slow part). */
export function apnsTestPki(): ApnsTestPki {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'orchard-apns-pki-'));
  try {
    const pushCa = makeCa(dir, 'push-ca', 'Orchard Test Push CA');
    const otherCa = makeCa(dir, 'other-ca', 'Some Other CA');
    const serverCa = makeCa(dir, 'server-ca', 'Orchard Test APNs TLS CA');
    cached = {
      pushCa,
      pushCert: pushCert(dir, 'push', 'push-ca', [APPLE_PUSH_DEV, APPLE_PUSH_PROD]),
      sandboxPushCert: pushCert(dir, 'push-sandbox', 'push-ca', [APPLE_PUSH_DEV]),
      foreignPushCert: pushCert(dir, 'push-foreign', 'other-ca', [APPLE_PUSH_DEV, APPLE_PUSH_PROD]),
      serverCa,
      serverTls: issue(dir, 'server', 'server-ca', '/CN=127.0.0.1', [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ]),
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
