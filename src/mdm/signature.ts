// Mdm-Signature: base64 of a DER CMS SignedData, detached, over the exact request body, with the
// signer certificate inside (profile key SignMessage; PROTOCOLS.md §5,
// developer.apple.com/documentation/devicemanagement/mdm → SignMessage). The signature is
// verified on every request; only the path check is cached, by certificate fingerprint, with
// the path's validity window checked against the clock each time (src/crypto/detached-verify.ts).
import type { X509Certificate } from 'node:crypto';
import { parseCertificateCached } from '../crypto/cert-cache.js';
import { SignerTrust, verifyDetached } from '../crypto/detached-verify.js';
import { CryptoError } from '../crypto/types.js';
import { unauthorized } from './errors.js';

export interface SignerIdentity {
  /** The signer certificate, parsed on first use (the hot path needs only its fingerprint). */
  readonly cert: X509Certificate;
  /** Lowercase hex SHA-256 of the certificate DER: the key of mdm_identities and of the binding. */
  certSha256: string;
}

export type SignatureTrust = SignerTrust;

/** Trust in Orchard's CA, which issues device identities through SCEP. */
export const signatureTrust = (anchors: X509Certificate[]): SignatureTrust => new SignerTrust(anchors);

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/; // V8's regex scans a 2–3 KB header in ~2 µs

/**
 * Why the header cannot be a signature, from its presence and shape alone (no body needed), or
 * undefined. Checked before a body is read (fast-path.ts, router.ts), so an unsigned request
 * never makes the server hold its body. A DER SEQUENCE starts with 0x30, which base64 writes 'M'.
 */
export function signatureShapeError(header: string | undefined): string | undefined {
  if (!header) return 'Mdm-Signature header required';
  if (header.length > 64 * 1024 || !BASE64.test(header)) return 'Mdm-Signature is not base64';
  if (header[0] !== 'M') return 'Mdm-Signature is not a CMS SignedData';
  return undefined;
}

/** Throws a 401 MdmError when the header is missing, malformed, or does not verify and chain. */
export function verifyMdmSignature(header: string | undefined, body: Buffer, trust: SignatureTrust, at: Date): SignerIdentity {
  const shape = signatureShapeError(header);
  if (shape || !header) throw unauthorized(shape ?? 'Mdm-Signature header required');
  try {
    const v = verifyDetached(Buffer.from(header, 'base64'), body, trust, at);
    let cert: X509Certificate | undefined;
    return {
      certSha256: v.certSha256,
      get cert() {
        return (cert ??= parseCertificateCached(v.certDer));
      },
    };
  } catch (err) {
    if (err instanceof CryptoError) throw unauthorized(`Mdm-Signature refused: ${err.reason}`);
    throw err;
  }
}
