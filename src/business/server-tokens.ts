// The DEP server token an MDM server downloads (PROTOCOLS.md §A1; Apple: "Authenticating with a
// Device Enrollment Program (DEP) server"): OAuth 1.0a consumer and access credentials in JSON,
// between -----BEGIN MESSAGE----- / -----END MESSAGE----- lines, in a text/plain MIME entity,
// enveloped (CMS EnvelopedData) to the server's uploaded certificate and S/MIME-encoded as
// `smime.p7m`. `openssl smime -decrypt -in token.p7m -inkey key.pem` reads it.
import type { X509Certificate } from 'node:crypto';
import { addYears, isoSeconds, type Ids } from '../clock.js';
import { certificateFacts, parseCertificate } from '../crypto/certificates.js';
import { cmsEnvelope, smimeEncode } from '../crypto/cms.js';
import { CryptoError } from '../crypto/types.js';
import { invalid } from './errors.js';

/** Apple's tokens live one year (the portal shows the expiry; renew before it). */
export const SERVER_TOKEN_YEARS = 1;
/** RSA keys below this size are refused: the envelope's content key would be weakly wrapped. */
export const MIN_RSA_BITS = 2048;

export interface ServerTokenSecrets {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
  /** Whole seconds, as written into the token. */
  expiresAt: Date;
}

export interface UsableCertificate {
  cert: X509Certificate;
  pem: string;
  fingerprint: string;
}

/**
 * The uploaded public key certificate, if Orchard can encrypt a token to it: a parsable X.509
 * certificate with an RSA key of at least 2048 bits, valid now (CMS key transport needs RSA).
 */
export function checkServerCertificate(input: unknown, now: Date): UsableCertificate {
  if (typeof input !== 'string' || !input.includes('-----BEGIN CERTIFICATE-----')) {
    throw invalid('certificate_invalid', 'public_key must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  let cert: X509Certificate;
  try {
    cert = parseCertificate(input);
  } catch (err) {
    if (err instanceof CryptoError) throw invalid('certificate_invalid', 'public_key is not a readable X.509 certificate');
    throw err;
  }
  const facts = certificateFacts(cert);
  if (facts.keyType !== 'rsa') throw invalid('certificate_key_unsupported', `the certificate's key is ${facts.keyType}; an RSA key is required`);
  if ((facts.keyBits ?? 0) < MIN_RSA_BITS) throw invalid('certificate_key_too_small', `the RSA key has ${facts.keyBits} bits; at least ${MIN_RSA_BITS} are required`);
  if (facts.notAfter.getTime() <= now.getTime()) throw invalid('certificate_expired', `the certificate expired on ${facts.notAfter.toISOString()}`);
  if (facts.notBefore.getTime() > now.getTime()) throw invalid('certificate_not_yet_valid', `the certificate is valid only from ${facts.notBefore.toISOString()}`);
  return { cert, pem: cert.toString(), fingerprint: facts.fingerprintSha256 };
}

/** Fresh credentials in Apple's forms: CK_/CS_/AT_/AS_ followed by 64 random bytes in hex. */
export function newTokenSecrets(ids: Ids, issuedAt: Date): ServerTokenSecrets {
  const expiresAt = new Date(isoSeconds(addYears(issuedAt, SERVER_TOKEN_YEARS)));
  return {
    consumerKey: `CK_${ids.hex(64)}`, consumerSecret: `CS_${ids.hex(64)}`,
    accessToken: `AT_${ids.hex(64)}`, accessSecret: `AS_${ids.hex(64)}`, expiresAt,
  };
}

/** The decrypted content: MIME headers, blank line, the markers around one unwrapped JSON line. */
export function tokenMessage(s: ServerTokenSecrets): string {
  const json = JSON.stringify({
    consumer_key: s.consumerKey, consumer_secret: s.consumerSecret, access_token: s.accessToken,
    access_secret: s.accessSecret, access_token_expiry: isoSeconds(s.expiresAt),
  });
  return [
    'Content-Type: text/plain;charset=UTF-8', 'Content-Transfer-Encoding: 7bit', '',
    '-----BEGIN MESSAGE-----', json, '-----END MESSAGE-----', '',
  ].join('\r\n');
}

/** The `smime.p7m` text, readable only with the private key of `cert`. AES-128-CBC as Apple's sample. */
export function sealServerToken(s: ServerTokenSecrets, cert: X509Certificate): string {
  return smimeEncode(cmsEnvelope(Buffer.from(tokenMessage(s), 'utf8'), [cert], { cipher: 'aes-128-cbc' }));
}

/** `<server name>_Token_<YYYY-MM-DDTHH-MM-SSZ>_smime.p7m`, the portal's download name. */
export function tokenFileName(serverName: string, issuedAt: Date): string {
  const safe = serverName.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '_').trim() || 'MDM_Server';
  return `${safe}_Token_${isoSeconds(issuedAt).replace(/:/g, '-')}_smime.p7m`;
}
