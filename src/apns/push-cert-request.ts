// Apple's MDM push certificate request, as an MDM vendor hands it to a customer: an XML plist
// { PushCertRequestCSR: base64 DER CSR, PushCertCertificateChain: PEM vendor cert + chain,
//   PushCertSignature: base64 SHA1withRSA signature of the CSR DER by the vendor key },
// the whole plist base64-encoded. The customer uploads it to Apple's push certificates portal
// (identity.apple.com/pushcert), which answers a PEM certificate whose subject UID is the topic.
// Wire facts: shared/PROTOCOLS.md §7 ("Push cert"); Apple's MDM vendor CSR signing.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { certificatesFromPem, toPem } from '../crypto/certificates.js';
import { parseCsr, type ParsedCsr } from '../crypto/csr.js';
import { signData, verifyData } from '../crypto/keys.js';
import { CryptoError } from '../crypto/types.js';
import { buildPlist, parsePlistDict } from '../plist/index.js';

export interface PushCertRequest {
  csr: ParsedCsr;
  vendorChain: X509Certificate[];
}

/** Builds the base64 request file from the customer's CSR and the vendor's signing identity. */
export function buildPushCertRequest(csrDer: Buffer, vendor: { cert: X509Certificate; key: KeyObject; chain?: X509Certificate[] }): string {
  const signature = signData(csrDer, vendor.key, 'sha1');
  const chainPem = [vendor.cert, ...(vendor.chain ?? [])].map(toPem).join('');
  const xml = buildPlist({
    PushCertRequestCSR: csrDer.toString('base64'),
    PushCertCertificateChain: chainPem,
    PushCertSignature: signature.toString('base64'),
  });
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** Reads a request file and checks the vendor's signature over the CSR (what Apple's portal does). */
export function readPushCertRequest(fileBase64: string): PushCertRequest {
  let dict;
  try {
    dict = parsePlistDict(Buffer.from(fileBase64.trim(), 'base64'));
  } catch {
    throw new CryptoError('malformed', 'not a push certificate request (base64 of an XML plist)');
  }
  const csrB64 = dict.PushCertRequestCSR, chainPem = dict.PushCertCertificateChain, sigB64 = dict.PushCertSignature;
  if (typeof csrB64 !== 'string' || typeof chainPem !== 'string' || typeof sigB64 !== 'string') {
    throw new CryptoError('malformed', 'the request needs PushCertRequestCSR, PushCertCertificateChain and PushCertSignature strings');
  }
  const csrDer = Buffer.from(csrB64, 'base64');
  const vendorChain = certificatesFromPem(chainPem);
  if (!vendorChain.length) throw new CryptoError('malformed', 'PushCertCertificateChain holds no certificate');
  if (!verifyData(csrDer, Buffer.from(sigB64, 'base64'), vendorChain[0]!.publicKey, 'sha1')) {
    throw new CryptoError('bad-signature', 'PushCertSignature does not verify with the vendor certificate');
  }
  return { csr: parseCsr(csrDer), vendorChain };
}
