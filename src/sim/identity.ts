// A simulated device's attestation identity, as a factory would give it: the device makes its
// key, sends a CSR, and Orchard's device attestation CA (standing in for Apple's) certifies it
// as this serial/UDID through the admin API (POST /api/v1/sim/device-identities, Administrator).
// The answer also names the anchors the device trusts for its activation (cloud configuration).
import type { X509Certificate } from 'node:crypto';
import { ApiClientError, createOrchardClient, ok } from '../client/index.js';
import { parseCertificate } from '../crypto/certificates.js';
import { cmsSign } from '../crypto/cms.js';
import { createCsr } from '../crypto/csr.js';
import type { Identity } from '../crypto/types.js';
import { buildPlist, type PlistDict } from '../plist/index.js';
import type { KeySource } from './keys.js';
import type { FetchImpl } from './scep-client.js';

export interface DeviceAttestation {
  identity: Identity;
  /** Certificates the device trusts for Orchard's activation answers. */
  activationAnchors: X509Certificate[];
}

export async function obtainDeviceAttestation(opts: {
  orchardUrl: string; adminToken: string; serial: string; udid: string; keys: KeySource; fetchImpl?: FetchImpl;
}): Promise<DeviceAttestation> {
  const kp = await opts.keys.take();
  const csr = await createCsr({ subject: { CN: opts.udid, serialNumber: opts.serial }, privateKey: kp.privateKey, publicKey: kp.publicKey });
  const api = createOrchardClient({ url: opts.orchardUrl, token: opts.adminToken, ...(opts.fetchImpl ? { fetch: opts.fetchImpl } : {}) });
  const body = await ok(api.POST('/sim/device-identities', { body: { serial_number: opts.serial, udid: opts.udid, csr: csr.toString('base64') } })).catch((err: unknown) => {
    if (err instanceof ApiClientError) throw new Error(`device identity refused: HTTP ${err.status} ${err.code}: ${err.message}`);
    throw err;
  });
  return {
    identity: { cert: parseCertificate(body.certificate), key: kp.privateKey, chain: body.chain.map(parseCertificate) },
    activationAnchors: body.activation_anchors.map(parseCertificate),
  };
}

/** A plist signed by the device identity (CMS, content attached), as MachineInfo is sent. */
export function signAsDevice(plist: PlistDict, identity: Identity): Buffer {
  // Apple's devices sign MachineInfo with SHA-1 (PROTOCOLS.md §1); ours use SHA-256.
  return cmsSign(Buffer.from(buildPlist(plist), 'utf8'), identity);
}
