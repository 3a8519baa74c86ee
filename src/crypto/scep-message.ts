// SCEP pkiMessage codec (RFC 8894 §3): a SignedData whose id-data content is the DER of an
// EnvelopedData (the pkcsPKIEnvelope) and whose signed attributes carry the SCEP fields.
// Server side: parsePkiMessage / buildCertRep. Client side (device simulator, tests):
// buildPkcsReq / parseCertRep.
import { randomBytes, type X509Certificate } from 'node:crypto';
import { cmsSign, degenerateCertificates } from './cms-sign.js';
import { cmsDecryptDetailed, cmsEnvelope } from './cms-envelope.js';
import { cmsVerify } from './cms-verify.js';
import { parseDer, Tag } from './der.js';
import type { ContentCipher, DecryptCipher, DigestName } from './oids.js';
import { decodeScepAttributes, encodeScepAttributes, type FailInfo, type PkiStatus, type ScepRequestType } from './scep-attributes.js';
import { certificatesFromSignedData } from './signed-data.js';
import { CryptoError, type Identity } from './types.js';

export { FAIL_INFOS, MESSAGE_TYPES, PKI_STATUSES, type FailInfo, type PkiStatus, type ScepMessageType, type ScepRequestType } from './scep-attributes.js';

export interface PkiMessage {
  messageType: ScepRequestType;
  transactionID: string;
  senderNonce: Buffer;
  /** The certificate that signed the request: self-signed for PKCSReq, the old one for RenewalReq. */
  signerCert: X509Certificate;
  /** The decrypted PKCS#10 request (PKCSReq, RenewalReq). */
  csrDer?: Buffer;
  /** The decrypted payload of CertPoll (IssuerAndSubject), GetCert/GetCRL (IssuerAndSerialNumber). */
  payloadDer?: Buffer;
  digestAlgorithm: DigestName;
  /** The client's content cipher, e.g. 'aes-128-cbc', 'des-ede3-cbc' (or legacy 'des-cbc'). */
  contentEncryption: DecryptCipher;
}

/** Thrown when the signature verified but the envelope did not open: `request` lets the server
 * still answer FAILURE/badMessageCheck with the right transactionID and nonces (§3.3.2.2). */
export class PkiMessageError extends CryptoError {
  constructor(reason: string, message: string, readonly request: Omit<PkiMessage, 'contentEncryption'> & { contentEncryption?: DecryptCipher }) {
    super(reason, message);
  }
}

/** Verifies a client pkiMessage with its included signer certificate and opens the envelope with
 * the CA key. Whether the signer may ask (renewal, challenge) is the caller's decision. */
export function parsePkiMessage(der: Buffer, ca: Identity): PkiMessage {
  const signed = cmsVerify(der, {});
  const attrs = decodeScepAttributes(signed.signedAttributes);
  if (attrs.messageType === 'CertRep') throw new CryptoError('malformed', 'SCEP: a CertRep is not a request');
  const header = {
    messageType: attrs.messageType,
    transactionID: attrs.transactionID,
    senderNonce: attrs.senderNonce,
    signerCert: signed.signer,
    digestAlgorithm: signed.digestAlgorithm,
  };
  let opened: ReturnType<typeof cmsDecryptDetailed>;
  try {
    opened = cmsDecryptDetailed(signed.content, ca);
    if (parseDer(opened.content).tag !== Tag.SEQUENCE) throw new CryptoError('malformed', 'SCEP: payload is not DER');
  } catch (e) {
    const err = e as CryptoError;
    throw new PkiMessageError(err.reason ?? 'malformed', `SCEP: cannot open the pkcsPKIEnvelope: ${err.message}`, header);
  }
  const isRequest = attrs.messageType === 'PKCSReq' || attrs.messageType === 'RenewalReq';
  return {
    ...header,
    ...(isRequest ? { csrDer: opened.content } : { payloadDer: opened.content }),
    contentEncryption: opened.cipher,
  };
}

export interface CertRepOptions {
  ca: Identity;
  request: PkiMessage;
  status: PkiStatus;
  /** Required with FAILURE (§3.3.2.2). */
  failInfo?: FailInfo;
  /** Required with SUCCESS: the issued certificate (or its DER). */
  issued?: X509Certificate | Buffer;
  /** Certificates after the issued one in the reply (e.g. intermediates). */
  chain?: X509Certificate[];
  /** Our senderNonce; 16 random bytes when not given. */
  senderNonce?: Buffer;
  signingTime?: Date;
}

/** The CA's CertRep (§3.3.2): SUCCESS envelopes a degenerate SignedData with the issued cert to
 * the requester's signer certificate, in the digest and cipher family the client used. */
