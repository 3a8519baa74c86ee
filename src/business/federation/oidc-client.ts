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
      c = client.discovery(new URL(p.issuer), p.clientId, p.clientSecret, client.ClientSecretBasic(p.clientSecret), httpAllowed ? { execute: [client.allowInsecureRequests] } : undefined);
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
