// RSA key transport for CMS KeyTransRecipientInfo (RFC 5652 §6.2.1, RFC 3370 §4.2.1,
// rsaEncryption = PKCS#1 v1.5 type 2, RFC 8017 §7.2).
//
// Node 20 refuses privateDecrypt with RSA_PKCS1_PADDING (CVE-2023-46809, the Marvin attack),
// so we decrypt raw (RSA_NO_PADDING) and check the padding here. Bleichenbacher/RFC 3218 §2.3.2
// counter-measure: on bad padding, or a key of the wrong length, we carry on with a random key
// of the expected length, so the failure shows up only as a content-decryption error and the
// padding check is no oracle. The check scans every byte without early exit.
import { constants, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

export function rsaEncryptKey(recipientKey: KeyObject, cek: Buffer): Buffer {
  return publicEncrypt({ key: recipientKey, padding: constants.RSA_PKCS1_PADDING }, cek);
}

/** The content-encryption key, or a random one of `keyLength` bytes if the block is invalid. */
export function rsaDecryptKey(privateKey: KeyObject, encryptedKey: Buffer, keyLength: number): Buffer {
  const fallback = randomBytes(keyLength);
  let em: Buffer;
  try {
    em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, encryptedKey);
  } catch {
    return fallback; // wrong length / out-of-range ciphertext: same outcome as bad padding
  }
  const k = em.length;
  // EM = 0x00 || 0x02 || PS (>= 8 nonzero octets) || 0x00 || M
  let bad = (em[0] ^ 0x00) | (em[1] ^ 0x02);
  let separator = 0; // index of the first zero after PS, 0 while not found
  for (let i = 2; i < k; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (separator === 0 ? 1 : 0);
    separator = first ? i : separator;
  }
  bad |= separator === 0 ? 1 : 0;
  bad |= separator < 10 ? 1 : 0; // PS is em[2..separator), at least 8 octets
  bad |= k - separator - 1 !== keyLength ? 1 : 0;
  if (bad) return fallback;
  return em.subarray(separator + 1);
}
