// Test helpers for the Device Assignment API: an MDM server with its own key pair, its server
// token decrypted with `openssl smime` (not Orchard's code), devices in the organisation, and a
// signed session. Requests go to /dep on the main app with a fixed Host, which is what is signed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Principal } from '../../src/business/principal.js';
import type { Device, DeviceFamily } from '../../src/store/devices.js';
import { depAuthorization, type ServerTokenSecrets } from './dep-oauth.js';
import { tempDir, type TestOrchard } from './harness.js';

export const HOST = 'orchard.test';
export const UA = 'orchard-dep-tests/1.0';

let keyPair: { cert: string; keyFile: string; certFile: string } | undefined;

/** One RSA key pair and self-signed certificate for all tests, made by openssl. */
export function serverKeyPair() {
  if (keyPair) return keyPair;
  const dir = tempDir('orchard-dep-key-');
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=dep-test-client'], { stdio: 'ignore' });
  keyPair = { cert: fs.readFileSync(certFile, 'utf8'), keyFile, certFile };
  return keyPair;
}

/** Decrypts a server token file (.p7m) with openssl and reads the JSON between the markers. */
export function decryptToken(p7m: string): ServerTokenSecrets & { access_token_expiry: string } {
  const kp = serverKeyPair();
  const out = execFileSync('openssl', ['smime', '-decrypt', '-inkey', kp.keyFile, '-recip', kp.certFile], { input: p7m }).toString('utf8');
  const json = out.split(/\r?\n/).find((l) => l.startsWith('{'));
  if (!json) throw new Error(`no JSON in the decrypted token:\n${out}`);
  return JSON.parse(json);
}

export function adminPrincipal(t: TestOrchard, orgId = t.orgId): Principal {
  return { accountId: 'test-admin', orgId, email: 'admin@demo.orchard.test', roles: ['Administrator'], via: 'api-token' };
}

export interface DepServerFixture {
  id: string;
  serverUuid: string;
  name: string;
  orgId: string;
  secrets: ServerTokenSecrets & { access_token_expiry: string };
}

/** Creates an MDM server in the organisation and decrypts its token as the MDM vendor would. */
export async function createDepServer(t: TestOrchard, name: string, orgId = t.orgId): Promise<DepServerFixture> {
  const { server, token } = await t.deps.services.servers.create(adminPrincipal(t, orgId), { name, publicKey: serverKeyPair().cert });
  return { id: server.id, serverUuid: server.serverUuid, name: server.name, orgId, secrets: decryptToken(token.smime) };
}

let serialCounter = 0;

export function newSerial(prefix = 'C0'): string {
  return `${prefix}${String(++serialCounter).padStart(8, '0')}${Math.floor(Math.random() * 36 ** 2).toString(36).toUpperCase().padStart(2, '0')}`;
}

/** Adds devices to the organisation (as an order would) and assigns them to `serverId`. */
export async function addDevices(t: TestOrchard, orgId: string, serverId: string | undefined, n: number, family: DeviceFamily = 'iPhone'): Promise<string[]> {
  const serials: string[] = [];
  const now = t.clock.now();
  for (let i = 0; i < n; i++) {
    const serial = newSerial();
    const d: Device = {
      serialNumber: serial, orgId, family, model: family === 'Mac' ? 'MacBook Air' : family === 'iPad' ? 'iPad Air' : 'iPhone 15',
      description: family === 'Mac' ? 'MBA 13.6 M2 8C CPU' : 'IPHONE 15 BLACK 128GB', color: 'BLACK', os: '', assetTag: '',
      orderNumber: 'ORD-1', source: 'order', addedAt: now, updatedAt: now, supervised: false, profileStatus: 'empty',
    };
    await t.deps.store.devices.addManual(d, serverId, now);
    serials.push(serial);
  }
  return serials;
}

/** Tomorrow, 12:00 UTC: a fixed instant for tests that assert dates, after the test key's notBefore. */
export const T0 = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000 + 12 * 3_600_000);

/** isoSeconds(T0 + ms), the way the DEP API writes dates. */
export const at = (ms = 0) => new Date(T0.getTime() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Signs with Orchard's clock (the tests move it), not the machine's. */
export function signedFor(t: TestOrchard, s: ServerTokenSecrets, url: string, nonce?: string) {
  return depAuthorization(s, url, 'GET', { timestamp: Math.floor(t.clock.now().getTime() / 1000), nonce });
}

export function depUrl(p: string) {
  return `http://${HOST}/dep${p}`;
}

/** Opens a session with a signature made by the `oauth-1.0a` package. */
export async function openSession(t: TestOrchard, s: ServerTokenSecrets): Promise<string> {
  const res = await request(t.app).get('/dep/session').set('Host', HOST).set('User-Agent', UA)
    .set('Authorization', signedFor(t, s, depUrl('/session')));
  if (res.status !== 200) throw new Error(`session: ${res.status} ${res.text}`);
  return JSON.parse(res.text).auth_session_token;
}

/** A DEP client bound to one session: call(method, path, body?) with the session header set. */
export function depCall(t: TestOrchard, session: string, version = 7) {
  return (method: 'get' | 'post' | 'put' | 'delete', p: string, body?: unknown) => {
    let r = request(t.app)[method](`/dep${p}`).set('Host', HOST).set('User-Agent', UA)
      .set('X-ADM-Auth-Session', session).set('X-Server-Protocol-Version', String(version));
    if (body !== undefined) r = r.set('Content-Type', 'application/json;charset=UTF8').send(typeof body === 'string' ? body : JSON.stringify(body));
    return r;
  };
}
