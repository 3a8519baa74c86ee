// CMS SignedData verification (RFC 5652 §5.4, §5.6). Hot path: every MDM check-in carries a
// detached Mdm-Signature. We walk the DER in place, hash the signed attributes exactly as they
// arrived (only the [0] IMPLICIT tag swapped back to SET, §5.4), and verify with OpenSSL.
import { timingSafeEqual, verify, type X509Certificate } from 'node:crypto';
import { certFields } from './cert-fields.js';
import { digestOf } from './digest.js';
import { verifyCmsSignerChain } from './chain.js';
import { contentOf, oidOf, parseDer, smallIntOf, Tag, type Tlv, children } from './der.js';
import { DIGEST_BY_OID, OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, SIGNATURE_OIDS, type DigestName } from './oids.js';
import { readAttributes, readSignedData, toX509, type SignerInfoParts } from './signed-data.js';
import { CryptoError } from './types.js';

export interface CmsVerifyOptions {
  /** The content of a detached signature. */
  detachedContent?: Buffer;
  /** When given, the signer must chain to one of these through certificates in the message. */
  trustAnchors?: X509Certificate[];
  /** Skip validity dates (Apple's device signing CA is long expired, PROTOCOLS.md §1). */
  ignoreDates?: boolean;
  /** Instant for validity checks. With trustAnchors, `at` or `ignoreDates` is required. */
  at?: Date;
}

export interface CmsVerifyResult {
  content: Buffer;
  signer: X509Certificate;
  certificates: X509Certificate[];
  /** OID → DER of each value of the first signer's signed attributes (empty without them). */
  signedAttributes: Map<string, Buffer[]>;
  digestAlgorithm: DigestName;
}

export function cmsVerify(der: Buffer, opts: CmsVerifyOptions = {}): CmsVerifyResult {
  if (opts.trustAnchors && !opts.at && !opts.ignoreDates) {
    throw new TypeError('cmsVerify: pass `at` (the clock) or `ignoreDates` with trustAnchors');
  }
  const sd = readSignedData(der);
  const content = sd.eContent ?? opts.detachedContent;
  if (!content) throw new CryptoError('malformed', 'no content: neither encapsulated nor detachedContent');
  if (sd.signerInfos.length === 0) throw new CryptoError('malformed', 'SignedData has no signers');
  const certificates = sd.certificates.map(toX509);
  let first: Omit<CmsVerifyResult, 'content' | 'certificates'> | undefined;
  // Every SignerInfo must verify: a message with one good and one bad signature is refused.
  for (const si of sd.signerInfos) {
    const r = verifySignerInfo(si, sd.eContentType, content, certificates);
    first ??= r;
  }
  const result = { content, certificates, ...first! };
  const at = opts.ignoreDates ? undefined : opts.at;
  if (opts.trustAnchors) verifyCmsSignerChain(result.signer, certificates, opts.trustAnchors, { at });
  else if (at) verifyCmsSignerChain(result.signer, [], [result.signer], { at });
  return result;
}

function verifySignerInfo(
  si: SignerInfoParts,
  eContentType: string,
  content: Buffer,
  certificates: X509Certificate[],
): Omit<CmsVerifyResult, 'content' | 'certificates'> {
  const version = smallIntOf(si.version);
  if (version !== 1 && version !== 3) throw new CryptoError('malformed', `SignerInfo version ${version}`);
  const digestAlgorithm = DIGEST_BY_OID.get(oidOf(children(si.digestAlgorithm)[0]));
  if (!digestAlgorithm) throw new CryptoError('malformed', 'unsupported digest algorithm');
  const sigAlg = SIGNATURE_OIDS.get(oidOf(children(si.signatureAlgorithm)[0]));
  if (!sigAlg || (sigAlg.digest && sigAlg.digest !== digestAlgorithm)) {
    throw new CryptoError('malformed', 'unsupported or inconsistent signature algorithm');
  }
  const signer = findSigner(si.sid, certificates);
  if (signer.publicKey.asymmetricKeyType !== sigAlg.key) {
    throw new CryptoError('bad-signature', 'signature algorithm does not match the signer key');
  }
  let signedData: Buffer;
  let signedAttributes = new Map<string, Buffer[]>();
  if (si.signedAttrs) {
    signedAttributes = readAttributes(si.signedAttrs);
    checkSignedAttributes(signedAttributes, eContentType, digestAlgorithm, content);
    const raw = si.signedAttrs.buf.subarray(si.signedAttrs.start, si.signedAttrs.end);
    signedData = Buffer.from(raw);
    signedData[0] = Tag.SET;
  } else {
    signedData = content; // §5.4: without signed attributes the content itself is signed
  }
  if (!verify(digestAlgorithm, signedData, signer.publicKey, si.signature)) {
    throw new CryptoError('bad-signature', 'CMS signature does not verify');
  }
  return { signer, signedAttributes, digestAlgorithm };
}

/** §5.3/§11.1/§11.2: contentType must name eContentType, messageDigest must match the content. */
export function checkSignedAttributes(
  attrs: Map<string, Buffer[]>,
  eContentType: string,
  digest: DigestName,
  content: Buffer,
): void {
  const ct = attrs.get(OID_CONTENT_TYPE);
  const md = attrs.get(OID_MESSAGE_DIGEST);
  if (ct?.length !== 1 || md?.length !== 1) {
    throw new CryptoError('malformed', 'signed attributes need one contentType and one messageDigest');
  }
  if (oidOf(parseDer(ct[0])) !== eContentType) {
    throw new CryptoError('malformed', 'contentType attribute differs from eContentType');
  }
  const mdTlv = parseDer(md[0]);
  if (mdTlv.tag !== Tag.OCTET_STRING) throw new CryptoError('malformed', 'messageDigest is not an OCTET STRING');
  const expected = contentOf(mdTlv);
  const actual = digestOf(digest, content);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new CryptoError('digest-mismatch', 'messageDigest does not match the content');
  }
}

/** §5.3 SignerIdentifier: issuerAndSerialNumber, or [0] subjectKeyIdentifier. */
function findSigner(sid: Tlv, certificates: X509Certificate[]): X509Certificate {
  let match: (c: X509Certificate) => boolean;
  if (sid.tag === Tag.SEQUENCE) {
    const [issuer, serial] = children(sid);
    const issuerDer = issuer.buf.subarray(issuer.start, issuer.end);
    const serialBytes = contentOf(serial);
    match = (c) => {
      const f = certFields(c);
      return f.serial.equals(serialBytes) && f.issuer.equals(issuerDer);
    };
  } else {
    const ski = contentOf(sid);
    match = (c) => certFields(c).ski?.equals(ski) ?? false;
  }
  const found = certificates.find(match);
  if (!found) throw new CryptoError('malformed', 'the signer certificate is not in the message');
  return found;
}
