// Public keys ⇄ SubjectPublicKeyInfo DER without paying OpenSSL 3 more than once. On Node 20
// (OpenSSL 3) every key import or export goes through the provider decoders/encoders and costs
// ~0.15–0.5 ms, as much as an RSA-2048 signature; an enrolment meets the same device key up to
// four times (its CSR, the self-signed SCEP signer, the issued certificate, the first
// Mdm-Signature). Both directions are memoised: KeyObjects are immutable, and a key parsed from
// exact SPKI bytes is the same key whenever those bytes come again.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { LruMap } from './lru.js';

const derOfKey = new WeakMap<KeyObject, Buffer>();

/** SPKI DER of a public key, or of a private key's public half (memoised per KeyObject). */
export function spkiDerOf(key: KeyObject): Buffer {
  let der = derOfKey.get(key);
  if (!der) {
    const pub = key.type === 'private' ? createPublicKey(key) : key;
    der = pub.export({ type: 'spki', format: 'der' });
    derOfKey.set(key, der);
    if (pub !== key) derOfKey.set(pub, der);
  }
  return der;
}

/** Bounded: one entry per key met recently (a CSR and, moments later, its certificate). */
const keyOfDer = new LruMap<string, KeyObject>(4096);

/** The public key in SPKI DER, parsed once per distinct bytes (LRU). Throws what createPublicKey throws. */
export function publicKeyOfSpki(spki: Buffer): KeyObject {
  const id = spki.toString('latin1');
  return keyOfDer.get(id) ?? remember(id, createPublicKey({ key: spki, format: 'der', type: 'spki' }), spki);
}

/**
 * Always parses (a key offered for certification is read afresh, whatever came before), and
 * remembers the result for what follows with the same key: the certificate issued for it, and
 * the device's first signatures (publicKeyOfSpki).
 */
export function parsePublicKeySpki(spki: Buffer): KeyObject {
  return remember(spki.toString('latin1'), createPublicKey({ key: spki, format: 'der', type: 'spki' }), spki);
}

function remember(id: string, key: KeyObject, spki: Buffer): KeyObject {
  keyOfDer.set(id, key);
  derOfKey.set(key, Buffer.from(spki));
  return key;
}
