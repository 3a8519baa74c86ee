// MDM test support: a test CA set as pki.ca, device identities issued by it and recorded in
// mdm_identities as SCEP would, real-looking device facts, and a fetch that drives an Express
// app through supertest so the simulator's MdmClient can talk to `t.app` without a socket.
import type { Express } from 'express';
import request from 'supertest';
import { issueCertificate } from '../../src/crypto/certificates.js';
import { fingerprintOf } from '../../src/crypto/certificates.js';
import { generateRsaKeyPair } from '../../src/crypto/keys.js';
import type { Identity } from '../../src/crypto/types.js';
import type { Pki } from '../../src/pki.js';
import { MdmClient, type SimDeviceFacts } from '../../src/sim/mdm-client.js';
import type { Store } from '../../src/store/index.js';

const DAY = 24 * 60 * 60 * 1000;

export async function makeCa(cn = 'Orchard Test CA', now = new Date()): Promise<Identity> {
  const k = await generateRsaKeyPair(2048);
  const cert = await issueCertificate({
    subject: { CN: cn, O: 'Orchard Tests' }, publicKey: k.publicKey, signingKey: k.privateKey,
    notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY), ca: true,
  });
  return { cert, key: k.privateKey };
}

/** A Pki whose `ca` is the test CA (the other roles are not used by the MDM face). */
export const pkiOf = (ca: Identity): Pki => ({ ca, signing: ca, deviceAttestationCa: ca, pushCa: ca });

/** An MDM identity as SCEP issues it: a client-auth leaf signed by `ca`. */
export async function issueDeviceIdentity(ca: Identity, cn: string, now = new Date()): Promise<Identity> {
  const k = await generateRsaKeyPair(2048);
  const cert = await issueCertificate({
    subject: { CN: cn, O: 'Orchard' }, publicKey: k.publicKey, issuer: ca, notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 365 * DAY), keyUsage: ['digitalSignature', 'keyEncipherment'], extendedKeyUsage: ['clientAuth'],
  });
  return { cert, key: k.privateKey };
}

export async function recordIdentity(store: Store, identity: Identity, orgId: string, o: { udid?: string; serialNumber?: string } = {}) {
  await store.mdmIdentities.recordIssuedIdentity({
    certSha256: fingerprintOf(identity.cert), orgId, udid: o.udid, serialNumber: o.serialNumber, issuedAt: new Date(),
    notAfter: new Date(identity.cert.validTo),
  });
}

/** fetch over supertest: MdmClient → t.app without a listening socket. */
export function supertestFetch(app: Express) {
  return async (url: string, init: { method: string; headers: Record<string, string>; body: Buffer }) => {
    const path = new URL(url).pathname;
    let req = request(app).put(path);
    for (const [k, v] of Object.entries(init.headers)) req = req.set(k, v);
    const res = await req.send(init.body).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const body = res.body as Buffer;
    return {
      status: res.status,
      headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string | undefined) ?? null },
      arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    };
  };
}

let n = 0;
const udid = (prefix: string) => `${prefix}-${(++n).toString(16).padStart(4, '0')}-${Date.now().toString(16).toUpperCase()}`;

export const IPHONE = (): SimDeviceFacts => ({
  udid: udid('00008110-001A2D3E0C'), serialNumber: `F17ZK${(1000 + n).toString()}0QH`, family: 'iPhone', model: 'iPhone15,2',
  modelName: 'iPhone', productName: 'iPhone15,2', osVersion: '17.5.1', buildVersion: '21F90', deviceName: "Alex's iPhone", imei: '35 392011 482915 3',
});
export const IPAD = (): SimDeviceFacts => ({
  udid: udid('00008103-000C19A21E'), serialNumber: `DMPXK${(1000 + n).toString()}Q1G`, family: 'iPad', model: 'iPad13,4',
  modelName: 'iPad Pro', productName: 'iPad13,4', osVersion: '17.5.1', buildVersion: '21F90', deviceName: 'Meeting Room iPad',
});
export const MAC = (): SimDeviceFacts => ({
  udid: udid('0000FE00-5A8C4C0E7B'), serialNumber: `C02FK${(1000 + n).toString()}MD6`, family: 'Mac', model: 'Mac14,2',
  modelName: 'MacBook Air', productName: 'Mac14,2', osVersion: '14.5', buildVersion: '23F79', deviceName: "Sam's MacBook Air",
});
export const APPLE_TV = (): SimDeviceFacts => ({
  udid: udid('00008020-001C45A23C'), serialNumber: `DY5VT${(1000 + n).toString()}J1W`, family: 'AppleTV', model: 'AppleTV14,1',
  modelName: 'Apple TV', productName: 'AppleTV14,1', osVersion: '17.5', buildVersion: '21L569', deviceName: 'Lobby Apple TV',
});

export const TOPIC = 'com.apple.mgmt.External.7f3a5c2e-1b4d-4e8f-9a6b-2c1d3e4f5a6b';

/** A simulated device with an identity issued by `ca` and recorded for `orgId`, talking to `baseUrl`. */
export async function simulatedDevice(o: { ca: Identity; store: Store; orgId: string; facts: SimDeviceFacts; baseUrl: string; fetchImpl?: ReturnType<typeof supertestFetch> }) {
  const identity = await issueDeviceIdentity(o.ca, o.facts.udid);
  await recordIdentity(o.store, identity, o.orgId, { udid: o.facts.udid, serialNumber: o.facts.serialNumber });
  const client = new MdmClient({
    identity, serverUrl: `${o.baseUrl}/mdm/connect`, checkInUrl: `${o.baseUrl}/mdm/checkin`, topic: TOPIC, device: o.facts, fetchImpl: o.fetchImpl as any,
  });
  return { client, identity };
}
