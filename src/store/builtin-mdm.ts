// Which MDM server of an organisation is Orchard's own (mdm_servers.is_builtin, owned by the
// devices schema; this repository only reads and sets that flag).
import type { Db } from './db.js';

export interface BuiltinMdmRepository {
  find(orgId: string): Promise<string | undefined>;
  mark(serverId: string): Promise<void>;
}

export class SqliteBuiltinMdmRepository implements BuiltinMdmRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      find: db.prepare('SELECT id FROM mdm_servers WHERE org_id = ? AND is_builtin = 1 ORDER BY created_at LIMIT 1'),
      mark: db.prepare('UPDATE mdm_servers SET is_builtin = 1 WHERE id = ?'),
    };
  }
  async find(orgId: string) {
    return (this.s.find.get(orgId) as { id: string } | undefined)?.id;
  }
  async mark(serverId: string) {
    this.s.mark.run(serverId);
  }
}
