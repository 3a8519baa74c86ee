// Parsed-certificate cache. Node 20's X509Certificate constructor costs ~0.5 ms (it reads every
// field up front), five times an RSA-2048 verify, and an MDM fleet sends the same device
// certificate in every Mdm-Signature. Keyed by the exact DER bytes, so a hit is the same
// certificate; X509Certificate is immutable, so sharing instances is safe. Bounded LRU.
import { X509Certificate } from 'node:crypto';
import { LruMap } from './lru.js';
import { CryptoError } from './types.js';

const cache = new LruMap<string, X509Certificate>(4096);

export function parseCertificateCached(der: Buffer): X509Certificate {
  const key = der.toString('latin1');
  let cert = cache.get(key);
  if (cert) return cert;
  try {
    cert = new X509Certificate(der);
  } catch (e) {
    throw new CryptoError('malformed', `unparsable certificate: ${(e as Error).message}`);
  }
  cache.set(key, cert);
  return cert;
}
