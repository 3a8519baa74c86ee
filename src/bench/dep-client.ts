// A DEP (Device Assignment API) client for the bench, as an MDM vendor's would be: OAuth 1.0a
// HMAC-SHA1 for /session (signed with the `oauth-1.0a` package, not Orchard's own code), then
// X-ADM-Auth-Session on every call.
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { DepServerSecrets } from './seed.js';

export class DepClient {
  private session = '';
  constructor(private readonly base: string, private readonly secrets: DepServerSecrets) {}

  async open(): Promise<void> {
    const url = `${this.base}/session`;
    const oauth = new OAuth({
      consumer: { key: this.secrets.consumer_key, secret: this.secrets.consumer_secret },
      signature_method: 'HMAC-SHA1', realm: 'ADM',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const auth = oauth.toHeader(oauth.authorize({ url, method: 'GET' }, { key: this.secrets.access_token, secret: this.secrets.access_secret })).Authorization;
    const res = await fetch(url, { headers: { Authorization: auth, 'User-Agent': 'orchard-bench/1.0' } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`DEP session: ${res.status} ${text}`);
    this.session = JSON.parse(text).auth_session_token;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method: 'POST', body: JSON.stringify(body),
      headers: { 'X-ADM-Auth-Session': this.session, 'X-Server-Protocol-Version': '7', 'Content-Type': 'application/json;charset=UTF8', 'User-Agent': 'orchard-bench/1.0' },
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`DEP ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}

export interface DepPage {
  devices: Array<{ serial_number: string; op_type?: string }>;
  cursor: string;
  more_to_follow: boolean;
}
