// Who is pushing: the simulator's view of a provider's TLS client certificate. APNs answers a
// bad certificate with HTTP 403 rather than failing the handshake ("Handling notification
// responses from APNs": BadCertificate, BadCertificateEnvironment, MissingProviderToken), so the
// TLS server accepts any certificate and this module judges it per connection.
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';

/** Subject UID (0.9.2342.19200300.100.1.1): the topic of an MDM push certificate. */
const UID_PREFIX = 'UID=';
/** Apple's push client extensions (the environment the certificate may push to). */
const OID_PUSH_DEVELOPMENT = '1.2.840.113635.100.6.3.1';
const OID_PUSH_PRODUCTION = '1.2.840.113635.100.6.3.2';
const MAX_CHAIN = 5;

export type PeerVerdict =
  | { ok: true; topic: string; leaf: X509Certificate }
  | { ok: false; reason: 'MissingProviderToken' | 'BadCertificate' | 'BadCertificateEnvironment' };

export interface PeerPolicy {
  pushCa: X509Certificate;
  environment: 'production' | 'sandbox';
  now: Date;
}

/**
 * Judge the certificates a client presented: `leafDer` first, then whatever intermediates it
 * sent. The chain must end at `pushCa`, each link be in its validity window, and the leaf carry a
 * subject UID. An Apple environment extension, when present, must match the simulator's.
 */
export function judgePeer(presented: Buffer[], policy: PeerPolicy): PeerVerdict {
  if (presented.length === 0) return { ok: false, reason: 'MissingProviderToken' };
  let certs: X509Certificate[];
  try {
    certs = presented.map((der) => new X509Certificate(der));
  } catch {
    return { ok: false, reason: 'BadCertificate' };
  }
  const leaf = certs[0]!;
  if (!chainsTo(leaf, certs.slice(1), policy)) return { ok: false, reason: 'BadCertificate' };
  const topic = subjectUid(leaf);
  if (topic === undefined) return { ok: false, reason: 'BadCertificate' };
  const oids = extensionOids(leaf.raw);
  const dev = oids.has(OID_PUSH_DEVELOPMENT);
  const prod = oids.has(OID_PUSH_PRODUCTION);
  if (dev || prod) {
    const fits = policy.environment === 'production' ? prod : dev;
    if (!fits) return { ok: false, reason: 'BadCertificateEnvironment' };
  }
  return { ok: true, topic, leaf };
}

function withinValidity(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

function chainsTo(leaf: X509Certificate, intermediates: X509Certificate[], policy: PeerPolicy): boolean {
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (!withinValidity(current, policy.now)) return false;
    if (issuedBy(current, policy.pushCa)) return withinValidity(policy.pushCa, policy.now);
    const next = intermediates.find((c) => c.ca && issuedBy(current, c));
    if (!next) return false;
    current = next;
  }
  return false;
}

/** Node renders the subject one attribute per line and names OID 0.9.2342.19200300.100.1.1 `UID`. */
export function subjectUid(cert: X509Certificate): string | undefined {
  const line = cert.subject.split('\n').find((l) => l.startsWith(UID_PREFIX));
  return line === undefined ? undefined : line.slice(UID_PREFIX.length);
}

/** The extnID of every extension in a DER certificate (RFC 5280 §4.1: tbsCertificate [3]). */
export function extensionOids(der: Buffer): Set<string> {
  const out = new Set<string>();
  const parsed = asn1js.fromBER(new Uint8Array(der));
  if (parsed.offset === -1) return out;
  const tbs = (parsed.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence | undefined;
  for (const field of tbs?.valueBlock.value ?? []) {
    // The extensions field is context-specific [3] (tag class 3), EXPLICIT around a SEQUENCE.
    if (field.idBlock.tagClass !== 3 || field.idBlock.tagNumber !== 3) continue;
    const wrapped = (field as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence | undefined;
    for (const ext of wrapped?.valueBlock.value ?? []) {
      const id = (ext as asn1js.Sequence).valueBlock.value[0];
      if (id instanceof asn1js.ObjectIdentifier) out.add(id.valueBlock.toString());
    }
  }
  return out;
}
