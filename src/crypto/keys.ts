// Key pairs and their PEM forms. Generation runs in OpenSSL off the main thread
// (crypto.generateKeyPair is async), so a 2048-bit RSA key never blocks the event loop.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { CryptoError } from './types.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** An RSA key pair with public exponent 65537. */
export async function generateRsaKeyPair(bits = 2048): Promise<KeyPair> {
  return generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
}

/** An EC key pair on a NIST curve ('P-256', 'P-384', 'P-521'). */
export async function generateEcKeyPair(curve: 'P-256' | 'P-384' | 'P-521' = 'P-256'): Promise<KeyPair> {
  return generateKeyPairAsync('ec', { namedCurve: curve });
}

/** PKCS#8 PEM for a private key, SPKI PEM for a public one. */
export function keyToPem(k: KeyObject): string {
  if (k.type === 'private') return k.export({ format: 'pem', type: 'pkcs8' }) as string;
  if (k.type === 'public') return k.export({ format: 'pem', type: 'spki' }) as string;
  throw new CryptoError('malformed', 'secret keys have no PEM form');
}

/** Reads PKCS#8, PKCS#1 or SEC1 PEM, encrypted ones with `passphrase`. */
export function privateKeyFromPem(pem: string, passphrase?: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (err) {
    const text = String((err as Error).message);
    // OpenSSL reports a wrong passphrase as a decrypt failure of the key.
    if (/bad decrypt|passphrase/i.test(text) && /ENCRYPTED/.test(pem)) {
      throw new CryptoError('bad-password', 'cannot decrypt the private key: wrong passphrase');
    }
    throw new CryptoError('malformed', `not a private key: ${text}`);
  }
}

/** Reads an SPKI (or PKCS#1 RSA) public key PEM; a certificate PEM yields its key. */
export function publicKeyFromPem(pem: string): KeyObject {
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new CryptoError('malformed', `not a public key: ${(err as Error).message}`);
  }
}
