// Fetching 100,000 devices in pages of 1,000: each page is an index range scan on
// (mdm_server_id, assign_seq), never a rescan; sync reads device_ops by (server_id, seq).
import assert from 'node:assert/strict';
import { DepDeviceService } from '../../../src/business/dep-devices.js';
import { AdjustableClock } from '../../../src/clock.js';
import { openDb, toDb } from '../../../src/store/db.js';
import { DEP_ASSIGNED_AFTER_SQL, DEP_OPS_AFTER_SQL } from '../../../src/store/device-dep-reads.js';
import { createSqliteStore } from '../../../src/store/index.js';

describe('DEP fetch at scale', () => {
  it('pages 100,000 devices by 1,000 through the (mdm_server_id, assign_seq) index', async () => {
    const db = openDb(':memory:');
    const store = createSqliteStore(db);
    const at = toDb(new Date('2026-01-01T00:00:00Z'));
    db.exec(`INSERT INTO organisations (id, name, org_id, created_at) VALUES ('o1', 'Org', '1000001', '${at}');
      INSERT INTO mdm_servers (id, org_id, name, server_uuid, created_at) VALUES ('s1', 'o1', 'S', 'U1', '${at}');`);
    const op = db.prepare(`INSERT INTO device_ops (server_id, serial_number, op_type, op_date) VALUES ('s1', ?, 'added', '${at}')`);
    const dev = db.prepare(`INSERT INTO devices (serial_number, org_id, family, model, source, added_at, updated_at, mdm_server_id, assigned_at, assign_seq)
      VALUES (?, 'o1', 'iPhone', 'iPhone 15', 'order', '${at}', '${at}', 's1', '${at}', ?)`);
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        const serial = `S${String(i).padStart(11, '0')}`;
        dev.run(serial, Number(op.run(serial).lastInsertRowid));
      }
    })();

    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('s1', 0, 1000) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    assert.match(plan('SELECT * FROM devices WHERE mdm_server_id = ? AND assign_seq > ? ORDER BY assign_seq LIMIT ?'), /USING INDEX devices_server_seq \(mdm_server_id=\? AND assign_seq>\?\)/);
    assert.match(plan('SELECT * FROM device_ops WHERE server_id = ? AND seq > ? ORDER BY seq LIMIT ?'), /USING (COVERING )?INDEX device_ops_server_seq \(server_id=\? AND seq>\?\)/);
    // The lean statements the DEP face runs walk the same indexes.
    assert.match(plan(DEP_ASSIGNED_AFTER_SQL), /USING INDEX devices_server_seq \(mdm_server_id=\? AND assign_seq>\?\)/);
    assert.match(plan(DEP_OPS_AFTER_SQL), /USING (COVERING )?INDEX device_ops_server_seq \(server_id=\? AND seq>\?\)/);

    const service = new DepDeviceService(store.devices, new AdjustableClock(), 7 * 86_400_000);
    let page = await service.fetch('s1', undefined, 1000);
    let total = page.devices.length;
    let pages = 1;
    let last = page.devices[page.devices.length - 1]!.serialNumber;
    while (page.moreToFollow) {
      page = await service.fetch('s1', page.next, 1000);
      assert.ok(page.devices[0]!.serialNumber > last);
      last = page.devices[page.devices.length - 1]!.serialNumber;
      total += page.devices.length;
      pages++;
    }
    assert.deepEqual([total, pages, page.next.exhausted], [100_000, 100, true]);
    store.close();
  });
});
