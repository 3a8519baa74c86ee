// MDM servers of an organisation: creation with the public key certificate, the server token
// (issue, download, renew with a new or the same key, revoking the old one at once), default
// servers per device family, and the lookup the Device Assignment API authenticates with.
import type { Clock, Ids } from '../clock.js';
import { openSealed, sealSecret, timingSafeEqualStr } from '../crypto/random.js';
import { DEFAULT_FAMILIES, type DefaultFamily } from '../store/device-types.js';
import type { Store } from '../store/index.js';
import type { MdmServer, ServerTokenRecord } from '../store/mdm-servers.js';
import { conflict, DomainError, invalid, notFound } from './errors.js';
import type { Principal } from './principal.js';
import { storedText } from './text.js';
import { checkServerCertificate, newTokenSecrets, sealServerToken, tokenFileName, type UsableCertificate } from './server-tokens.js';

export interface TokenDownload {
  fileName: string;
  body: string;
  expiresAt: Date;
}

export interface AuthenticatedConsumer {
  server: MdmServer;
  token: { id: string; consumerSecret: string; accessSecret: string; expiresAt: Date; revokedAt?: Date };
}

const NAME_MAX = 100;

export class ServerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly secretsKey: Buffer,
  ) {}

  private checkName(input: unknown): string {
    return storedText('name', input, { max: NAME_MAX, min: 1, code: 'name_invalid' }).trim();
  }

  /** Adds a server and issues its first token. */
  async create(actor: Principal, input: { name: unknown; publicKey: unknown }): Promise<{ server: MdmServer; token: ServerTokenRecord }> {
    const { server, token } = this.compose(actor.orgId, actor.email, input);
    if (await this.store.mdmServers.getByName(actor.orgId, server.name)) throw conflict('server_name_taken', 'an MDM server with this name exists');
    await this.store.mdmServers.create(server);
    await this.store.mdmServers.issueToken(token);
    return { server, token };
  }

  /**
   * A new server of the organisation and its first token, checked (name, certificate) and not
   * written: for a caller that writes them in its own transaction (the upgrade import). The
   * name's uniqueness is the caller's to check.
   */
  compose(orgId: string, createdBy: string | undefined, input: { name: unknown; publicKey: unknown }): { server: MdmServer; token: ServerTokenRecord } {
    const name = this.checkName(input.name);
    const now = this.clock.now();
    const cert = checkServerCertificate(input.publicKey, now);
    const server: MdmServer = {
      id: this.ids.uuid(), orgId, name, serverUuid: this.ids.uuid().toUpperCase(), createdAt: now, createdBy, isBuiltin: false,
    };
    return { server, token: this.newToken(server, cert, now) };
  }

  /** A token of `server` enveloped to `cert` (checked by the caller, once). */
  private newToken(server: MdmServer, cert: UsableCertificate, now: Date): ServerTokenRecord {
    const secrets = newTokenSecrets(this.ids, now);
    return {
      id: this.ids.uuid(), serverId: server.id, consumerKey: secrets.consumerKey,
      consumerSecretSealed: sealSecret(secrets.consumerSecret, this.secretsKey), accessToken: secrets.accessToken,
      accessSecretSealed: sealSecret(secrets.accessSecret, this.secretsKey), issuedAt: now, expiresAt: secrets.expiresAt,
      publicKeyPem: cert.pem, publicKeyFingerprint: cert.fingerprint, fileName: tokenFileName(server.name, now),
      smime: sealServerToken(secrets, cert.cert),
    };
  }

  /** For the Device Assignment API: the server itself (no organisation check; DEP has none). */
  async get(serverId: string): Promise<MdmServer> {
    const s = await this.store.mdmServers.get(serverId);
    if (!s) throw notFound('MDM server');
    return s;
  }

  /** A server of the caller's organisation; another organisation's answers as missing. */
  async getForOrg(orgId: string, serverId: string): Promise<MdmServer> {
    const s = await this.store.mdmServers.get(serverId);
    if (!s || s.orgId !== orgId) throw notFound('MDM server', 'server_not_found');
    return s;
  }

  /** By id, or else by exact name within the organisation. */
  async resolve(orgId: string, idOrName: string): Promise<MdmServer> {
    const byId = await this.store.mdmServers.get(idOrName);
    if (byId && byId.orgId === orgId) return byId;
    const byName = await this.store.mdmServers.getByName(orgId, idOrName);
    if (!byName) throw notFound('MDM server', 'server_not_found');
    return byName;
  }

  list(orgId: string) {
    return this.store.mdmServers.list(orgId);
  }

  currentToken(serverId: string) {
    return this.store.mdmServers.currentToken(serverId);
  }

  async rename(actor: Principal, serverId: string, name: unknown): Promise<MdmServer> {
    const server = await this.getForOrg(actor.orgId, serverId);
    const n = this.checkName(name);
    const other = await this.store.mdmServers.getByName(actor.orgId, n);
    if (other && other.id !== server.id) throw conflict('server_name_taken', 'an MDM server with this name exists');
    await this.store.mdmServers.rename(server.id, n);
    return { ...server, name: n };
  }

  /** Deletes the server; its devices become unassigned. Returns how many. */
  async delete(actor: Principal, serverId: string): Promise<number> {
    const server = await this.getForOrg(actor.orgId, serverId);
    return this.store.mdmServers.delete(server.id, this.clock.now());
  }

  /** Renews: a new token for the new key (or the one on file), the old one revoked at once. */
  async renewToken(actor: Principal, serverId: string, publicKey?: unknown): Promise<ServerTokenRecord> {
    const server = await this.getForOrg(actor.orgId, serverId);
    let pem: unknown = publicKey;
    if (publicKey === undefined || publicKey === null || publicKey === '') {
      const last = (await this.store.mdmServers.listTokens(server.id)).at(-1);
      if (!last) throw invalid('public_key_required', 'upload the server\'s public key certificate');
      pem = last.publicKeyPem;
    }
    // The key on file is checked again too: it may have expired since.
    const now = this.clock.now();
    const token = this.newToken(server, checkServerCertificate(pem, now), now);
    await this.store.mdmServers.issueToken(token);
    return token;
  }

  /** The current token file; an expired one must be renewed first. */
  async downloadToken(orgId: string, serverId: string): Promise<TokenDownload> {
    const server = await this.getForOrg(orgId, serverId);
    const token = await this.store.mdmServers.currentToken(server.id);
    if (!token) throw notFound('server token', 'token_not_found');
    if (token.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError('conflict', 'token_expired', `the server token expired on ${token.expiresAt.toISOString()}; renew it with a public key`);
    }
    return { fileName: token.fileName, body: token.smime, expiresAt: token.expiresAt };
  }

  /**
   * The Device Assignment API's OAuth lookup: the token whose consumer key and access token
   * both match, with its secrets unsealed. Revoked and expired tokens are returned too, so the
   * caller answers with the right error; a mismatch answers undefined.
   */
  async authenticateConsumer(consumerKey: string, accessToken: string): Promise<AuthenticatedConsumer | undefined> {
    const t = await this.store.mdmServers.findTokenByConsumerKey(consumerKey);
    if (!t || !timingSafeEqualStr(t.accessToken, accessToken)) return undefined;
    const server = await this.store.mdmServers.get(t.serverId);
    if (!server) return undefined;
    return {
      server,
      token: {
        id: t.id, consumerSecret: openSealed(t.consumerSecretSealed, this.secretsKey).toString('utf8'),
        accessSecret: openSealed(t.accessSecretSealed, this.secretsKey).toString('utf8'), expiresAt: t.expiresAt,
        ...(t.revokedAt ? { revokedAt: t.revokedAt } : {}),
      },
    };
  }

  defaults(orgId: string) {
    return this.store.mdmServers.defaults(orgId);
  }

  /** Sets (server id) or clears (null) the default server of each family given. */
  async setDefaults(actor: Principal, input: Record<string, unknown>): Promise<Partial<Record<DefaultFamily, string>>> {
    const changes: Array<[DefaultFamily, string | null]> = [];
    for (const [family, value] of Object.entries(input ?? {})) {
      if (!(DEFAULT_FAMILIES as readonly string[]).includes(family)) {
        throw invalid('family_invalid', `family must be one of ${DEFAULT_FAMILIES.join(', ')}`);
      }
      if (value !== null && typeof value !== 'string') throw invalid('server_invalid', `${family}: a server id or null`);
      if (value !== null) await this.getForOrg(actor.orgId, value);
      changes.push([family as DefaultFamily, value]);
    }
    if (!changes.length) throw invalid('defaults_required', `give at least one of ${DEFAULT_FAMILIES.join(', ')}`);
    await this.store.mdmServers.setDefaults(actor.orgId, changes);
    return this.defaults(actor.orgId);
  }
}
