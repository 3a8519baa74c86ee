// Reading PKCS#12 (RFC 7292). We walk the structure ourselves so certificates come out
// byte-exact; decryption is native: the key bag through OpenSSL's PKCS#8 decoder, certificate
// bags with Node ciphers, except RC2 (OpenSSL's -legacy certificate cipher, absent from
// OpenSSL 3's default provider), for which node-forge's RC2 block cipher is used.
import { createDecipheriv, createHmac, createPrivateKey, pbkdf2Sync, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import { ID_IV, ID_KEY, ID_MAC, pkcs12Kdf, type KdfHash } from './pkcs12-pbe.js';
import { CryptoError, type Identity } from './types.js';

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const OID_X509 = '1.2.840.113549.1.9.22.1';
const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';

const DIGESTS: Record<string, KdfHash> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const HMAC_PRFS: Record<string, KdfHash> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
// RFC 7292 Appendix C.
const PKCS12_PBES: Record<string, { cipher: string; keyLength: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLength: 16 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLength: 5 },
};

type Node = asn1js.AsnType & { idBlock: { tagClass: number; tagNumber: number; isConstructed: boolean }; valueBlock: any };

class Malformed extends Error {}

function decode(data: Uint8Array): Node {
  const { offset, result } = asn1js.fromBER(data);
  if (offset === -1 || offset !== data.length) throw new Malformed('bad DER');
  return result as Node;
}
function kids(node: Node, min = 0): Node[] {
  const value = node.valueBlock?.value;
  if (!Array.isArray(value) || value.length < min) throw new Malformed('unexpected structure');
  return value as Node[];
}
function oidOf(node: Node | undefined): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw new Malformed('expected an OID');
  return node.valueBlock.toString();
}
/** Bytes of an OCTET STRING or implicitly tagged one, primitive or BER-constructed. */
function bytesOf(node: Node | undefined): Buffer {
  if (!node) throw new Malformed('missing octets');
  if (node.idBlock.isConstructed) return Buffer.concat(kids(node).map(bytesOf));
  return Buffer.from(node.valueBlock.valueHexView as Uint8Array);
}
function intOf(node: Node | undefined): number {
  if (!(node instanceof asn1js.Integer)) throw new Malformed('expected an INTEGER');
  return node.valueBlock.valueDec;
}
const explicitContent = (node: Node | undefined): Node => kids(node!, 1)[0]!;

/** Decrypts certificate-bag content (EncryptedData) under a PKCS#12 PBE or PBES2 algorithm. */
function decryptContent(algorithm: Node, data: Buffer, password: string): Buffer {
  const [algOid, params] = kids(algorithm, 2) as [Node, Node];
  const oid = oidOf(algOid);
  let cipherName: string;
  let key: Buffer;
  let iv: Buffer;
  const pbe = PKCS12_PBES[oid];
  if (pbe) {
    const [salt, iterations] = kids(params, 2);
    const s = bytesOf(salt);
    const n = intOf(iterations);
    key = pkcs12Kdf(password, s, ID_KEY, n, pbe.keyLength);
    iv = pkcs12Kdf(password, s, ID_IV, n, 8);
    if (pbe.cipher === 'rc2') {
      const rc2 = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), key.length * 8);
      rc2.start(forge.util.createBuffer(iv.toString('binary')));
      rc2.update(forge.util.createBuffer(data.toString('binary')));
      if (!rc2.finish()) throw new CryptoError('bad-password', 'cannot decrypt PKCS#12 certificates');
      return Buffer.from(rc2.output.getBytes(), 'binary');
    }
    cipherName = pbe.cipher;
  } else if (oid === OID_PBES2) {
    // RFC 8018 §6.2: PBES2-params { keyDerivationFunc PBKDF2, encryptionScheme }.
    const [kdf, scheme] = kids(params, 2) as [Node, Node];
    if (oidOf(kids(kdf, 2)[0]) !== OID_PBKDF2) throw new Malformed('unsupported PBES2 key derivation');
    const kdfParams = kids(kids(kdf)[1]!, 2);
    const salt = bytesOf(kdfParams[0]);
    const iterations = intOf(kdfParams[1]);
    const prfNode = kdfParams.find((n, i) => i >= 2 && n instanceof asn1js.Sequence);
    const prf = prfNode ? HMAC_PRFS[oidOf(kids(prfNode, 1)[0])] : 'sha1';
    const cipher = PBES2_CIPHERS[oidOf(kids(scheme, 2)[0])];
    if (!prf || !cipher) throw new Malformed('unsupported PBES2 algorithm');
    key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
    iv = bytesOf(kids(scheme)[1]);
    cipherName = cipher.name;
  } else {
    throw new Malformed(`unsupported encryption algorithm ${oid}`);
  }
  try {
    const decipher = createDecipheriv(cipherName, key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new CryptoError('bad-password', 'cannot decrypt PKCS#12 certificates (wrong password?)');
  }
}

