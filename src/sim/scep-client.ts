// The device side of SCEP (RFC 8894 §3–4), as an iPhone runs a com.apple.security.scep payload:
// GetCACaps, GetCACert (checked against CAFingerprint when the payload carries one), then a
// PKCSReq with the device's own key and the payload's challenge, signed by a throw-away
// self-signed certificate; the CertRep must answer our transaction and nonce.
import { createHash, randomBytes, type X509Certificate } from 'node:crypto';
import { certFieldsOfDer } from '../crypto/cert-fields.js';
import { certificatesFromSignedData } from '../crypto/cms.js';
import { issueCertificate, parseCertificate, type DistinguishedName } from '../crypto/certificates.js';
import { createCsr } from '../crypto/csr.js';
import type { KeyPair } from '../crypto/keys.js';
import { buildPkcsReq, parseCertRep, type FailInfo } from '../crypto/scep-message.js';
import { spkiDerOf } from '../crypto/spki.js';
import type { Identity } from '../crypto/types.js';

export type FetchImpl = typeof fetch;

export class ScepEnrolmentError extends Error {
  constructor(message: string, readonly failInfo?: FailInfo) {
    super(message);
    this.name = 'ScepEnrolmentError';
  }
}

export interface ScepEnrolOptions {
  url: string;
  challenge?: string;
  subject: DistinguishedName;
  keys: KeyPair;
  now: Date;
  /** SHA-1 (Apple's payload) or SHA-256 digest of the CA certificate to insist on. */
  caFingerprint?: Buffer;
  fetchImpl?: FetchImpl;
}

export interface ScepCa {
  caps: string[];
  /** The certificate requests are enveloped to (an RA when the server uses one). */
  recipient: X509Certificate;
  /** Every certificate GetCACert returned. */
  certificates: X509Certificate[];
}

function withQuery(url: string, query: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.toString();
}

async function ok(res: Response, what: string): Promise<Buffer> {
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new ScepEnrolmentError(`${what}: HTTP ${res.status} ${body.toString('utf8').slice(0, 200)}`);
  return body;
}

/** GetCACaps + GetCACert (§4.1, §4.2). */
export async function fetchScepCa(url: string, fetchImpl: FetchImpl = fetch, caFingerprint?: Buffer): Promise<ScepCa> {
  const caps = (await ok(await fetchImpl(withQuery(url, { operation: 'GetCACaps' })), 'GetCACaps')).toString('utf8')
    .split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  const res = await fetchImpl(withQuery(url, { operation: 'GetCACert' }));
  const body = await ok(res, 'GetCACert');
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  // One CA: bare DER. CA + RA: a degenerate PKCS#7 (§4.2.1.2).
  const certificates = type === 'application/x-x509-ca-ra-cert' ? certificatesFromSignedData(body) : [parseCertificate(body)];
  if (caFingerprint) {
    const digest = caFingerprint.length === 20 ? 'sha1' : caFingerprint.length === 16 ? 'md5' : 'sha256';
    const match = certificates.some((c) => createHash(digest).update(c.raw).digest().equals(caFingerprint));
    if (!match) throw new ScepEnrolmentError('GetCACert: no certificate matches the payload\'s CAFingerprint');
  }
  // Envelope to the RA (a non-CA certificate) when there is one, else to the CA.
  const recipient = certificates.find((c) => !c.ca) ?? certificates[0]!;
  return { caps, recipient, certificates };
}

/** Enrols for an identity; throws ScepEnrolmentError with the server's failInfo on FAILURE. */
export async function scepEnrol(opts: ScepEnrolOptions): Promise<Identity> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const ca = await fetchScepCa(opts.url, fetchImpl, opts.caFingerprint);
  const strong = ca.caps.includes('SCEPStandard');
  const digest = strong || ca.caps.includes('SHA-256') ? 'sha256' : 'sha1';
  const cipher = strong || ca.caps.includes('AES') ? 'aes-128-cbc' : 'des-ede3-cbc';
  // §2.3: the requester signs with a self-signed certificate for its new key.
  const selfSigned = await issueCertificate({
    subject: opts.subject, publicKey: opts.keys.publicKey, signingKey: opts.keys.privateKey,
    notBefore: new Date(opts.now.getTime() - 60_000), notAfter: new Date(opts.now.getTime() + 24 * 60 * 60 * 1000),
  });
  const requester: Identity = { cert: selfSigned, key: opts.keys.privateKey };
  const csrDer = await createCsr({ subject: opts.subject, privateKey: opts.keys.privateKey, publicKey: opts.keys.publicKey, challengePassword: opts.challenge, digest });
  // §3.2.1.1: transactionID is a hash of the public key (hex here).
  const pub = spkiDerOf(opts.keys.publicKey);
  const transactionID = createHash('sha256').update(pub).digest('hex');
  const senderNonce = randomBytes(16);
  const message = buildPkcsReq({ csrDer, signer: requester, caCert: ca.recipient, transactionID, senderNonce, cipher, digest });
  const res = ca.caps.includes('POSTPKIOperation') || strong
    ? await fetchImpl(withQuery(opts.url, { operation: 'PKIOperation' }), { method: 'POST', body: new Uint8Array(message), headers: { 'content-type': 'application/x-pki-message' } })
    : await fetchImpl(withQuery(opts.url, { operation: 'PKIOperation', message: message.toString('base64') }));
  const rep = parseCertRep(await ok(res, 'PKIOperation'), { caCert: ca.certificates.find((c) => c.ca) ?? ca.recipient, requester, at: opts.now });
  if (rep.transactionID !== transactionID || !rep.recipientNonce.equals(senderNonce)) {
    throw new ScepEnrolmentError('CertRep does not answer our transaction (transactionID or recipientNonce differs)');
  }
  if (rep.status !== 'SUCCESS') throw new ScepEnrolmentError(`SCEP ${rep.status}: ${rep.failInfo ?? 'no failInfo'}`, rep.failInfo);
  // Our key, compared as SPKI bytes read from each certificate's DER (no key export per certificate).
  // A server that re-encodes the key differently is still matched, through the key itself.
  const issued = rep.certificates.find((c) => certFieldsOfDer(c.raw).spki.equals(pub))
    ?? rep.certificates.find((c) => spkiDerOf(c.publicKey).equals(pub));
  if (!issued) throw new ScepEnrolmentError('CertRep holds no certificate for our key');
  return { cert: issued, key: opts.keys.privateKey, chain: ca.certificates.filter((c) => c !== issued) };
}
