// Mdm-Signature: base64 of a DER CMS SignedData, detached, over the exact request body, with the
// signer certificate inside (profile key SignMessage; PROTOCOLS.md §5,
// developer.apple.com/documentation/devicemanagement/mdm → SignMessage). The signature is
// verified on every request; only the chain check is cached, by certificate fingerprint.
import type { X509Certificate } from 'node:crypto';
import { ChainCache, fingerprintOf, verifyChain } from '../crypto/certificates.js';
import { cmsVerify } from '../crypto/cms.js';
import { CryptoError } from '../crypto/types.js';
import { unauthorized } from './errors.js';

export interface SignerIdentity {
  cert: X509Certificate;
  /** Lowercase hex SHA-256 of the certificate DER: the key of mdm_identities and of the binding. */
  certSha256: string;
}

export interface SignatureTrust {
  /** Orchard's CA that issues device identities through SCEP. */
  anchors: X509Certificate[];
  cache: ChainCache;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

/** Throws a 401 MdmError when the header is missing, malformed, or does not verify and chain. */
export function verifyMdmSignature(header: string | undefined, body: Buffer, trust: SignatureTrust, at: Date): SignerIdentity {
  if (!header) throw unauthorized('Mdm-Signature header required');
  if (header.length > 64 * 1024 || !BASE64.test(header)) throw unauthorized('Mdm-Signature is not base64');
  try {
    const v = cmsVerify(Buffer.from(header, 'base64'), { detachedContent: body });
    verifyChain(v.signer, { intermediates: v.certificates, trustAnchors: trust.anchors, at, cache: trust.cache });
    return { cert: v.signer, certSha256: fingerprintOf(v.signer) };
  } catch (err) {
    if (err instanceof CryptoError) throw unauthorized(`Mdm-Signature refused: ${err.reason}`);
    throw err;
  }
}
