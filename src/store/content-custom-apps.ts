// Custom apps: developers (by hashed API key) publish an app to exactly one organisation;
// each version carries its review status. Only approved versions make the app visible.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';

export interface Developer {
  id: string;
  name: string;
  createdAt: Date;
}

export type ReviewStatus = 'waiting_for_review' | 'approved' | 'rejected';

export interface CustomAppVersion {
  version: string;
  reviewStatus: ReviewStatus;
  reviewNotes: string;
  submittedAt: Date;
  reviewedAt?: Date;
}

export interface CustomApp {
  adamId: string;
  developerId: string;
  developerName: string;
  orgId: string;
  name: string;
  bundleId: string;
  category: string;
  platforms: string[];
  iosDevices: string[];
  minOs: Record<string, string>;
  priceMinor: number;
  deviceAssignable: boolean;
  createdAt: Date;
  versions: CustomAppVersion[];
}

export interface CustomAppRepository {
  addDeveloper(d: Developer, keyHash: string): Promise<void>;
  developerByKeyHash(keyHash: string): Promise<Developer | undefined>;
  /** The app and its first version, in one transaction. */
  create(app: Omit<CustomApp, 'versions' | 'developerName'>, first: CustomAppVersion): Promise<void>;
  addVersion(adamId: string, v: CustomAppVersion): Promise<void>;
  review(adamId: string, version: string, status: ReviewStatus, notes: string, at: Date): Promise<boolean>;
  get(adamId: string): Promise<CustomApp | undefined>;
  listByOrg(orgId: string): Promise<CustomApp[]>;
  listByDeveloper(developerId: string): Promise<CustomApp[]>;
}

type Row = Record<string, any>;

export class SqliteCustomAppRepository implements CustomAppRepository {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      addDev: db.prepare('INSERT INTO content_developers (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)'),
      devByKey: db.prepare('SELECT * FROM content_developers WHERE key_hash = ?'),
      insert: db.prepare(`INSERT INTO custom_apps (adam_id, developer_id, org_id, name, bundle_id, category, platforms, ios_devices, min_os,
        price_minor, device_assignable, created_at) VALUES (@adamId, @developerId, @orgId, @name, @bundleId, @category, @platforms, @iosDevices,
        @minOs, @priceMinor, @deviceAssignable, @createdAt)`),
      insertVersion: db.prepare(`INSERT INTO custom_app_versions (adam_id, version, review_status, review_notes, submitted_at, reviewed_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      review: db.prepare('UPDATE custom_app_versions SET review_status = ?, review_notes = ?, reviewed_at = ? WHERE adam_id = ? AND version = ?'),
      get: db.prepare('SELECT a.*, d.name AS developer_name FROM custom_apps a JOIN content_developers d ON d.id = a.developer_id WHERE a.adam_id = ?'),
      byOrg: db.prepare('SELECT a.*, d.name AS developer_name FROM custom_apps a JOIN content_developers d ON d.id = a.developer_id WHERE a.org_id = ? ORDER BY a.name'),
      byDev: db.prepare('SELECT a.*, d.name AS developer_name FROM custom_apps a JOIN content_developers d ON d.id = a.developer_id WHERE a.developer_id = ? ORDER BY a.name'),
      versions: db.prepare('SELECT * FROM custom_app_versions WHERE adam_id = ? ORDER BY submitted_at, version'),
    };
  }
  private toApp(r: Row): CustomApp {
    return {
      adamId: r.adam_id, developerId: r.developer_id, developerName: r.developer_name, orgId: r.org_id, name: r.name, bundleId: r.bundle_id,
      category: r.category, platforms: JSON.parse(r.platforms), iosDevices: JSON.parse(r.ios_devices), minOs: JSON.parse(r.min_os),
      priceMinor: r.price_minor, deviceAssignable: !!r.device_assignable, createdAt: new Date(r.created_at),
      versions: (this.s.versions.all(r.adam_id) as Row[]).map((v) => ({
        version: v.version, reviewStatus: v.review_status, reviewNotes: v.review_notes, submittedAt: new Date(v.submitted_at), reviewedAt: fromDbOpt(v.reviewed_at),
      })),
    };
  }
  async addDeveloper(d: Developer, keyHash: string) {
    this.s.addDev.run(d.id, d.name, keyHash, toDb(d.createdAt));
  }
  async developerByKeyHash(keyHash: string) {
    const r = this.s.devByKey.get(keyHash) as Row | undefined;
    return r && { id: r.id, name: r.name, createdAt: new Date(r.created_at) };
  }
  async create(app: Omit<CustomApp, 'versions' | 'developerName'>, first: CustomAppVersion) {
    this.db.transaction(() => {
      this.s.insert.run({
        ...app, platforms: JSON.stringify(app.platforms), iosDevices: JSON.stringify(app.iosDevices), minOs: JSON.stringify(app.minOs),
        deviceAssignable: app.deviceAssignable ? 1 : 0, createdAt: toDb(app.createdAt),
      });
      this.insertVersion(app.adamId, first);
    }).immediate();
  }
  private insertVersion(adamId: string, v: CustomAppVersion) {
    this.s.insertVersion.run(adamId, v.version, v.reviewStatus, v.reviewNotes, toDb(v.submittedAt), v.reviewedAt ? toDb(v.reviewedAt) : null);
  }
  async addVersion(adamId: string, v: CustomAppVersion) {
    this.insertVersion(adamId, v);
  }
  async review(adamId: string, version: string, status: ReviewStatus, notes: string, at: Date) {
    return this.s.review.run(status, notes, toDb(at), adamId, version).changes > 0;
  }
  async get(adamId: string) {
    const r = this.s.get.get(adamId) as Row | undefined;
    return r && this.toApp(r);
  }
  async listByOrg(orgId: string) {
    return (this.s.byOrg.all(orgId) as Row[]).map((r) => this.toApp(r));
  }
  async listByDeveloper(developerId: string) {
    return (this.s.byDev.all(developerId) as Row[]).map((r) => this.toApp(r));
  }
}
