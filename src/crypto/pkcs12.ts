// PKCS#12 files (RFC 7292): identities for devices, push certificates and admins.
//
// We write the "legacy-compatible" form: keys and certificates encrypted with
// pbeWithSHAAnd3-KeyTripleDES-CBC, an HMAC-SHA-1 MAC, 2048 iterations. Apple's configuration
// profiles (com.apple.security.pkcs12) and Keychain have long accepted exactly this, and
// OpenSSL 3 reads it without -legacy because 3DES is in its default provider (RC2 is not).
// parsePkcs12 (pkcs12-read.ts) reads that, OpenSSL 3's default (PBES2: PBKDF2-HMAC-SHA256 +
// AES-256-CBC, SHA-256 MAC) and OpenSSL's -legacy output (RC2-40 certificates, 3DES key).
import { randomBytes, type KeyObject, type X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { encrypt3des, macSha1, OID_PBE_SHA1_3DES } from './pkcs12-pbe.js';

export { parsePkcs12 } from './pkcs12-read.js';

export interface BuildPkcs12Options {
  key: KeyObject;
  cert: X509Certificate;
  /** Intermediates (and optionally the root) to include after the leaf. */
  chain?: X509Certificate[];
  password: string;
  friendlyName?: string;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  sha1: '1.3.14.3.2.26',
};
const ITERATIONS = 2048;
const SALT_BYTES = 8;

const seq = (...value: asn1js.AsnType[]) => new asn1js.Sequence({ value });
const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
const octets = (data: Buffer) => new asn1js.OctetString({ valueHex: new Uint8Array(data) });
const int = (value: number) => new asn1js.Integer({ value });
const explicit0 = (inner: asn1js.AsnType) => new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [inner] });
const der = (node: asn1js.AsnType) => Buffer.from(node.toBER(false));

function pbeAlgorithm(salt: Buffer) {
  // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 Appendix C)
  return seq(oid(OID_PBE_SHA1_3DES), seq(octets(salt), int(ITERATIONS)));
}

function bagAttributes(localKeyId: Buffer, friendlyName?: string) {
  const attrs = [seq(oid(OID.localKeyId), new asn1js.Set({ value: [octets(localKeyId)] }))];
  if (friendlyName !== undefined) {
    attrs.unshift(seq(oid(OID.friendlyName), new asn1js.Set({ value: [new asn1js.BmpString({ value: friendlyName })] })));
  }
  return new asn1js.Set({ value: attrs });
}

function certBag(cert: X509Certificate, attrs?: asn1js.Set) {
  const bag = seq(oid(OID.x509Certificate), explicit0(octets(cert.raw)));
  return seq(oid(OID.certBag), explicit0(bag), ...(attrs ? [attrs] : []));
}

/** A DER PFX holding the key, its certificate and the chain, protected by `password`. */
export function buildPkcs12(opts: BuildPkcs12Options): Buffer {
  // localKeyId ties the key bag to its certificate bag; OpenSSL uses the cert's SHA-1 likewise.
  const localKeyId = Buffer.from(opts.cert.fingerprint.replaceAll(':', ''), 'hex');
  const pkcs8 = opts.key.export({ type: 'pkcs8', format: 'der' });

  const keySalt = randomBytes(SALT_BYTES);
  const shroudedKey = seq(pbeAlgorithm(keySalt), octets(encrypt3des(pkcs8, opts.password, keySalt, ITERATIONS)));
  const keyBag = seq(oid(OID.pkcs8ShroudedKeyBag), explicit0(shroudedKey), bagAttributes(localKeyId, opts.friendlyName));

  const certs = seq(certBag(opts.cert, bagAttributes(localKeyId, opts.friendlyName)), ...(opts.chain ?? []).map((c) => certBag(c)));
  const certSalt = randomBytes(SALT_BYTES);
  const encryptedCerts = seq(
    int(0),
    seq(
      oid(OID.data),
      pbeAlgorithm(certSalt),
      // encryptedContent [0] IMPLICIT OCTET STRING
      new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: new Uint8Array(encrypt3des(der(certs), opts.password, certSalt, ITERATIONS)) }),
    ),
  );

  const authSafe = der(
    seq(
      seq(oid(OID.encryptedData), explicit0(encryptedCerts)),
      seq(oid(OID.data), explicit0(octets(der(seq(keyBag))))),
    ),
  );
  const macSalt = randomBytes(SALT_BYTES);
  const mac = macSha1(authSafe, opts.password, macSalt, ITERATIONS);
  const pfx = seq(
    int(3),
    seq(oid(OID.data), explicit0(octets(authSafe))),
    seq(seq(seq(oid(OID.sha1), new asn1js.Null()), octets(mac)), octets(macSalt), int(ITERATIONS)),
  );
  return der(pfx);
}