export function buildCertRep(opts: CertRepOptions): Buffer {
  const { request, status } = opts;
  if (status === 'FAILURE' && !opts.failInfo) throw new TypeError('buildCertRep: FAILURE needs failInfo');
  if (status === 'SUCCESS' && !opts.issued) throw new TypeError('buildCertRep: SUCCESS needs the issued cert');
  let content: Buffer = Buffer.alloc(0);
  if (status === 'SUCCESS') {
    // Answer in the client's family: its own AES variant, else 3DES (we never write single DES).
    const used = request.contentEncryption;
    const cipher: ContentCipher = used === 'des-cbc' ? 'des-ede3-cbc' : used;
    const certsOnly = degenerateCertificates([opts.issued!, ...(opts.chain ?? [])]);
    content = cmsEnvelope(certsOnly, [request.signerCert], { cipher });
  }
  const extraSignedAttributes = encodeScepAttributes({
    transactionID: request.transactionID,
    messageType: 'CertRep',
    pkiStatus: status,
    failInfo: status === 'FAILURE' ? opts.failInfo : undefined,
    senderNonce: opts.senderNonce ?? randomBytes(16),
    recipientNonce: request.senderNonce,
  });
  // FAILURE and PENDING carry no pkcsPKIEnvelope (§3.3.2): encapContentInfo without eContent.
  return cmsSign(content, opts.ca, {
    detached: status !== 'SUCCESS',
    digest: request.digestAlgorithm,
    extraSignedAttributes,
    signingTime: opts.signingTime,
  });
}

export interface PkcsReqOptions {
  csrDer: Buffer;
  /** The device's temporary self-signed certificate and key (or the old identity, for renewal). */
  signer: Identity;
  caCert: X509Certificate;
  transactionID: string;
  senderNonce?: Buffer;
  cipher?: 'aes-128-cbc' | 'des-ede3-cbc';
  digest?: 'sha256' | 'sha1';
  messageType?: 'PKCSReq' | 'RenewalReq';
  signingTime?: Date;
}

/** A client PKCSReq (§3.3.1): the CSR enveloped to the CA, signed by the requester. */
export function buildPkcsReq(opts: PkcsReqOptions): Buffer {
  const envelope = cmsEnvelope(opts.csrDer, [opts.caCert], { cipher: opts.cipher ?? 'aes-128-cbc' });
  return cmsSign(envelope, opts.signer, {
    digest: opts.digest ?? 'sha256',
    includeCertificates: [opts.signer.cert],
    signingTime: opts.signingTime,
    extraSignedAttributes: encodeScepAttributes({
      transactionID: opts.transactionID,
      messageType: opts.messageType ?? 'PKCSReq',
      senderNonce: opts.senderNonce ?? randomBytes(16),
    }),
  });
}

export interface CertRep {
  status: PkiStatus;
  failInfo?: FailInfo;
  transactionID: string;
  recipientNonce: Buffer;
  senderNonce: Buffer;
  /** From the degenerate SignedData; the issued certificate first when the CA follows §3.3.2. */
  certificates: X509Certificate[];
}

/** Verifies a CertRep as signed by the CA (or an RA it issued) and opens a SUCCESS reply. */
export function parseCertRep(der: Buffer, opts: { caCert: X509Certificate; requester: Identity; at?: Date }): CertRep {
  const signed = cmsVerify(der, {
    detachedContent: Buffer.alloc(0),
    trustAnchors: [opts.caCert],
    at: opts.at,
    ignoreDates: !opts.at,
  });
  const attrs = decodeScepAttributes(signed.signedAttributes);
  if (attrs.messageType !== 'CertRep') throw new CryptoError('malformed', `SCEP: expected CertRep, got ${attrs.messageType}`);
  if (!attrs.pkiStatus || !attrs.recipientNonce) throw new CryptoError('malformed', 'SCEP: CertRep lacks pkiStatus or recipientNonce');
  if (attrs.pkiStatus === 'FAILURE' && !attrs.failInfo) throw new CryptoError('malformed', 'SCEP: FAILURE without failInfo');
  let certificates: X509Certificate[] = [];
  if (attrs.pkiStatus === 'SUCCESS') {
    if (signed.content.length === 0) throw new CryptoError('malformed', 'SCEP: SUCCESS without pkcsPKIEnvelope');
    certificates = certificatesFromSignedData(cmsDecryptDetailed(signed.content, opts.requester).content);
  }
  return {
    status: attrs.pkiStatus,
    failInfo: attrs.failInfo,
    transactionID: attrs.transactionID,
    recipientNonce: attrs.recipientNonce,
    senderNonce: attrs.senderNonce,
    certificates,
  };
}
