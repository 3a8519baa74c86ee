// Each organisation's settings for installing bought apps through Orchard's MDM: the default
// grace period between revoking a device licence and sending RemoveApplication.
import type { Db } from './db.js';
import { toDb } from './db.js';

export interface InstallSettingsRecord {
  revocationGraceDays: number;
}

export interface InstallSettingsRepository {
  get(orgId: string): Promise<InstallSettingsRecord | undefined>;
  put(orgId: string, settings: InstallSettingsRecord, at: Date, by: string): Promise<void>;
}

export class SqliteInstallSettingsRepository implements InstallSettingsRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT revocation_grace_days FROM content_install_settings WHERE org_id = ?'),
      put: db.prepare(`INSERT INTO content_install_settings (org_id, revocation_grace_days, updated_at, updated_by) VALUES (?, ?, ?, ?)
        ON CONFLICT (org_id) DO UPDATE SET revocation_grace_days = excluded.revocation_grace_days, updated_at = excluded.updated_at,
          updated_by = excluded.updated_by`),
    };
  }
  async get(orgId: string) {
    const r = this.s.get.get(orgId) as { revocation_grace_days: number } | undefined;
    return r && { revocationGraceDays: r.revocation_grace_days };
  }
  async put(orgId: string, settings: InstallSettingsRecord, at: Date, by: string) {
    this.s.put.run(orgId, settings.revocationGraceDays, toDb(at), by);
  }
}
