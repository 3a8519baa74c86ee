// A fleet of load devices: each its own certificate (issued by the CA the server under test
// trusts) and its own signed check-in and connect bodies. Every request carries a fresh
// Mdm-Signature (signed attributes with their own signing time), as real devices send.
import { createHash, type X509Certificate } from 'node:crypto';
import { cmsSign } from '../crypto/cms.js';
import { issueCertificate } from '../crypto/certificates.js';
import type { KeyPair } from '../crypto/keys.js';
import type { Identity } from '../crypto/types.js';
import { buildPlist, type PlistDict } from '../plist/index.js';

export interface LoadDevice {
  udid: string;
  serial: string;
  identity: Identity;
  topic: string;
}

export interface PreparedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string; // base64
}

export const CHECKIN_TYPE = 'application/x-apple-aspen-mdm-checkin';
export const CONNECT_TYPE = 'application/x-apple-aspen-mdm';

/** A load device's UDID and serial: unique per (prefix, index), shaped like Apple's. */
export function loadDeviceIds(prefix: string, i: number): { udid: string; serial: string } {
  const tag = createHash('sha256').update(prefix).digest('hex').slice(0, 16).toUpperCase();
  return {
    udid: `${i.toString(16).toUpperCase().padStart(8, '0')}-${tag}`,
    serial: `${prefix}${i.toString(36).toUpperCase().padStart(12 - prefix.length, '0')}`,
  };
}

/** Devices `from` … `from + n - 1` of the fleet named `prefix`. */
export async function makeLoadFleet(n: number, ca: Identity, keys: KeyPair[], topic: string, now: Date, prefix = 'BENCH', from = 0): Promise<LoadDevice[]> {
  const fleet: LoadDevice[] = [];
  for (let i = from; i < from + n; i++) {
    const pair = keys[i % keys.length]!;
    const { udid, serial } = loadDeviceIds(prefix, i);
    const cert: X509Certificate = await issueCertificate({
      subject: { CN: `load-device-${i}`, O: 'Orchard bench' }, publicKey: pair.publicKey, issuer: ca,
      notBefore: new Date(now.getTime() - 3600_000), notAfter: new Date(now.getTime() + 30 * 86400_000), extendedKeyUsage: ['clientAuth'], keyUsage: ['digitalSignature', 'keyEncipherment'],
    });
    fleet.push({ udid, serial, identity: { cert, key: pair.privateKey }, topic });
  }
  return fleet;
}

export function authenticateBody(d: LoadDevice): Buffer {
  return plistBody({ MessageType: 'Authenticate', Topic: d.topic, UDID: d.udid, SerialNumber: d.serial, DeviceName: `Bench ${d.serial}`, Model: 'iPhone', ModelName: 'iPhone', ProductName: 'iPhone15,2', OSVersion: '17.5', BuildVersion: '21F79' });
}

/** A bench device's APNs token (hex), made from its UDID so that every process can tell it. */
export const benchPushToken = (udid: string) => udid.replace(/-/g, '').toLowerCase().padEnd(64, '0').slice(0, 64);
/** The PushMagic a bench device reports in its TokenUpdate, and expects in its pushes' `mdm`. */
export const benchPushMagic = (udid: string) => `magic-${udid}`;

export function tokenUpdateBody(d: LoadDevice): Buffer {
  return plistBody({ MessageType: 'TokenUpdate', Topic: d.topic, UDID: d.udid, Token: Buffer.from(benchPushToken(d.udid), 'hex'), PushMagic: benchPushMagic(d.udid), AwaitingConfiguration: false });
}

export function idleBody(d: LoadDevice): Buffer {
  return plistBody({ Status: 'Idle', UDID: d.udid });
}

function plistBody(dict: PlistDict): Buffer {
  return Buffer.from(buildPlist(dict), 'utf8');
}

/** One PUT with a fresh detached signature: distinct signing times make every signature unique. */
export function signedPut(path: string, contentType: string, body: Buffer, d: LoadDevice, signingTime: Date): PreparedRequest {
  const sig = cmsSign(body, d.identity, { detached: true, signingTime, digest: 'sha256' });
  return { method: 'PUT', path, headers: { 'Content-Type': contentType, 'Mdm-Signature': sig.toString('base64') }, body: body.toString('base64') };
}

/** `perDevice` signed Idle connects per device, interleaved across devices. */
export function idleConnectPool(fleet: LoadDevice[], path: string, perDevice: number, start: Date): PreparedRequest[] {
  const out: PreparedRequest[] = [];
  for (let k = 0; k < perDevice; k++) {
    for (const d of fleet) out.push(signedPut(path, CONNECT_TYPE, idleBody(d), d, new Date(start.getTime() + k * 1000)));
  }
  return out;
}
