// CMS SignedData producer (RFC 5652 §5). Signatures come from OpenSSL via crypto.sign:
// RSA PKCS#1 v1.5 (signatureAlgorithm rsaEncryption, as OpenSSL, Go's pkcs7 and Apple write it)
// or ECDSA for EC keys.
import { createHash, sign, type X509Certificate } from 'node:crypto';
import { certFields } from './cert-fields.js';
import { derNull, explicit, octets, oid, seq, setOf, smallInt, Tag, time, tlv } from './der.js';
import {
  DIGEST_OIDS,
  ECDSA_OIDS,
  OID_CONTENT_TYPE,
  OID_DATA,
  OID_MESSAGE_DIGEST,
  OID_RSA_ENCRYPTION,
  OID_SIGNED_DATA,
  OID_SIGNING_TIME,
  type DigestName,
} from './oids.js';
import { CryptoError, type Identity } from './types.js';

export interface SignedAttribute {
  oid: string;
  /** DER of the one value placed in the attribute's SET. */
  valueDer: Buffer;
}

export interface CmsSignOptions {
  /** Leave the content out of the message (encapContentInfo without eContent). */
  detached?: boolean;
  /** 'sha256' by default; SCEP replies may echo a client's sha384/sha512. */
  digest?: DigestName;
  /** Certificates to carry; default the signer's certificate and its chain. */
  includeCertificates?: X509Certificate[];
  extraSignedAttributes?: SignedAttribute[];
  /** Adds a signingTime attribute (RFC 5652 §11.3). Omitted when not given: modules take
   * time from the caller's clock, never read it themselves. */
  signingTime?: Date;
}

/** DER ContentInfo(SignedData) over `content`, signed by `signer`. */
export function cmsSign(content: Buffer, signer: Identity, opts: CmsSignOptions = {}): Buffer {
  const digest = opts.digest ?? 'sha256';
  const attrs = [
    attribute(OID_CONTENT_TYPE, oid(OID_DATA)),
    ...(opts.signingTime ? [attribute(OID_SIGNING_TIME, time(opts.signingTime))] : []),
    attribute(OID_MESSAGE_DIGEST, octets(createHash(digest).update(content).digest())),
    ...(opts.extraSignedAttributes ?? []).map((a) => attribute(a.oid, a.valueDer)),
  ];
  // The signature covers the DER SET OF the attributes (tag 0x31); the message carries the same
  // bytes under [0] IMPLICIT (0xA0). RFC 5652 §5.4.
  const signedAttrsSet = setOf(attrs);
  const signature = signWith(signer, digest, signedAttrsSet);
  const f = certFields(signer.cert);
  const signerInfo = seq(
    smallInt(1), // version 1: sid is issuerAndSerialNumber (§5.3; RFC 8894 §3.2)
    seq(f.issuer, tlv(Tag.INTEGER, f.serial)),
    algorithmId(DIGEST_OIDS[digest]),
    Buffer.concat([Buffer.from([0xa0]), signedAttrsSet.subarray(1)]),
    signatureAlgorithm(signer, digest),
    octets(signature),
  );
  const certs = opts.includeCertificates ?? [signer.cert, ...(signer.chain ?? [])];
  return signedDataContentInfo({
    digestAlgorithms: [algorithmId(DIGEST_OIDS[digest])],
    eContent: opts.detached ? undefined : content,
    certificates: certs,
    signerInfos: [signerInfo],
  });
}

/** A certs-only ("degenerate") SignedData: no signers, no content (RFC 8894 §3.4; RFC 5652 §5). */
export function degenerateCertificates(certs: Array<X509Certificate | Buffer>): Buffer {
  return signedDataContentInfo({ digestAlgorithms: [], certificates: certs, signerInfos: [] });
}

function signedDataContentInfo(p: {
  digestAlgorithms: Buffer[];
  eContent?: Buffer;
  certificates: Array<X509Certificate | Buffer>;
  signerInfos: Buffer[];
}): Buffer {
  const encap = p.eContent ? seq(oid(OID_DATA), explicit(0, octets(p.eContent))) : seq(oid(OID_DATA));
  const signedData = seq(
    smallInt(1), // §5.1: version 1 with id-data, X.509 certificates and v1 SignerInfos only
    setOf(p.digestAlgorithms),
    encap,
    ...(p.certificates.length ? [tlv(0xa0, ...p.certificates.map((c) => (Buffer.isBuffer(c) ? c : c.raw)))] : []),
    setOf(p.signerInfos),
  );
  return seq(oid(OID_SIGNED_DATA), explicit(0, signedData));
}

function attribute(type: string, valueDer: Buffer): Buffer {
  return seq(oid(type), setOf([valueDer]));
}

/** Digest AlgorithmIdentifier with NULL parameters: RFC 5754 §2 lets receivers accept both forms,
 * and the NULL form is the one every older reader (SCEP clients, Go's pkcs7) understands. */
function algorithmId(dotted: string): Buffer {
  return seq(oid(dotted), derNull());
}

function signatureAlgorithm(signer: Identity, digest: DigestName): Buffer {
  const type = signer.key.asymmetricKeyType;
  if (type === 'rsa') return seq(oid(OID_RSA_ENCRYPTION), derNull());
  if (type === 'ec') return seq(oid(ECDSA_OIDS[digest])); // RFC 5758 §3.2: parameters absent
  throw new CryptoError('unsupported-key', `cannot sign CMS with a ${type} key`);
}

function signWith(signer: Identity, digest: string, data: Buffer): Buffer {
  const type = signer.key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') {
    throw new CryptoError('unsupported-key', `cannot sign CMS with a ${type} key`);
  }
  // RSA: PKCS#1 v1.5 is crypto.sign's default padding. EC: DER-encoded ECDSA-Sig-Value.
  return sign(digest, data, signer.key);
}
