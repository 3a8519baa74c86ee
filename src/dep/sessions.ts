// DEP sessions: GET /session verifies an OAuth 1.0a request and hands out an
// `auth_session_token`; later calls carry it in X-ADM-Auth-Session
// (authenticating-with-a-device-enrollment-program-dep-server). Sessions live in memory (a
// restart makes clients re-authenticate on 401, as they do with Apple); nonces are stored so
// that a replay is refused across restarts within the timestamp window.
import type { Clock, Ids } from '../clock.js';
import type { DepNonceRepository } from '../store/dep-nonces.js';
import { baseStringUri, hmacSha1Signature, parseAuthorization, queryPairs, signatureBaseString, signatureMatches } from './oauth.js';
import { depError, oauthError } from './wire.js';

/** What the DEP face needs to know about an MDM server. */
export interface DepServer {
  id: string;
  orgId: string;
  name: string;
  serverUuid: string;
  createdBy?: string;
}

/** The server-token lookup the devices capability provides (CONTRACT-devices.md). */
export interface ServerTokenDirectory {
  authenticateConsumer(consumerKey: string, accessToken: string): Promise<
    { server: DepServer; token: { id: string; consumerSecret: string; accessSecret: string; expiresAt: Date; revokedAt?: Date | null } } | undefined
  >;
}

export interface SessionRequest {
  method: string;
  scheme: string;
  host: string;
  /** The path as the client sent it (with any /dep prefix), without the query. */
  path: string;
  /** The raw request URL, for its query parameters. */
  rawUrl: string;
  authorization: string | undefined;
}

export interface DepSession {
  token: string;
  serverId: string;
  orgId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** When the server token itself expires: the session ends no later. */
  tokenExpiresAt: Date;
  /** The server token that opened the session: once it is renewed, revoked or its server deleted, the session ends. */
  tokenId: string;
}

export interface SessionOptions {
  /** How long a session token is accepted. */
  ttlMs: number;
  /** After this age a response carries a fresh token in X-ADM-Auth-Session. */
  rotateAfterMs: number;
  /** Accepted distance between oauth_timestamp and our clock (RFC 5849 §3.3). */
  timestampWindowS: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { ttlMs: 10 * 60_000, rotateAfterMs: 5 * 60_000, timestampWindowS: 300 };

export class DepSessions {
  private readonly sessions = new Map<string, DepSession>();
  private readonly options: SessionOptions;
  private lastPrune = 0;

  constructor(
    private readonly directory: ServerTokenDirectory,
    private readonly nonces: DepNonceRepository,
    private readonly clock: Clock,
    private readonly ids: Ids,
    options: Partial<SessionOptions> = {},
  ) {
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
  }

  /** Verifies the OAuth request (header, timestamp, token, signature, nonce) and opens a session. */
  async open(req: SessionRequest): Promise<DepSession> {
    const oauth = parseAuthorization(req.authorization);
    const now = this.clock.now();
    const ts = Number(oauth.oauth_timestamp);
    if (Math.abs(ts - now.getTime() / 1000) > this.options.timestampWindowS) throw oauthError('timestamp_refused');
    const found = await this.directory.authenticateConsumer(oauth.oauth_consumer_key, oauth.oauth_token);
    if (!found) throw oauthError('consumer_key_unknown');
    const base = signatureBaseString(req.method, baseStringUri(req.scheme, req.host, req.path), oauth, queryPairs(req.rawUrl));
    const expected = hmacSha1Signature(base, found.token.consumerSecret, found.token.accessSecret);
    if (!signatureMatches(oauth.oauth_signature, expected)) throw oauthError('signature_invalid');
    // Only a correctly signed request may learn the token's state.
    if (found.token.revokedAt) throw oauthError('token_revoked');
    if (found.token.expiresAt.getTime() <= now.getTime()) throw oauthError('token_expired');
    const fresh = await this.nonces.use(oauth.oauth_consumer_key, oauth.oauth_nonce, ts, new Date((ts + this.options.timestampWindowS) * 1000));
    if (!fresh) throw oauthError('nonce_used');
    this.prune(now);
    return this.issue(found.server.id, found.server.orgId, found.token.id, found.token.expiresAt, now);
  }

  private issue(serverId: string, orgId: string, tokenId: string, tokenExpiresAt: Date, now: Date): DepSession {
    const expiresAt = new Date(Math.min(now.getTime() + this.options.ttlMs, tokenExpiresAt.getTime()));
    const session: DepSession = { token: this.ids.hex(24), serverId, orgId, issuedAt: now, expiresAt, tokenExpiresAt, tokenId };
    this.sessions.set(session.token, session);
    return session;
  }

  /**
   * The session of an X-ADM-Auth-Session value: missing or expired → 401 UNAUTHORIZED (clients
   * re-authenticate), unknown → 403 FORBIDDEN (PROTOCOLS.md A2). `rotated` is set when the
   * response should carry a fresh token.
   */
  resolve(token: string | undefined): { session: DepSession; rotated?: DepSession } {
    if (!token) throw depError('UNAUTHORIZED');
    const session = this.sessions.get(token);
    if (!session) throw depError('FORBIDDEN');
    const now = this.clock.now();
    if (session.expiresAt.getTime() <= now.getTime()) throw depError('UNAUTHORIZED');
    const age = now.getTime() - session.issuedAt.getTime();
    if (age >= this.options.rotateAfterMs && session.tokenExpiresAt.getTime() > now.getTime()) {
      return { session, rotated: this.issue(session.serverId, session.orgId, session.tokenId, session.tokenExpiresAt, now) };
    }
    return { session };
  }

  end(token: string): void {
    this.sessions.delete(token);
  }

  /**
   * Ends every session of a server (or only those one of its tokens opened: it was revoked or
   * replaced). They are expired, not forgotten, so that their use answers 401 UNAUTHORIZED
   * (authenticate again) rather than 403 for an unknown token.
   */
  endAllFor(serverId: string, tokenId?: string): void {
    const now = this.clock.now();
    for (const [k, s] of this.sessions) {
      if (s.serverId === serverId && (tokenId === undefined || s.tokenId === tokenId)) this.sessions.set(k, { ...s, expiresAt: now });
    }
  }

  /** Forgets sessions long expired (kept a while so that their use answers 401, not 403) and old nonces. */
  private prune(now: Date): void {
    if (now.getTime() - this.lastPrune < 60_000) return;
    this.lastPrune = now.getTime();
    const horizon = now.getTime() - 24 * 60 * 60_000;
    for (const [k, s] of this.sessions) if (s.expiresAt.getTime() < horizon) this.sessions.delete(k);
    void this.nonces.prune(now);
  }
}