/** RFC 7292 §5.1 MacData check; its failure is how a wrong password shows. */
function checkMac(macData: Node, authSafe: Buffer, password: string): void {
  const [digestInfo, macSalt, iterations] = kids(macData, 2);
  const [alg, digest] = kids(digestInfo!, 2) as [Node, Node];
  const hash = DIGESTS[oidOf(kids(alg, 1)[0])];
  if (!hash) throw new Malformed('unsupported MAC digest');
  const expected = bytesOf(digest);
  const n = iterations ? intOf(iterations) : 1;
  const key = pkcs12Kdf(password, bytesOf(macSalt), ID_MAC, n, expected.length, hash);
  const actual = createHmac(hash, key).update(authSafe).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new CryptoError('bad-password', 'PKCS#12 MAC does not verify: wrong password');
  }
}

function readSafeContents(der: Buffer, password: string, keys: KeyObject[], certs: X509Certificate[]): void {
  for (const bag of kids(decode(der))) {
    const [bagId, bagValue] = kids(bag, 2) as [Node, Node];
    const value = explicitContent(bagValue);
    switch (oidOf(bagId)) {
      case OID_SHROUDED_KEY_BAG:
        try {
          // OpenSSL decrypts EncryptedPrivateKeyInfo itself (PKCS#12 PBE or PBES2).
          keys.push(createPrivateKey({ key: Buffer.from(value.toBER(false)), format: 'der', type: 'pkcs8', passphrase: password }));
        } catch {
          throw new CryptoError('bad-password', 'cannot decrypt the PKCS#12 key (wrong password or unsupported cipher)');
        }
        break;
      case OID_KEY_BAG:
        keys.push(createPrivateKey({ key: Buffer.from(value.toBER(false)), format: 'der', type: 'pkcs8' }));
        break;
      case OID_CERT_BAG: {
        const [certId, certValue] = kids(value, 2) as [Node, Node];
        if (oidOf(certId) === OID_X509) certs.push(new X509Certificate(bytesOf(explicitContent(certValue))));
        break;
      }
      default:
        break; // CRL, secret and nested bags are not ours to use
    }
  }
}

/**
 * Reads a PFX; the certificate matching the key becomes `cert`, the others `chain`.
 * Throws CryptoError 'bad-password' or 'malformed'.
 */
export function parsePkcs12(input: Buffer, password: string): Identity {
  const keys: KeyObject[] = [];
  const certs: X509Certificate[] = [];
  try {
    const [version, authSafeInfo, macData] = kids(decode(input), 2);
    if (intOf(version) !== 3) throw new Malformed('PFX version is not 3');
    if (oidOf(kids(authSafeInfo!, 2)[0]) !== OID_DATA) throw new Malformed('only password-integrity PFX is supported');
    const authSafe = bytesOf(explicitContent(kids(authSafeInfo!)[1]));
    if (macData) checkMac(macData, authSafe, password);
    for (const info of kids(decode(authSafe))) {
      const [type, content] = kids(info, 2) as [Node, Node];
      const inner = explicitContent(content);
      if (oidOf(type) === OID_DATA) {
        readSafeContents(bytesOf(inner), password, keys, certs);
      } else if (oidOf(type) === OID_ENCRYPTED_DATA) {
        // EncryptedData { version, EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT content } }
        const [, eci] = kids(inner, 2);
        const [, algorithm, encrypted] = kids(eci!, 3) as [Node, Node, Node];
        readSafeContents(decryptContent(algorithm, bytesOf(encrypted), password), password, keys, certs);
      } else {
        throw new Malformed('public-key-enveloped PKCS#12 content is not supported');
      }
    }
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    throw new CryptoError('malformed', `cannot read PKCS#12: ${(err as Error).message}`);
  }
  if (keys.length !== 1) throw new CryptoError('malformed', `PKCS#12 holds ${keys.length} keys, expected 1`);
  const key = keys[0]!;
  const leaf = certs.find((c) => c.checkPrivateKey(key));
  if (!leaf) throw new CryptoError('malformed', 'PKCS#12 has no certificate for its key');
  const chain = certs.filter((c) => c !== leaf);
  return chain.length > 0 ? { cert: leaf, key, chain } : { cert: leaf, key };
}
