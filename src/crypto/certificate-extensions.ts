// The v3 extensions Orchard puts in the certificates it issues (RFC 5280 §4.2).
import { createHash, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_codeSigning,
  id_kp_emailProtection,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { spkiDerOf } from './spki.js';

export type KeyUsageName =
  | 'digitalSignature'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyCertSign'
  | 'cRLSign'
  | 'keyAgreement';

export type ExtendedKeyUsageName = 'serverAuth' | 'clientAuth' | 'emailProtection' | 'codeSigning';

export interface SubjectAltNames {
  dns?: string[];
  ip?: string[];
  uri?: string[];
  email?: string[];
}

const EKU_OIDS: Record<ExtendedKeyUsageName, string> = {
  serverAuth: id_kp_serverAuth,
  clientAuth: id_kp_clientAuth,
  emailProtection: id_kp_emailProtection,
  codeSigning: id_kp_codeSigning,
};

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** SPKI of a public key (or of a private key's public half), parsed (a fresh object each call). */
export function spkiOf(key: KeyObject): SubjectPublicKeyInfo {
  return AsnConvert.parse(spkiDerOf(key), SubjectPublicKeyInfo);
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value. */
export function keyIdentifierOf(spki: SubjectPublicKeyInfo): Buffer {
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
}

/** basicConstraints, critical as RFC 5280 §4.2.1.9 requires for CAs (we mark leaves so too). */
export function basicConstraints(ca: boolean | { pathLength?: number }): Extension {
  const value = ca === false
    ? new BasicConstraints({ cA: false })
    : new BasicConstraints({ cA: true, pathLenConstraint: ca === true ? undefined : ca.pathLength });
  return extension(id_ce_basicConstraints, true, value);
}

/** keyUsage, critical (RFC 5280 §4.2.1.3 SHOULD). */
export function keyUsage(usages: KeyUsageName[]): Extension {
  let flags = 0;
  for (const u of usages) flags |= KeyUsageFlags[u];
  return extension(id_ce_keyUsage, true, new KeyUsage(flags));
}

export function extendedKeyUsage(usages: ExtendedKeyUsageName[]): Extension {
  return extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage(usages.map((u) => EKU_OIDS[u])));
}

/** subjectAltName; critical when the subject is empty (RFC 5280 §4.2.1.6). */
export function subjectAltName(san: SubjectAltNames, subjectEmpty: boolean): Extension | undefined {
  const names: GeneralName[] = [
    ...(san.dns ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(san.ip ?? []).map((iPAddress) => new GeneralName({ iPAddress })),
    ...(san.uri ?? []).map((uniformResourceIdentifier) => new GeneralName({ uniformResourceIdentifier })),
    ...(san.email ?? []).map((rfc822Name) => new GeneralName({ rfc822Name })),
  ];
  if (names.length === 0) return undefined;
  return extension(id_ce_subjectAltName, subjectEmpty, new SubjectAlternativeName(names));
}

export function subjectKeyIdentifier(keyId: Buffer): Extension {
  return extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId));
}

export function authorityKeyIdentifier(keyId: Buffer): Extension {
  return extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyId) }));
}

/** The subjectKeyIdentifier a certificate carries, if any. */
export function findSubjectKeyIdentifier(extensions: Extension[] | undefined): Buffer | undefined {
  const ext = extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  if (!ext) return undefined;
  return Buffer.from(AsnConvert.parse(ext.extnValue.buffer, SubjectKeyIdentifier).buffer);
}
