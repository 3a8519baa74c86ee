// Our one use of openid-client (v6): discovery, the authorization URL with PKCE (S256), state
// and nonce, and the code exchange whose ID token openid-client validates (signature against the
// provider's JWKS, alg, iss, aud, exp, nonce; state and PKCE too), and the name of the check that
// failed when it refuses one. Nothing else imports it.
import * as client from 'openid-client';

export interface OidcProviderRef {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface IdentityClaims {
  sub: string;
  /** The ID token's iat: openid-client checks only its type, so the service checks it is not in the future. */
  issuedAt?: Date;
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
  // One discovered configuration per provider and client; a rotated secret replaces it (so the old one is not kept).
  const configs = new Map<string, { secret: string; config: Promise<client.Configuration> }>();
  const configOf = (p: OidcProviderRef) => {
    const key = `${p.issuer}\n${p.clientId}`;
    let c = configs.get(key)?.secret === p.clientSecret ? configs.get(key)!.config : undefined;
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
      const made = c;
      made.catch(() => { if (configs.get(key)?.config === made) configs.delete(key); });
      configs.set(key, { secret: p.clientSecret, config: made });
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
        sub: idToken.sub, issuedAt: typeof idToken.iat === 'number' ? new Date(idToken.iat * 1000) : undefined, email: str(c.email), emailVerified: c.email_verified === true,
        givenName: str(c.given_name), middleName: str(c.middle_name), familyName: str(c.family_name),
      };
    },
  };
}

/**
 * What an openid-client refusal says: the OAuth error or openid-client code, the check that failed
 * (a claim such as iss, aud, exp, nonce, sub; or alg, signature, state, grant, client_authentication,
 * authorization, provider_unreachable) and the innermost message, for the audit log.
 */
export function describeOidcFailure(err: unknown): { error: string; check: string; problem: string } {
  type E = { name?: string; code?: string; error?: string; message?: string; claim?: string; parameter?: string; attribute?: string; cause?: unknown };
  let error: string | undefined;
  let check: string | undefined;
  let problem = '';
  const messages: string[] = [];
  for (let e = err as E | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as E | undefined, depth++) {
    // A 401 from the token endpoint comes as WWW-Authenticate challenges, whose parameters hold the OAuth error.
    const challenged = Array.isArray(e.cause) ? (e.cause as Array<{ parameters?: { error?: string } }>).find((c) => c?.parameters?.error)?.parameters?.error : undefined;
    error ??= challenged ?? e.error ?? e.code;
    check ??= e.claim ?? e.parameter ?? e.attribute;
    if (typeof e.message === 'string') {
      problem = e.message;
      messages.push(e.message);
    }
    if (e.name === 'TimeoutError' || e.code === 'OAUTH_TIMEOUT') check ??= 'provider_unreachable';
  }
  const said = messages.join(' | ');
  if (!check) {
    if (error === 'invalid_grant') check = 'grant'; // the code: reused, expired, or the PKCE verifier does not match
    else if (error === 'invalid_client') check = 'client_authentication'; // the client id or secret the provider has is another
    else if ((err as E)?.name === 'AuthorizationResponseError') check = 'authorization'; // the provider ended the sign-in
    else if (/signature/i.test(said)) check = 'signature';
    else if (/"alg"|JWS algorithm/.test(said)) check = 'alg';
    else check = /"(\w+)"/.exec(said)?.[1] ?? 'response';
  }
  return { error: error ?? 'error', check, problem: problem.slice(0, 300) };
}
