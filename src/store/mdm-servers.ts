// MDM servers, their server tokens (secrets sealed, never plain) and the default server per
// device family. Renewing a token revokes the previous one in the same transaction.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import { DeviceWriter } from './device-writes.js';
import type { DefaultFamily } from './device-types.js';

export interface MdmServer {
  id: string;
  orgId: string;
  name: string;
  /** Uppercase UUID: the Device Assignment API's server_uuid. */
  serverUuid: string;
  createdAt: Date;
  createdBy?: string;
  isBuiltin: boolean;
}

export interface ServerTokenRecord {
  id: string;
  serverId: string;
  consumerKey: string;
  consumerSecretSealed: string;
  accessToken: string;
  accessSecretSealed: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  publicKeyPem: string;
  publicKeyFingerprint: string;
  fileName: string;
  /** The issued .p7m text: only the holder of the server's private key can read it. */
  smime: string;
}

export interface MdmServerRepository {
  create(server: MdmServer): Promise<void>;
  get(id: string): Promise<MdmServer | undefined>;
  getByName(orgId: string, name: string): Promise<MdmServer | undefined>;
  list(orgId: string): Promise<MdmServer[]>;
  rename(id: string, name: string): Promise<void>;
  /** Deletes the server: its devices are unassigned ('deleted' ops), its tokens and defaults go with it. */
  delete(id: string, at: Date): Promise<number>;
  /** Stores a new token and revokes every earlier one of the server, at once. */
  issueToken(token: ServerTokenRecord): Promise<void>;
  currentToken(serverId: string): Promise<ServerTokenRecord | undefined>;
  listTokens(serverId: string): Promise<ServerTokenRecord[]>;
  findTokenByConsumerKey(consumerKey: string): Promise<ServerTokenRecord | undefined>;
  /** Sets (server id) or clears (null) the default of each family given, in one transaction. */
  setDefaults(orgId: string, changes: Array<[DefaultFamily, string | null]>): Promise<void>;
  defaults(orgId: string): Promise<Partial<Record<DefaultFamily, string>>>;
}

type Row = Record<string, any>;
const toServer = (r: Row): MdmServer => ({
  id: r.id, orgId: r.org_id, name: r.name, serverUuid: r.server_uuid, createdAt: new Date(r.created_at),
  createdBy: r.created_by ?? undefined, isBuiltin: !!r.is_builtin,
});
const toToken = (r: Row): ServerTokenRecord => ({
  id: r.id, serverId: r.server_id, consumerKey: r.consumer_key, consumerSecretSealed: r.consumer_secret_sealed,
  accessToken: r.access_token, accessSecretSealed: r.access_secret_sealed, issuedAt: new Date(r.issued_at),
  expiresAt: new Date(r.expires_at), revokedAt: fromDbOpt(r.revoked_at), publicKeyPem: r.public_key_pem,
  publicKeyFingerprint: r.public_key_fingerprint, fileName: r.file_name, smime: r.smime,
});

