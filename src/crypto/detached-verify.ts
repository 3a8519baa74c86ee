// Detached CMS SignedData verification for the MDM hot path (Mdm-Signature on every check-in
// and connect, RFC 5652 §5.4, §5.6): the same checks as cmsVerify — every SignerInfo verified,
// digest and signature algorithms consistent, contentType and messageDigest attributes, the
// signature itself with OpenSSL — but the signer is read from the certificate's DER, not through
// an X509Certificate (≈0.4–0.5 ms to construct on Node 20, and ~7 KB each, too many to keep for
// a fleet of 10,000). Remembered per certificate (by the SHA-256 of its DER): the fields that
// match a SignerInfo to it, a signer's public key as a KeyObject (~2 KB; parsing the SPKI costs
// ~130 µs, four times the RSA verify itself), and a signer's path check with the path's validity
// window, which is checked against the clock on every call.
import { verify, X509Certificate, type KeyObject } from 'node:crypto';
import { parseCertificateCached } from './cert-cache.js';
import { publicKeyOfSpki } from './spki.js';
import { certFieldsOfDer } from './cert-fields.js';
import { certificateFacts } from './certificate-facts.js';
import { trustedPath } from './chain.js';
import { checkSignedAttributes } from './cms-verify.js';
import { sha256Hex } from './digest.js';
import { children, contentOf, oidOf, smallIntOf, Tag, type Tlv } from './der.js';
import { DIGEST_BY_OID, OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION, SIGNATURE_OIDS, type DigestName } from './oids.js';
import { readAttributes, readSignedData } from './signed-data.js';
import { CryptoError } from './types.js';

export interface DetachedSigner {
  /** DER of the signer certificate, as carried in the message. */
  certDer: Buffer;
  /** Lowercase hex SHA-256 of certDer. */
  certSha256: string;
}

type Window = { notBefore: number; notAfter: number; who: string } | { error: CryptoError };
interface Entry {
  /** The certificate's IssuerAndSerialNumber parts and subjectKeyIdentifier, to match a SignerInfo's sid. */
  issuer: Buffer;
  serial: Buffer;
  ski?: Buffer;
  keyAlgorithm: string;
  key: KeyObject;
  window?: Window;
}

/**
 * Remembers, per certificate fingerprint, the fields that match a SignerInfo to it, its public
 * key, and that its path to `anchors` verified (once it signed), with the path's validity window.
 */
export class SignerTrust {
  private readonly entries = new Map<string, Entry>();
  /** A fleet's leaves share their issuer: one copy of its Name serves them all. */
  private issuer = Buffer.alloc(0);
  /** 20,000 leaves ≈ 45 MB of keys: a fleet of that size polls without re-parsing any. */
  constructor(readonly anchors: X509Certificate[], private readonly maxEntries = 20_000) {}

  /**
   * The certificate's entry, read from its DER on first sight. A known certificate costs its
   * hash and a lookup; its DER is not walked again (it was ~3 walks of every certificate a request).
   */
  entry(fp: string, der: Buffer): Entry {
    let e = this.entries.get(fp);
    if (e) return e;
    const f = certFieldsOfDer(der);
    let key: KeyObject;
    try {
      // Through the shared cache: a device's first check-in follows its SCEP request for the
      // same key moments earlier (src/crypto/spki.ts).
      key = publicKeyOfSpki(f.spki);
    } catch (err) {
      throw new CryptoError('malformed', `unreadable signer public key: ${(err as Error).message}`);
    }
    // serial and ski in one unpooled allocation: small pooled copies would each keep an 8 KB
    // pool slab alive (+9 MB for 10,000 entries, measured).
    const own = Buffer.allocUnsafeSlow(f.serial.length + (f.ski?.length ?? 0));
    f.serial.copy(own, 0);
    f.ski?.copy(own, f.serial.length);
    e = {
      issuer: f.issuer.equals(this.issuer) ? this.issuer : (this.issuer = Buffer.from(f.issuer)),
      serial: own.subarray(0, f.serial.length), ski: f.ski && own.subarray(f.serial.length),
      keyAlgorithm: f.keyAlgorithm, key,
    };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(fp, e);
    return e;
  }

  /** The path check of one leaf, done once (full path validation through X509Certificate). */
  window(e: Entry, fp: string, certDer: Buffer, others: Buffer[]): Window {
    if (e.window) return e.window;
    let w: Window;
    try {
      // The leaf is parsed here once per fingerprint and dropped: through the shared parsed-
      // certificate cache, a fleet's leaves (~7 KB each parsed) would fill its 4,096 entries for
      // nothing, as this entry already remembers the outcome. Intermediates are few and shared.
      const leaf = parseLeaf(certDer);
      const path = trustedPath(leaf, others.map(parseCertificateCached), this.anchors);
      const facts = path.map(certificateFacts);
      w = {
        notBefore: Math.max(...facts.map((f) => f.notBefore.getTime())),
        notAfter: Math.min(...facts.map((f) => f.notAfter.getTime())),
        who: facts[0]!.subject.CN ?? fp,
      };
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      w = { error: err };
    }
    e.window = w;
    return w;
  }
}

function parseLeaf(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (e) {
    throw new CryptoError('malformed', `unparsable certificate: ${(e as Error).message}`);
  }
}

const KEY_TYPE = new Map<string, string>([[OID_RSA_ENCRYPTION, 'rsa'], [OID_EC_PUBLIC_KEY, 'ec']]);

interface Check {
  digest: DigestName;
  signed: Buffer;
  key: KeyObject;
  signature: Buffer;
}

