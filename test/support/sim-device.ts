// Test helpers for device-side enrolment: a device key certified by Orchard's device attestation
// CA through the admin API, and MachineInfo signed with it (as src/sim does on the wire).
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { parseCertificate } from '../../src/crypto/certificates.js';
import { createCsr } from '../../src/crypto/csr.js';
import { generateRsaKeyPair, type KeyPair } from '../../src/crypto/keys.js';
import type { Identity } from '../../src/crypto/types.js';
import { signAsDevice } from '../../src/sim/identity.js';
import type { PlistDict } from '../../src/plist/index.js';
import type { TestOrchard } from './harness.js';

let shared: Promise<KeyPair> | undefined;
/** One device key for all test devices (each still gets its own certificate). */
export const deviceKey = () => (shared ??= generateRsaKeyPair(2048));

export function newUdid(): string {
  return `${randomBytes(4).toString('hex')}-${randomBytes(8).toString('hex')}`.toUpperCase();
}

export async function certifiedDevice(t: TestOrchard, serial: string, udid = newUdid()): Promise<{ serial: string; udid: string; identity: Identity }> {
  const kp = await deviceKey();
  const csr = await createCsr({ subject: { CN: udid }, privateKey: kp.privateKey, publicKey: kp.publicKey });
  const res = await request(t.app).post('/api/v1/sim/device-identities').set('Authorization', `Bearer ${t.adminToken}`)
    .send({ serial_number: serial, udid, csr: csr.toString('base64') });
  if (res.status !== 201) throw new Error(`device identity: ${res.status} ${res.text}`);
  return { serial, udid, identity: { cert: parseCertificate(res.body.certificate), key: kp.privateKey } };
}

export function machineInfo(serial: string, udid: string, extra: PlistDict = {}): PlistDict {
  return { UDID: udid, SERIAL: serial, PRODUCT: 'iPhone15,4', VERSION: '21F90', IMEI: '356789012345678', MEID: '35678901234567', LANGUAGE: 'en', ...extra };
}

export const signedMachineInfo = (d: { serial: string; udid: string; identity: Identity }, extra: PlistDict = {}) =>
  signAsDevice(machineInfo(d.serial, d.udid, extra), d.identity);
