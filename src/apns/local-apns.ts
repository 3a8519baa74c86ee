// Orchard's local APNs as `startOrchard` and `orchard apns-sim` run it: the simulator with a TLS
// identity for the loopback address issued by Orchard's root CA (so a sender trusts it with
// `ca: [pki.ca]`), accepting provider certificates that chain to Orchard's push CA.
import { issueCertificate, toPem } from '../crypto/certificates.js';
import { generateRsaKeyPair, keyToPem } from '../crypto/keys.js';
import type { Clock } from '../clock.js';
import type { Pki } from '../pki.js';
import { startApnsSimulator, type ApnsSimulator, type ApnsSimulatorOptions } from './simulator.js';

const HOUR_MS = 60 * 60 * 1000;
const YEAR_MS = 365 * 24 * HOUR_MS;

/** A TLS server identity for `host` (an IP or a name) issued by Orchard's root CA. */
export async function localApnsTls(pki: Pki, host: string, now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateRsaKeyPair(2048);
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const cert = await issueCertificate({
    subject: { CN: host, O: 'Orchard local APNs' }, publicKey: keys.publicKey, issuer: pki.ca,
    notBefore: new Date(now.getTime() - HOUR_MS), notAfter: new Date(now.getTime() + YEAR_MS),
    keyUsage: ['digitalSignature', 'keyEncipherment'], extendedKeyUsage: ['serverAuth'],
    subjectAltName: isIp ? { ip: [host], dns: ['localhost'] } : { dns: [host] },
  });
  return { certPem: toPem(cert), keyPem: keyToPem(keys.privateKey) };
}

export interface LocalApnsOptions extends Partial<Omit<ApnsSimulatorOptions, 'tls' | 'pushCaPem'>> {
  clock: Clock;
}

export async function startLocalApns(pki: Pki, opts: LocalApnsOptions): Promise<ApnsSimulator> {
  const host = opts.host ?? '127.0.0.1';
  // The simulator keeps real time, as Apple's service does, whatever Orchard's clock says.
  const { clock, ...rest } = opts;
  const tls = await localApnsTls(pki, host, clock.now());
  return startApnsSimulator({ ...rest, host, tls, pushCaPem: toPem(pki.pushCa.cert) });
}
