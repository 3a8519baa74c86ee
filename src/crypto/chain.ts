// Certificate path validation for Orchard's own PKI: does this certificate chain, through the
// given intermediates, to one of our trust anchors, and is every link within its validity?
// Covers RFC 5280 §6.1's signature, name chaining, basicConstraints cA and validity checks;
// not policies, name constraints, pathLenConstraint or revocation (Orchard's CAs issue none).
import type { X509Certificate } from 'node:crypto';
import { certificateFacts, fingerprintOf } from './certificate-facts.js';
import { CryptoError } from './types.js';

/**
 * Whether `issuer` issued `child`: names and key identifiers chain and keyUsage allows
 * certificate signing (OpenSSL's X509_check_issued), and the signature verifies natively.
 */
export function verifyIssuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export interface VerifyChainOptions {
  intermediates?: X509Certificate[];
  trustAnchors: X509Certificate[];
  /** The moment to check validity at; required unless ignoreDates. */
  at?: Date;
  /** Skip validity periods, e.g. for Apple's expired iPhone Device CA (PROTOCOLS.md, MachineInfo). */
  ignoreDates?: boolean;
  /** Remembers path results by fingerprint so a repeat verification skips the signatures. */
  cache?: ChainCache;
}

const MAX_DEPTH = 8;

type PathResult = { path: X509Certificate[] } | { error: CryptoError };

/**
 * Results of path building, keyed by the SHA-256 fingerprints of the leaf, intermediates and
 * anchors. A fingerprint pins the exact DER, so a cached result stays right forever; only the
 * dates depend on time, and those are checked on every call. Oldest entries are dropped first.
 */
export class ChainCache {
  private readonly entries = new Map<string, PathResult>();
  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): PathResult | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: PathResult): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}

function buildPath(leaf: X509Certificate, intermediates: X509Certificate[], anchors: X509Certificate[]): PathResult {
  const anchorFps = new Set(anchors.map(fingerprintOf));
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (anchorFps.has(fingerprintOf(current))) return { path };
    const anchor = anchors.find((a) => verifyIssuedBy(current, a));
    if (anchor) {
      path.push(anchor);
      return { path };
    }
    // RFC 5280 §6.1.4 (k): an intermediate must be a CA.
    const next = intermediates.find((i) => i.ca && !path.includes(i) && verifyIssuedBy(current, i));
    if (!next) {
      return {
        error: new CryptoError('untrusted-chain', `no trusted issuer found for ${certificateFacts(current).subject.CN ?? 'certificate'}`),
      };
    }
    path.push(next);
    current = next;
  }
  return { error: new CryptoError('untrusted-chain', `certificate chain longer than ${MAX_DEPTH}`) };
}

/** The path from `leaf` to one of `anchors` (leaf first), or throws 'untrusted-chain'. Dates are not checked. */
export function trustedPath(leaf: X509Certificate, intermediates: X509Certificate[], anchors: X509Certificate[]): X509Certificate[] {
  const r = buildPath(leaf, intermediates, anchors);
  if ('error' in r) throw r.error;
  return r.path;
}

function checkDates(path: X509Certificate[], at: Date): void {
  for (const cert of path) {
    const { notBefore, notAfter, subject } = certificateFacts(cert);
    const who = subject.CN ?? fingerprintOf(cert);
    if (at < notBefore) throw new CryptoError('not-yet-valid', `certificate ${who} is not valid before ${notBefore.toISOString()}`);
    if (at > notAfter) throw new CryptoError('expired', `certificate ${who} expired at ${notAfter.toISOString()}`);
  }
}

/** Throws CryptoError 'untrusted-chain', 'expired' or 'not-yet-valid'; returns nothing when valid. */
export function verifyChain(leaf: X509Certificate, opts: VerifyChainOptions): void {
  if (!opts.ignoreDates && !opts.at) throw new TypeError('verifyChain needs `at` (or ignoreDates)');
  const intermediates = opts.intermediates ?? [];
  let result: PathResult | undefined;
  let key: string | undefined;
  if (opts.cache) {
    key = [fingerprintOf(leaf), intermediates.map(fingerprintOf).join(','), opts.trustAnchors.map(fingerprintOf).join(',')].join('|');
    result = opts.cache.get(key);
  }
  if (!result) {
    result = buildPath(leaf, intermediates, opts.trustAnchors);
    if (opts.cache && key) opts.cache.set(key, result);
  }
  if ('error' in result) throw result.error;
  if (!opts.ignoreDates) checkDates(result.path, opts.at!);
}

// ---- from the cms branch: path building for CMS signers (used by cms-verify.ts) ----
const MAX_PATH = 8;

export interface CmsChainOptions {
  /** Check notBefore/notAfter of every certificate on the path at this instant. */
  at?: Date;
}

/** Returns the path [signer, …intermediates, anchor] or throws 'untrusted-chain' / 'expired'. */
export function verifyCmsSignerChain(
  signer: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  opts: CmsChainOptions = {},
): X509Certificate[] {
  const path = [signer];
  const used = new Set<string>([signer.fingerprint256]);
  let current = signer;
  for (;;) {
    if (opts.at) checkCmsDates(current, opts.at);
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256)) return path;
    const anchor = anchors.find((a) => cmsIssuedBy(current, a));
    if (anchor) {
      if (opts.at) checkCmsDates(anchor, opts.at);
      path.push(anchor);
      return path;
    }
    if (path.length >= MAX_PATH) break;
    const next = pool.find((c) => !used.has(c.fingerprint256) && c.ca && cmsIssuedBy(current, c));
    if (!next) break;
    used.add(next.fingerprint256);
    path.push(next);
    current = next;
  }
  throw new CryptoError('untrusted-chain', `no path from "${signer.subject}" to a trust anchor`);
}

// Positive results only, per certificate object: certificates from messages are shared instances
// (cert-cache.ts), so a device's chain costs one signature check per issuer, not one per request.
const verifiedIssuers = new WeakMap<X509Certificate, WeakSet<X509Certificate>>();

function cmsIssuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  if (verifiedIssuers.get(cert)?.has(issuer)) return true;
  if (!(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) return false;
  let set = verifiedIssuers.get(cert);
  if (!set) verifiedIssuers.set(cert, (set = new WeakSet()));
  set.add(issuer);
  return true;
}

function checkCmsDates(cert: X509Certificate, at: Date): void {
  const t = at.getTime();
  if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo)) {
    throw new CryptoError('expired', `certificate "${cert.subject}" is not valid at ${at.toISOString()}`);
  }
}
