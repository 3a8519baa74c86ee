// Signature algorithm identifiers and native signing/verification of DER structures.
// Every private-key operation runs through crypto.sign (OpenSSL), never a JS bignum.
import { sign, verify, type KeyObject } from 'node:crypto';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CryptoError } from './types.js';

export type Digest = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** DER NULL: RFC 4055 §5 / RFC 3279 §2.2.1 require explicit NULL parameters for RSA PKCS#1 v1.5. */
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

const RSA_OIDS: Record<Digest, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
// RFC 5758 §3.2: ECDSA identifiers carry no parameters.
const ECDSA_OIDS: Record<Digest, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

const DIGEST_BY_OID = new Map<string, { digest: Digest; kind: 'rsa' | 'ec' }>([
  ...Object.entries(RSA_OIDS).map(([d, oid]) => [oid, { digest: d as Digest, kind: 'rsa' as const }] as const),
  ...Object.entries(ECDSA_OIDS).map(([d, oid]) => [oid, { digest: d as Digest, kind: 'ec' as const }] as const),
]);

/** The AlgorithmIdentifier for signing with `key` over `digest`. */
export function signatureAlgorithm(key: KeyObject, digest: Digest): AlgorithmIdentifier {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return new AlgorithmIdentifier({ algorithm: RSA_OIDS[digest], parameters: DER_NULL });
    case 'ec':
      return new AlgorithmIdentifier({ algorithm: ECDSA_OIDS[digest] });
    default:
      throw new CryptoError('unsupported', `cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

/** Signs `data` natively; ECDSA signatures come out DER-encoded as X.509 and PKCS#10 expect. */
export function signDer(data: Uint8Array, key: KeyObject, digest: Digest): Buffer {
  return sign(digest, data, key);
}

/** Verifies a signature made with the algorithm `algorithmOid`; false for unknown algorithms. */
export function verifyDer(algorithmOid: string, data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  const alg = DIGEST_BY_OID.get(algorithmOid);
  if (!alg || alg.kind !== key.asymmetricKeyType) return false;
  try {
    return verify(alg.digest, data, key, signature);
  } catch {
    return false;
  }
}
