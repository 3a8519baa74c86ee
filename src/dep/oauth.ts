// OAuth 1.0a (RFC 5849) verification for GET /session, as Apple's Device Assignment service
// does it: HMAC-SHA1, realm "ADM", the consumer key/secret and access token/secret of a server
// token (authenticating-with-a-device-enrollment-program-dep-server). Pure functions: the
// session service looks up secrets and nonces.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { oauthError } from './wire.js';

export interface OAuthParams {
  realm?: string;
  oauth_consumer_key: string;
  oauth_token: string;
  oauth_signature_method: string;
  oauth_signature: string;
  oauth_timestamp: string;
  oauth_nonce: string;
  oauth_version?: string;
}

const REQUIRED = ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce'] as const;
const KNOWN = new Set<string>([...REQUIRED, 'oauth_version', 'realm']);

/** RFC 5849 §3.6: percent-encode everything but the RFC 3986 unreserved characters. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw oauthError('parameter_rejected');
  }
}

/**
 * Parses `Authorization: OAuth realm="ADM", oauth_…="…", …` (RFC 5849 §3.5.1). A missing header
 * or parameter is 400 parameter_absent; a duplicated or unknown one 400 parameter_rejected; a
 * method other than HMAC-SHA1 400 signature_method_rejected (interpreting-…-error-codes).
 */
export function parseAuthorization(header: string | undefined): OAuthParams {
  if (!header || !/^OAuth\s/i.test(header.trim())) throw oauthError('parameter_absent', REQUIRED.join('&'));
  const rest = header.trim().slice(5).trim();
  const params: Record<string, string> = {};
  const re = /\s*([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest)) !== null) {
    const name = percentDecode(m[1]!);
    if (Object.prototype.hasOwnProperty.call(params, name)) throw oauthError('parameter_rejected');
    if (!KNOWN.has(name)) throw oauthError('parameter_rejected');
    params[name] = percentDecode(m[2]!);
    consumed = re.lastIndex;
    if (consumed >= rest.length) break;
  }
  if (consumed < rest.length) throw oauthError('parameter_rejected');
  const absent = REQUIRED.filter((k) => !params[k]);
  if (absent.length) throw oauthError('parameter_absent', absent.join('&'));
  if (params.oauth_signature_method !== 'HMAC-SHA1') throw oauthError('signature_method_rejected');
  if (params.oauth_version !== undefined && params.oauth_version !== '1.0') throw oauthError('version_rejected');
  if (!/^\d{1,12}$/.test(params.oauth_timestamp!)) throw oauthError('timestamp_refused');
  return params as unknown as OAuthParams;
}

/**
 * The base string URI (RFC 5849 §3.4.1.2): lowercase scheme and host, the port only when not
 * the scheme's default, and the path, without query or fragment. It is built from what the
 * client called (its Host header and the path it sent), because that is what it signed.
 */
export function baseStringUri(scheme: string, host: string, path: string): string {
  const s = scheme.toLowerCase();
  let h = host.toLowerCase();
  if ((s === 'http' && h.endsWith(':80')) || (s === 'https' && h.endsWith(':443'))) h = h.slice(0, h.lastIndexOf(':'));
  return `${s}://${h}${path || '/'}`;
}

/**
 * The signature base string (RFC 5849 §3.4.1): METHOD & uri & normalised parameters, where the
 * parameters are the Authorization ones (without realm and oauth_signature) and the query's,
 * each name and value encoded, sorted by name then value (§3.4.1.3.2).
 */
export function signatureBaseString(method: string, uri: string, oauth: OAuthParams, query: Array<[string, string]>): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(oauth)) {
    if (k === 'realm' || k === 'oauth_signature' || v === undefined) continue;
    pairs.push([percentEncode(k), percentEncode(v)]);
  }
  for (const [k, v] of query) pairs.push([percentEncode(k), percentEncode(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const normalised = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), percentEncode(uri), percentEncode(normalised)].join('&');
}

/** HMAC-SHA1 signature (RFC 5849 §3.4.2), base64; the key is consumer secret & token secret. */
export function hmacSha1Signature(base: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(base).digest('base64');
}

/** Constant-time comparison of the sent signature with the expected one. */
export function signatureMatches(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Query parameters of a raw URL as decoded pairs, duplicates kept (they are all signed). */
export function queryPairs(rawUrl: string): Array<[string, string]> {
  const i = rawUrl.indexOf('?');
  if (i < 0) return [];
  return [...new URLSearchParams(rawUrl.slice(i + 1)).entries()];
}
