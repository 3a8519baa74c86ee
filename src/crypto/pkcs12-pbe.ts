// Password-based encryption and MAC keys of PKCS#12 (RFC 7292 Appendix B and C), done with
// Node's hashes and ciphers. This is symmetric work on a few kilobytes; no private key is used.
import { createCipheriv, createHash, createHmac } from 'node:crypto';

/** pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 Appendix C). */
export const OID_PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';

export const ID_KEY = 1;
export const ID_IV = 2;
export const ID_MAC = 3;

/** The password as a BMPString with a trailing NUL (RFC 7292 Appendix B.1). */
export function bmpPassword(password: string): Buffer {
  const utf16 = Buffer.from(`${password}\0`, 'utf16le');
  return utf16.swap16();
}

function repeatToBlocks(data: Buffer, v: number): Buffer {
  if (data.length === 0) return data;
  const len = v * Math.ceil(data.length / v);
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) out[i] = data[i % data.length]!;
  return out;
}

export type KdfHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** RFC 7292 Appendix B.2 key derivation; u is the digest size, v its block size. */
export function pkcs12Kdf(password: string, salt: Buffer, id: number, iterations: number, size: number, hash: KdfHash = 'sha1'): Buffer {
  const u = createHash(hash).digest().length;
  const v = hash === 'sha384' || hash === 'sha512' ? 128 : 64;
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([repeatToBlocks(salt, v), repeatToBlocks(bmpPassword(password), v)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < size; produced += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block, B being A repeated to v bytes.
    const B = repeatToBlocks(A, v).subarray(0, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

/** Encrypts with pbeWithSHAAnd3-KeyTripleDES-CBC; OpenSSL ships 3DES in its default provider. */
export function encrypt3des(data: Buffer, password: string, salt: Buffer, iterations: number): Buffer {
  const key = pkcs12Kdf(password, salt, ID_KEY, iterations, 24);
  const iv = pkcs12Kdf(password, salt, ID_IV, iterations, 8);
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** HMAC-SHA-1 over the authenticated safe with a key from the PKCS#12 KDF (RFC 7292 §5, B.4). */
export function macSha1(data: Buffer, password: string, salt: Buffer, iterations: number): Buffer {
  const key = pkcs12Kdf(password, salt, ID_MAC, iterations, 20);
  return createHmac('sha1', key).update(data).digest();
}
