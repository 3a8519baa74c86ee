// A loopback proxy in front of a real OpenID Connect provider (oidc-provider), playing the
// attacker between Orchard and the provider's token endpoint: it forwards everything (discovery,
// JWKS, authorize, the provider's login pages, UserInfo) untouched, except that the next token
// response's id_token can be rewritten once by `forgeNext`. The provider's issuer is the proxy's
// URL, so Orchard discovers it, and the browser signs in, through the proxy.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, SignJWT, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';

export interface ForgingProxy {
  /** The issuer URL Orchard and the browser use. */
  readonly url: string;
  /** Where the provider itself must listen: set once it is started (the proxy forwards there). */
  target: string;
  /** Rewrites the id_token of the next token-endpoint response (once). */
  forgeNext(rewrite: (idToken: string) => Promise<string> | string): void;
  /** How many forgeries were applied: a test checks that its forgery was actually served. */
  readonly forged: number;
  close(): Promise<void>;
}

export async function startForgingProxy(tokenPath = '/token'): Promise<ForgingProxy> {
  let pending: ((idToken: string) => Promise<string> | string) | undefined;
  let forged = 0;
  const proxy: ForgingProxy = {
    url: '',
    target: '',
    forgeNext(rewrite) { pending = rewrite; },
    get forged() { return forged; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
  const server = http.createServer((req, res) => {
    const upstream = http.request(new URL(req.url ?? '/', proxy.target), { method: req.method, headers: req.headers }, async (up) => {
      const rewrite = pending;
      if (!(req.method === 'POST' && new URL(req.url ?? '/', proxy.url).pathname === tokenPath && up.statusCode === 200 && rewrite)) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      pending = undefined;
      const chunks: Buffer[] = [];
      for await (const c of up) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
      try {
        if (body.id_token) {
          body.id_token = await rewrite(body.id_token);
          forged++;
        }
      } catch (err) {
        res.writeHead(502);
        res.end(`the forgery failed: ${String(err)}`);
        return;
      }
      const out = Buffer.from(JSON.stringify(body));
      const { 'transfer-encoding': _chunked, ...headers } = up.headers;
      res.writeHead(200, { ...headers, 'content-length': String(out.length) });
      res.end(out);
    });
    upstream.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** The ID token's claims changed by `change`, signed with `key` (the provider's own, or another) under `alg` and the original kid. */
export async function resign(idToken: string, change: (claims: JWTPayload) => JWTPayload | void, key: CryptoKey | KeyObject | Uint8Array, alg?: string): Promise<string> {
  const header = decodeProtectedHeader(idToken);
  const claims = decodeJwt(idToken);
  const changed = change(claims) ?? claims;
  return new SignJWT(changed).setProtectedHeader({ alg: alg ?? header.alg!, ...(header.kid ? { kid: header.kid } : {}), typ: 'JWT' }).sign(key);
}

/** The ID token's claims, unsigned: header `{"alg":"none"}` and an empty signature. */
export function unsigned(idToken: string): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(decodeJwt(idToken))}.`;
}
