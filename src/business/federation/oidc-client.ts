// Our one use of openid-client (v6): discovery, the authorization URL with PKCE (S256), state
// and nonce, and the code exchange whose ID token openid-client validates (signature against the
// provider's JWKS, iss, aud, exp/iat, nonce; state and PKCE too). Nothing else imports it.
import * as client from 'openid-client';

export interface OidcProviderRef {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface IdentityClaims {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  givenName?: string;
  middleName?: string;
  familyName?: string;
}

export interface OidcClient {
  authorizationUrl(p: OidcProviderRef, redirectUri: string, checks: { state: string; nonce: string; codeVerifier: string }): Promise<string>;
  /** Exchanges the code of `callbackUrl`; throws when any check fails. */
  exchange(p: OidcProviderRef, callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<IdentityClaims>;
}

export const newPkceVerifier = () => client.randomPKCECodeVerifier();
export const newState = () => client.randomState();
export const newNonce = () => client.randomNonce();

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Providers over https; plain http only on loopback (tests and development). */
export function openidClient(): OidcClient {
  const configs = new Map<string, Promise<client.Configuration>>();
  const configOf = (p: OidcProviderRef) => {
    const key = `${p.issuer}\n${p.clientId}\n${p.clientSecret}`;
    let c = configs.get(key);
    if (!c) {
      const url = new URL(p.issuer);
      const httpAllowed = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
      // enableNonRepudiationChecks: openid-client v6 otherwise trusts an ID token from the token
      // endpoint without checking its JWS signature (OIDC Core 3.1.3.7 lets a client rely on TLS
      // instead); we check it against the provider's jwks_uri, so a token signed with another
      // key, with alg "none" or with an HMAC (HS*) key is refused. The alg must also be one the
      // provider advertises (id_token_signing_alg_values_supported; RS256 when it says nothing).
      const execute = [client.enableNonRepudiationChecks, ...(httpAllowed ? [client.allowInsecureRequests] : [])];
      c = client.discovery(new URL(p.issuer), p.clientId, p.clientSecret, client.ClientSecretBasic(p.clientSecret), { execute });
      c.catch(() => configs.delete(key));
      configs.set(key, c);
    }
    return c;
  };
  return {
    async authorizationUrl(p, redirectUri, checks) {
      const config = await configOf(p);
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: 'openid email profile', response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier), code_challenge_method: 'S256',
        state: checks.state, nonce: checks.nonce,
      }).href;
    },
    async exchange(p, callbackUrl, checks) {
      const config = await configOf(p);
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      // Providers may keep profile and email claims out of the ID token when an access token is
      // issued (OIDC Core 5.4): then they come from the UserInfo endpoint, for the same subject.
      const c: Record<string, unknown> = idToken.email === undefined
        ? { ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken }
        : idToken;
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return {
        sub: idToken.sub, email: str(c.email), emailVerified: c.email_verified === true,
        givenName: str(c.given_name), middleName: str(c.middle_name), familyName: str(c.family_name),
      };
    },
  };
}