interface Prepared {
  checks: Check[];
  certs: Buffer[];
  first: { index: number; fp: string; entry: Entry };
}

/** Every check but the signature values: structure, algorithms, signer, signed attributes (digest of `content`). */
function prepare(der: Buffer, content: Buffer, trust: SignerTrust): Prepared {
  const sd = readSignedData(der);
  // A signature over encapsulated content would not be a signature over this body.
  if (sd.eContent && !sd.eContent.equals(content)) throw new CryptoError('malformed', 'the signature encapsulates other content than the body');
  if (sd.signerInfos.length === 0) throw new CryptoError('malformed', 'SignedData has no signers');
  const certs = sd.certificates.map((t) => t.buf.subarray(t.start, t.end));
  const fps: Array<string | undefined> = [];
  const checks: Check[] = [];
  let first: Prepared['first'] | undefined;
  for (const si of sd.signerInfos) {
    const version = smallIntOf(si.version);
    if (version !== 1 && version !== 3) throw new CryptoError('malformed', `SignerInfo version ${version}`);
    const digest = DIGEST_BY_OID.get(oidOf(children(si.digestAlgorithm)[0]));
    if (!digest) throw new CryptoError('malformed', 'unsupported digest algorithm');
    const sigAlg = SIGNATURE_OIDS.get(oidOf(children(si.signatureAlgorithm)[0]));
    if (!sigAlg || (sigAlg.digest && sigAlg.digest !== digest)) throw new CryptoError('malformed', 'unsupported or inconsistent signature algorithm');
    const signer = findSigner(si.sid, certs, fps, trust);
    if (KEY_TYPE.get(signer.entry.keyAlgorithm) !== sigAlg.key) throw new CryptoError('bad-signature', 'signature algorithm does not match the signer key');
    const key = signer.entry.key;
    let signed: Buffer;
    if (si.signedAttrs) {
      checkSignedAttributes(readAttributes(si.signedAttrs), sd.eContentType, digest, content);
      signed = Buffer.from(si.signedAttrs.buf.subarray(si.signedAttrs.start, si.signedAttrs.end));
      signed[0] = Tag.SET; // §5.4: the DER of the SET OF, not of the [0] IMPLICIT field
    } else {
      signed = content;
    }
    checks.push({ digest, signed, key, signature: si.signature });
    first ??= signer;
  }
  return { checks, certs, first: first! };
}

/** After every signature verified: the first signer's path (checked once per leaf) and its validity window at `at`. */
function finish(p: Prepared, trust: SignerTrust, at: Date): DetachedSigner {
  const { index, fp, entry } = p.first;
  const der = p.certs[index]!;
  const w = trust.window(entry, fp, der, p.certs.filter((_, i) => i !== index));
  if ('error' in w) throw w.error;
  const t = at.getTime();
  if (t < w.notBefore) throw new CryptoError('not-yet-valid', `certificate ${w.who} is not valid before ${new Date(w.notBefore).toISOString()}`);
  if (t > w.notAfter) throw new CryptoError('expired', `certificate ${w.who} (or its issuer) expired at ${new Date(w.notAfter).toISOString()}`);
  return { certDer: der, certSha256: fp };
}

const badSignature = () => new CryptoError('bad-signature', 'CMS signature does not verify');

/** Verifies a detached SignedData over `content`; the signer must chain to `trust.anchors` at `at`. */
export function verifyDetached(der: Buffer, content: Buffer, trust: SignerTrust, at: Date): DetachedSigner {
  const p = prepare(der, content, trust);
  for (const c of p.checks) if (!verify(c.digest, c.signed, c.key, c.signature)) throw badSignature();
  return finish(p, trust, at);
}

/**
 * The same verification, with the RSA/ECDSA operations on libuv's thread pool (crypto.verify
 * with a callback): the event loop, which answers every request of a fleet, keeps only the
 * parsing and the lookups, and the signature math runs on the other cores. Same checks, same
 * order of outcomes: signatures first, then the path and validity window.
 */
export async function verifyDetachedAsync(der: Buffer, content: Buffer, trust: SignerTrust, at: Date): Promise<DetachedSigner> {
  const p = prepare(der, content, trust);
  const results = await Promise.all(p.checks.map((c) => new Promise<boolean>((resolve, reject) => {
    verify(c.digest, c.signed, c.key, c.signature, (err, ok) => (err ? reject(err) : resolve(ok)));
  })));
  if (results.some((ok) => !ok)) throw badSignature();
  return finish(p, trust, at);
}

/** §5.3 SignerIdentifier: issuerAndSerialNumber, or [0] subjectKeyIdentifier. */
function findSigner(sid: Tlv, certs: Buffer[], fps: Array<string | undefined>, trust: SignerTrust): { index: number; fp: string; entry: Entry } {
  let match: (e: Entry) => boolean;
  if (sid.tag === Tag.SEQUENCE) {
    const [issuer, serial] = children(sid);
    const issuerDer = issuer!.buf.subarray(issuer!.start, issuer!.end);
    const serialBytes = contentOf(serial!);
    match = (e) => e.serial.equals(serialBytes) && e.issuer.equals(issuerDer);
  } else {
    const ski = contentOf(sid);
    match = (e) => e.ski?.equals(ski) ?? false;
  }
  for (let i = 0; i < certs.length; i++) {
    const fp = (fps[i] ??= sha256Hex(certs[i]!));
    let entry: Entry;
    try {
      entry = trust.entry(fp, certs[i]!);
    } catch {
      continue; // an unreadable certificate (or key) matches no signer
    }
    if (match(entry)) return { index: i, fp, entry };
  }
  throw new CryptoError('malformed', 'the signer certificate is not in the message');
}