export class SqliteMdmServerRepository implements MdmServerRepository {
  private readonly s;
  private readonly w: DeviceWriter;
  constructor(private readonly db: Db) {
    this.w = new DeviceWriter(db);
    this.s = {
      insert: db.prepare(`INSERT INTO mdm_servers (id, org_id, name, server_uuid, created_at, created_by, is_builtin)
        VALUES (@id, @orgId, @name, @serverUuid, @createdAt, @createdBy, @isBuiltin)`),
      get: db.prepare('SELECT * FROM mdm_servers WHERE id = ?'),
      byName: db.prepare('SELECT * FROM mdm_servers WHERE org_id = ? AND name = ?'),
      list: db.prepare('SELECT * FROM mdm_servers WHERE org_id = ? ORDER BY name'),
      rename: db.prepare('UPDATE mdm_servers SET name = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM mdm_servers WHERE id = ?'),
      devicesOn: db.prepare('SELECT serial_number FROM devices WHERE mdm_server_id = ?'),
      revokeAll: db.prepare('UPDATE server_tokens SET revoked_at = @at WHERE server_id = @serverId AND revoked_at IS NULL'),
      insertToken: db.prepare(`INSERT INTO server_tokens (id, server_id, consumer_key, consumer_secret_sealed, access_token,
        access_secret_sealed, issued_at, expires_at, public_key_pem, public_key_fingerprint, file_name, smime)
        VALUES (@id, @serverId, @consumerKey, @consumerSecretSealed, @accessToken, @accessSecretSealed, @issuedAt, @expiresAt,
        @publicKeyPem, @publicKeyFingerprint, @fileName, @smime)`),
      current: db.prepare('SELECT * FROM server_tokens WHERE server_id = ? AND revoked_at IS NULL ORDER BY issued_at DESC LIMIT 1'),
      tokens: db.prepare('SELECT * FROM server_tokens WHERE server_id = ? ORDER BY issued_at'),
      byConsumerKey: db.prepare('SELECT * FROM server_tokens WHERE consumer_key = ?'),
      setDefault: db.prepare(`INSERT INTO default_servers (org_id, family, server_id) VALUES (?, ?, ?)
        ON CONFLICT (org_id, family) DO UPDATE SET server_id = excluded.server_id`),
      clearDefault: db.prepare('DELETE FROM default_servers WHERE org_id = ? AND family = ?'),
      defaults: db.prepare('SELECT family, server_id FROM default_servers WHERE org_id = ?'),
    };
  }
  async create(m: MdmServer) {
    this.createSync(m);
  }
  /** For other repositories' transactions (the upgrade import): synchronous, no transaction of its own. */
  createSync(m: MdmServer) {
    this.s.insert.run({ ...m, createdAt: toDb(m.createdAt), createdBy: m.createdBy ?? null, isBuiltin: m.isBuiltin ? 1 : 0 });
  }
  async get(id: string) {
    const r = this.s.get.get(id) as Row | undefined;
    return r && toServer(r);
  }
  async getByName(orgId: string, name: string) {
    const r = this.s.byName.get(orgId, name) as Row | undefined;
    return r && toServer(r);
  }
  async list(orgId: string) {
    return (this.s.list.all(orgId) as Row[]).map(toServer);
  }
  async rename(id: string, name: string) {
    this.s.rename.run(name, id);
  }
  async delete(id: string, at: Date) {
    return this.db.transaction(() => {
      const serials = (this.s.devicesOn.all(id) as Row[]).map((r) => r.serial_number as string);
      for (const s of serials) this.w.unassign(s, at);
      this.s.delete.run(id);
      return serials.length;
    }).immediate();
  }
  async issueToken(t: ServerTokenRecord) {
    this.db.transaction(() => this.issueTokenSync(t)).immediate();
  }
  /** issueToken inside the caller's transaction. */
  issueTokenSync(t: ServerTokenRecord) {
    this.s.revokeAll.run({ serverId: t.serverId, at: toDb(t.issuedAt) });
    this.s.insertToken.run({ ...t, issuedAt: toDb(t.issuedAt), expiresAt: toDb(t.expiresAt) });
  }
  /** Sets the default server of a family inside the caller's transaction. */
  setDefaultSync(orgId: string, family: DefaultFamily, serverId: string) {
    this.s.setDefault.run(orgId, family, serverId);
  }
  async currentToken(serverId: string) {
    const r = this.s.current.get(serverId) as Row | undefined;
    return r && toToken(r);
  }
  async listTokens(serverId: string) {
    return (this.s.tokens.all(serverId) as Row[]).map(toToken);
  }
  async findTokenByConsumerKey(consumerKey: string) {
    const r = this.s.byConsumerKey.get(consumerKey) as Row | undefined;
    return r && toToken(r);
  }
  async setDefaults(orgId: string, changes: Array<[DefaultFamily, string | null]>) {
    this.db.transaction(() => {
      for (const [family, serverId] of changes) {
        if (serverId) this.s.setDefault.run(orgId, family, serverId);
        else this.s.clearDefault.run(orgId, family);
      }
    }).immediate();
  }
  async defaults(orgId: string) {
    const out: Partial<Record<DefaultFamily, string>> = {};
    for (const r of this.s.defaults.all(orgId) as Row[]) out[r.family as DefaultFamily] = r.server_id;
    return out;
  }
}
