// An independent OAuth 1.0a signer for tests: the `oauth-1.0a` package, never Orchard's code.
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface ServerTokenSecrets {
  consumer_key: string;
  consumer_secret: string;
  access_token: string;
  access_secret: string;
}

/** `Authorization: OAuth realm="ADM", …` for `method url`, signed HMAC-SHA1 as DEP clients do. */
export function depAuthorization(
  token: ServerTokenSecrets,
  url: string,
  method = 'GET',
  opts: { timestamp?: number; nonce?: string } = {},
): string {
  const oauth = new OAuth({
    consumer: { key: token.consumer_key, secret: token.consumer_secret },
    signature_method: 'HMAC-SHA1',
    realm: 'ADM',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const data = oauth.authorize({ url, method }, { key: token.access_token, secret: token.access_secret });
  if (opts.timestamp !== undefined || opts.nonce !== undefined) {
    // Re-sign with the given timestamp/nonce (Orchard's clock may be moved by the tests).
    const { oauth_signature: _old, ...unsigned } = data;
    if (opts.timestamp !== undefined) unsigned.oauth_timestamp = opts.timestamp;
    if (opts.nonce !== undefined) unsigned.oauth_nonce = opts.nonce;
    return oauth.toHeader({ ...unsigned, oauth_signature: oauth.getSignature({ url, method }, token.access_secret, unsigned as OAuth.Data) }).Authorization;
  }
  return oauth.toHeader(data).Authorization;
}
