// Orchard's stand-in for Apple's device identity CA (PROTOCOLS.md §0): it certifies a simulated
// device's own key as that device, naming its UDID (CN) and serial number (serialNumber), and
// every device-signed request (cloud configuration, MachineInfo, x-apple-aspen-deviceinfo) is
// checked against it. Real Apple chains can be trusted too by adding their roots as anchors.
import type { X509Certificate } from 'node:crypto';
import { cmsVerify } from '../../crypto/cms.js';
import { certificateFacts, issueCertificate } from '../../crypto/certificates.js';
import { parseCsr } from '../../crypto/csr.js';
import { CryptoError, type Identity } from '../../crypto/types.js';
import { parsePlistDict, type PlistDict } from '../../plist/index.js';

const TEN_YEARS_MS = 10 * 365 * 24 * 60 * 60 * 1000;
export const SERIAL_PATTERN = /^[A-Z0-9]{8,14}$/;
export const UDID_PATTERN = /^[A-Fa-f0-9-]{24,40}$/;

/** Certifies the key in `csrDer` (proof of possession checked) as the device `serial`/`udid`. */
export async function issueDeviceAttestation(ca: Identity, csrDer: Buffer, serial: string, udid: string, now: Date): Promise<X509Certificate> {
  const csr = parseCsr(csrDer);
  return issueCertificate({
    subject: { O: 'Orchard simulated device', CN: udid, serialNumber: serial },
    publicKey: csr.publicKey,
    issuer: ca,
    notBefore: new Date(now.getTime() - 60 * 60 * 1000),
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    keyUsage: ['digitalSignature'],
  });
}

export interface DeviceSigned {
  plist: PlistDict;
  signer: X509Certificate;
  /** What the device certificate says the device is. */
  certifiedSerial?: string;
  certifiedUdid?: string;
}

/** DER, or its base64 (as the x-apple-aspen-deviceinfo header carries it). */
export function derOrBase64(body: Buffer): Buffer {
  if (body.length > 0 && body[0] === 0x30) return body;
  const text = body.toString('latin1').trim();
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) return Buffer.from(text, 'base64');
  return body;
}

/**
 * Verifies a device-signed plist (CMS SignedData, content attached): the signature, and that
 * the signer chains to one of `anchors` at `now`. Throws CryptoError / PlistError.
 */
export function verifyDeviceSigned(body: Buffer, anchors: X509Certificate[], now: Date): DeviceSigned {
  if (body.length === 0) throw new CryptoError('malformed', 'empty body where a signed plist was expected');
  const v = cmsVerify(derOrBase64(body), { trustAnchors: anchors, at: now });
  const subject = certificateFacts(v.signer).subject;
  return { plist: parsePlistDict(v.content), signer: v.signer, certifiedSerial: subject.serialNumber, certifiedUdid: subject.CN };
}

/** The request must speak for the device its certificate names (no replay for another serial). */
export function assertSameDevice(signed: DeviceSigned, serial: unknown, udid: unknown): { serial: string; udid: string } {
  if (typeof serial !== 'string' || typeof udid !== 'string') throw new CryptoError('malformed', 'SERIAL and UDID are required');
  if (signed.certifiedSerial !== serial || signed.certifiedUdid?.toUpperCase() !== udid.toUpperCase()) {
    throw new CryptoError('device-mismatch', 'the request names another device than the one that signed it');
  }
  return { serial, udid };
}
