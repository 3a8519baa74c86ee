// Parsed-certificate cache. Node 20's X509Certificate constructor costs ~0.5 ms (it reads every
// field up front), five times an RSA-2048 verify, and an MDM fleet sends the same device
// certificate in every Mdm-Signature. Keyed by the exact DER bytes, so a hit is the same
// certificate; X509Certificate is immutable, so sharing instances is safe. Bounded LRU.
import { X509Certificate } from 'node:crypto';
import { CryptoError } from './types.js';

const MAX_ENTRIES = 4096;
const cache = new Map<string, X509Certificate>();

export function parseCertificateCached(der: Buffer): X509Certificate {
  const key = der.toString('latin1');
  let cert = cache.get(key);
  if (cert) {
    cache.delete(key); // move to the most-recent end
    cache.set(key, cert);
    return cert;
  }
  try {
    cert = new X509Certificate(der);
  } catch (e) {
    throw new CryptoError('malformed', `unparsable certificate: ${(e as Error).message}`);
  }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, cert);
  return cert;
}
