// A real OpenID Connect provider (the oidc-provider package) on loopback, for the federation
// tests (protocol and browser): one client `orchard` / `orchard-secret` whose redirect URI is
// Orchard's callback page; its login page signs in at once the user the test names
// (`signingIn`), and ends the sign-in with access_denied for one marked disabled, as a provider
// does for an account disabled there.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export interface ProviderUser { email: string; given_name: string; middle_name?: string; family_name: string; disabled?: boolean; email_verified?: boolean }

export interface TestProvider {
  /** The issuer Orchard is given: the provider's own address, or the one passed in (a proxy in front of it). */
  issuer: string;
  /** Where the provider itself listens. */
  directUrl: string;
  /** The provider's accounts, by subject. */
  users: Map<string, ProviderUser>;
  /** The subject the login page signs in. */
  signingIn: string;
  close(): Promise<void>;
}

export async function startTestProvider(o: {
  redirectUri: string;
  /** The issuer, when the provider is reached through something else (test/support/oidc-forging-proxy.ts). */
  issuer?: string;
  jwks?: Configuration['jwks'];
  idTokenSigningAlgValues?: NonNullable<Configuration['enabledJWA']>['idTokenSigningAlgValues'];
  cookieKey?: string;
}): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const directUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, ProviderUser>();
  const idp: TestProvider = {
    issuer: o.issuer ?? directUrl, directUrl, users, signingIn: '',
    close: async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); },
  };
  const provider = new Provider(idp.issuer, {
    ...(o.jwks ? { jwks: o.jwks } : {}),
    ...(o.idTokenSigningAlgValues ? { enabledJWA: { idTokenSigningAlgValues: o.idTokenSigningAlgValues } } : {}),
    clients: [{ client_id: 'orchard', client_secret: 'orchard-secret', redirect_uris: [o.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: async (_ctx, id) => {
      const u = users.get(id);
      return u && {
        accountId: id,
        claims: async () => ({ sub: id, email: u.email, email_verified: u.email_verified ?? true, given_name: u.given_name, middle_name: u.middle_name, family_name: u.family_name }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'middle_name', 'family_name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [o.cookieKey ?? 'orchard-test-provider'] },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    const u = users.get(idp.signingIn);
    if (!u || u.disabled) {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the account is disabled' }, { mergeWithLastSubmission: false });
    }
    const grant = new provider.Grant({ accountId: idp.signingIn, clientId: details.params.client_id as string });
    grant.addOIDCScope('openid email profile');
    return provider.interactionFinished(req, res, { login: { accountId: idp.signingIn }, consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: false });
  });
  return idp;
}
