// CMS EnvelopedData (RFC 5652 §6) with RSA key transport to each recipient, identified by
// issuerAndSerialNumber, and AES-CBC (RFC 3565) or DES-EDE3-CBC (RFC 3370 §5.1) content.
// Used for DEP server tokens (the portal's .p7m) and SCEP pkcsPKIEnvelope (RFC 8894 §3.2.2).
import { createCipheriv, createDecipheriv, randomBytes, type X509Certificate } from 'node:crypto';
import { certFields, issuerAndSerial } from './cert-fields.js';
import { children, contentOf, derNull, expect, expectChildren, explicit, implicitPrimitive, octets, octetsOf, oid, oidOf, parseDer, seq, setOf, smallInt, smallIntOf, Tag, type Tlv } from './der.js';
import { CIPHER_BY_OID, CIPHERS, DECRYPT_CIPHERS, OID_DATA, OID_ENVELOPED_DATA, OID_RSA_ENCRYPTION, type ContentCipher, type DecryptCipher } from './oids.js';
import { rsaDecryptKey, rsaEncryptKey } from './rsa-key-transport.js';
import { CryptoError, type Identity } from './types.js';

export interface CmsEnvelopeOptions {
  /** Default 'aes-256-cbc'. */
  cipher?: ContentCipher;
}

/** DER ContentInfo(EnvelopedData) of `content` (type id-data) for each RSA recipient. */
export function cmsEnvelope(content: Buffer, recipients: X509Certificate[], opts: CmsEnvelopeOptions = {}): Buffer {
  if (recipients.length === 0) throw new CryptoError('no-recipients', 'cmsEnvelope needs a recipient');
  const cipher = opts.cipher ?? 'aes-256-cbc';
  const { oid: cipherOid, keyLength, ivLength } = CIPHERS[cipher];
  const cek = randomBytes(keyLength);
  const iv = randomBytes(ivLength);
  const enc = createCipheriv(cipher, cek, iv); // PKCS#7 padding, RFC 5652 §6.3
  const encrypted = Buffer.concat([enc.update(content), enc.final()]);
  const recipientInfos = recipients.map((cert) => {
    if (cert.publicKey.asymmetricKeyType !== 'rsa') {
      throw new CryptoError('unsupported-key', `recipient "${cert.subject}" has no RSA key`);
    }
    return seq(
      smallInt(0), // §6.2.1: version 0 with issuerAndSerialNumber
      issuerAndSerial(cert),
      seq(oid(OID_RSA_ENCRYPTION), derNull()),
      octets(rsaEncryptKey(cert.publicKey, cek)),
    );
  });
  const envelopedData = seq(
    smallInt(0), // §6.1: version 0, no originatorInfo, only v0 KeyTransRecipientInfos
    setOf(recipientInfos),
    seq(oid(OID_DATA), seq(oid(cipherOid), octets(iv)), implicitPrimitive(0, encrypted)),
  );
  return seq(oid(OID_ENVELOPED_DATA), explicit(0, envelopedData));
}

/** Decrypts an EnvelopedData addressed to `recipient`. */
export function cmsDecrypt(der: Buffer, recipient: Identity): Buffer {
  return cmsDecryptDetailed(der, recipient).content;
}

/** As cmsDecrypt, also telling which content cipher the sender chose (SCEP answers in kind). */
export function cmsDecryptDetailed(der: Buffer, recipient: Identity): { content: Buffer; cipher: DecryptCipher } {
  const [ct, wrapped] = expectChildren(parseDer(der), Tag.SEQUENCE, 'ContentInfo');
  if (oidOf(ct) !== OID_ENVELOPED_DATA) throw new CryptoError('malformed', 'ContentInfo does not hold EnvelopedData');
  const items = expectChildren(expectChildren(wrapped, 0xa0, '[0] content')[0], Tag.SEQUENCE, 'EnvelopedData');
  let i = 1; // version
  if (items[i]?.tag === 0xa0) i++; // originatorInfo
  const recipientInfos = expectChildren(items[i++], Tag.SET, 'recipientInfos');
  const [contentType, algorithm, encryptedContent] = expectChildren(items[i], Tag.SEQUENCE, 'EncryptedContentInfo');
  expect(contentType, Tag.OID, 'contentType');
  const [algOid, ivTlv] = expectChildren(algorithm, Tag.SEQUENCE, 'contentEncryptionAlgorithm');
  const cipher = CIPHER_BY_OID.get(oidOf(algOid));
  if (!cipher) throw new CryptoError('malformed', `unsupported content cipher ${oidOf(algOid)}`);
  const iv = contentOf(expect(ivTlv, Tag.OCTET_STRING, 'IV'));
  if (iv.length !== DECRYPT_CIPHERS[cipher].ivLength) throw new CryptoError('malformed', 'bad IV length');
  if (!encryptedContent || (encryptedContent.tag !== 0x80 && encryptedContent.tag !== 0xa0)) {
    throw new CryptoError('malformed', 'no encryptedContent');
  }
  const encryptedKey = findEncryptedKey(recipientInfos, recipient.cert);
  const cek = rsaDecryptKey(recipient.key, encryptedKey, DECRYPT_CIPHERS[cipher].keyLength);
  try {
    const dec = decipher(cipher, cek, iv);
    const ciphertext = encryptedContent.tag === 0x80 ? contentOf(encryptedContent) : octetsOf(encryptedContent);
    return { content: Buffer.concat([dec.update(ciphertext), dec.final()]), cipher };
  } catch {
    throw new CryptoError('decrypt-failed', 'content decryption failed (wrong key or corrupt data)');
  }
}

/** Node's OpenSSL 3 keeps single DES in the legacy provider; 3DES-EDE with K1=K2=K3 is the same
 * permutation (E_K(D_K(E_K(x))) = E_K(x)), so DES-CBC decrypts as DES-EDE3-CBC with K||K||K. */
function decipher(cipher: DecryptCipher, key: Buffer, iv: Buffer) {
  if (cipher === 'des-cbc') return createDecipheriv('des-ede3-cbc', Buffer.concat([key, key, key]), iv);
  return createDecipheriv(cipher, key, iv);
}

/** §6.2.1: the KeyTransRecipientInfo whose rid names our certificate. */
function findEncryptedKey(recipientInfos: Tlv[], cert: X509Certificate): Buffer {
  const f = certFields(cert);
  for (const ri of recipientInfos) {
    if (ri.tag !== Tag.SEQUENCE) continue; // KeyAgree/KEK/Password/Other RecipientInfos are tagged
    const [version, rid, keyAlg, encryptedKey] = children(ri);
    const v = smallIntOf(version);
    let mine: boolean;
    if (v === 0 && rid.tag === Tag.SEQUENCE) {
      const [issuer, serial] = children(rid);
      mine = contentOf(serial).equals(f.serial) && issuer.buf.subarray(issuer.start, issuer.end).equals(f.issuer);
    } else if (v === 2 && rid.tag === 0x80) {
      mine = f.ski !== undefined && contentOf(rid).equals(f.ski);
    } else continue;
    if (!mine) continue;
    if (oidOf(children(keyAlg)[0]) !== OID_RSA_ENCRYPTION) {
      throw new CryptoError('malformed', 'only rsaEncryption key transport is supported');
    }
    return octetsOf(expect(encryptedKey, Tag.OCTET_STRING, 'encryptedKey'));
  }
  throw new CryptoError('not-for-recipient', `no RecipientInfo for "${cert.subject}"`);
}
