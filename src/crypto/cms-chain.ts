// Path building for CMS signer certificates: from the signer up through the certificates
// carried in the message to one of the caller's trust anchors. Deliberately small: names and
// key identifiers via OpenSSL's X509_check_issued (X509Certificate.checkIssued), signatures via
// X509Certificate.verify, CA flag on intermediates, optional validity dates (RFC 5280 §6.1.3
// (a)(2)). No revocation, policies or name constraints: callers pin their own anchors.
// The lead may merge this with certificates.ts' verifyChain; keep the name distinct until then.
import type { X509Certificate } from 'node:crypto';
import { CryptoError } from './types.js';

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
    if (opts.at) checkDates(current, opts.at);
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256)) return path;
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) {
      if (opts.at) checkDates(anchor, opts.at);
      path.push(anchor);
      return path;
    }
    if (path.length >= MAX_PATH) break;
    const next = pool.find((c) => !used.has(c.fingerprint256) && c.ca && issuedBy(current, c));
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

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  if (verifiedIssuers.get(cert)?.has(issuer)) return true;
  if (!(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) return false;
  let set = verifiedIssuers.get(cert);
  if (!set) verifiedIssuers.set(cert, (set = new WeakSet()));
  set.add(issuer);
  return true;
}

function checkDates(cert: X509Certificate, at: Date): void {
  const t = at.getTime();
  if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo)) {
    throw new CryptoError('expired', `certificate "${cert.subject}" is not valid at ${at.toISOString()}`);
  }
}
