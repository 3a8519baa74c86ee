// The record of enrolment profiles Orchard served: which device (or account) got one, and how.
import type { Db } from './db.js';
import { fromDb, toDb } from './db.js';

export interface ProfileDelivery {
  orgId: string;
  kind: 'dep' | 'web' | 'manual';
  serialNumber?: string;
  udid?: string;
  product?: string;
  osBuild?: string;
  accountId?: string;
  deliveredAt: Date;
}

export interface EnrollmentDeliveryRepository {
  record(d: ProfileDelivery): Promise<void>;
  listBySerial(orgId: string, serialNumber: string): Promise<ProfileDelivery[]>;
  count(): Promise<number>;
}

type Row = Record<string, any>;
const toDelivery = (r: Row): ProfileDelivery => ({
  orgId: r.org_id, kind: r.kind, serialNumber: r.serial_number ?? undefined, udid: r.udid ?? undefined,
  product: r.product ?? undefined, osBuild: r.os_build ?? undefined, accountId: r.account_id ?? undefined,
  deliveredAt: fromDb(r.delivered_at),
});

export class SqliteEnrollmentDeliveryRepository implements EnrollmentDeliveryRepository {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO enrollment_profile_deliveries (org_id, kind, serial_number, udid, product, os_build, account_id, delivered_at)
        VALUES (@orgId, @kind, @serialNumber, @udid, @product, @osBuild, @accountId, @deliveredAt)`),
      bySerial: db.prepare('SELECT * FROM enrollment_profile_deliveries WHERE org_id = ? AND serial_number = ? ORDER BY id'),
      count: db.prepare('SELECT COUNT(*) AS n FROM enrollment_profile_deliveries'),
    };
  }
  async record(d: ProfileDelivery) {
    this.s.insert.run({
      orgId: d.orgId, kind: d.kind, serialNumber: d.serialNumber ?? null, udid: d.udid ?? null, product: d.product ?? null,
      osBuild: d.osBuild ?? null, accountId: d.accountId ?? null, deliveredAt: toDb(d.deliveredAt),
    });
  }
  async listBySerial(orgId: string, serialNumber: string) {
    return (this.s.bySerial.all(orgId, serialNumber) as Row[]).map(toDelivery);
  }
  async count() {
    return (this.s.count.get() as { n: number }).n;
  }
}
