// Object identifiers used by the CMS and SCEP code, with the spec that assigns each.

/** RFC 5652 §4, §5.1, §6.1 content types. */
export const OID_DATA = '1.2.840.113549.1.7.1';
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';

/** RFC 5652 §11 signed attributes. */
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/** RFC 8894 §3.2.1 SCEP authenticated attributes (IANA "SCEP" registry). */
export const OID_SCEP_MESSAGE_TYPE = '2.16.840.1.113733.1.9.2';
export const OID_SCEP_PKI_STATUS = '2.16.840.1.113733.1.9.3';
export const OID_SCEP_FAIL_INFO = '2.16.840.1.113733.1.9.4';
export const OID_SCEP_SENDER_NONCE = '2.16.840.1.113733.1.9.5';
export const OID_SCEP_RECIPIENT_NONCE = '2.16.840.1.113733.1.9.6';
export const OID_SCEP_TRANSACTION_ID = '2.16.840.1.113733.1.9.7';

/** RFC 8017 Appendix C; RFC 3279 §2.2.1. */
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSAES_OAEP = '1.2.840.113549.1.1.7';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** X.509 extensions (RFC 5280 §4.2.1.2). */
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

export type DigestName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** Digest algorithms (RFC 3370 §2.1, RFC 5754 §2). */
export const DIGEST_OIDS: Record<DigestName, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
export const DIGEST_BY_OID = new Map<string, DigestName>(
  Object.entries(DIGEST_OIDS).map(([name, o]) => [o, name as DigestName]),
);

/** Signature algorithms a SignerInfo may name (RFC 3370 §3.2, RFC 5754 §3, RFC 5758 §3.2):
 * the hash, when the OID fixes one, must agree with the SignerInfo's digestAlgorithm. */
export const SIGNATURE_OIDS = new Map<string, { key: 'rsa' | 'ec'; digest?: DigestName }>([
  [OID_RSA_ENCRYPTION, { key: 'rsa' }],
  ['1.2.840.113549.1.1.5', { key: 'rsa', digest: 'sha1' }],
  ['1.2.840.113549.1.1.11', { key: 'rsa', digest: 'sha256' }],
  ['1.2.840.113549.1.1.12', { key: 'rsa', digest: 'sha384' }],
  ['1.2.840.113549.1.1.13', { key: 'rsa', digest: 'sha512' }],
  [OID_EC_PUBLIC_KEY, { key: 'ec' }],
  ['1.2.840.10045.4.1', { key: 'ec', digest: 'sha1' }],
  ['1.2.840.10045.4.3.2', { key: 'ec', digest: 'sha256' }],
  ['1.2.840.10045.4.3.3', { key: 'ec', digest: 'sha384' }],
  ['1.2.840.10045.4.3.4', { key: 'ec', digest: 'sha512' }],
]);
export const ECDSA_OIDS: Record<DigestName, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

export type ContentCipher = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';

/** Content-encryption algorithms (RFC 3565 §4.1 AES-CBC, RFC 3370 §5.1 DES-EDE3-CBC);
 * the parameters of each are the IV as an OCTET STRING. */
export const CIPHERS: Record<ContentCipher, { oid: string; keyLength: number; ivLength: number }> = {
  'aes-128-cbc': { oid: '2.16.840.1.101.3.4.1.2', keyLength: 16, ivLength: 16 },
  'aes-192-cbc': { oid: '2.16.840.1.101.3.4.1.22', keyLength: 24, ivLength: 16 },
  'aes-256-cbc': { oid: '2.16.840.1.101.3.4.1.42', keyLength: 32, ivLength: 16 },
  'des-ede3-cbc': { oid: '1.2.840.113549.3.7', keyLength: 24, ivLength: 8 },
};
/** Content ciphers we read but never write: single DES-CBC (RFC 8018 §B.2.1 OID), still sent by
 * older SCEP clients (micromdm scepclient 2.1 encrypts with DES-CBC regardless of GetCACaps). */
export type DecryptCipher = ContentCipher | 'des-cbc';
export const DECRYPT_CIPHERS: Record<DecryptCipher, { oid: string; keyLength: number; ivLength: number }> = {
  ...CIPHERS,
  'des-cbc': { oid: '1.3.14.3.2.7', keyLength: 8, ivLength: 8 },
};
export const CIPHER_BY_OID = new Map<string, DecryptCipher>(
  Object.entries(DECRYPT_CIPHERS).map(([name, c]) => [c.oid, name as DecryptCipher]),
);
