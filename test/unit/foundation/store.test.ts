import assert from 'node:assert/strict';
import { openDb, migrate } from '../../../src/store/db.js';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';

describe('store', () => {
  it('applies every numbered migration from empty and records the schema version', () => {
    const db = openDb(':memory:');
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['organisations', 'accounts', 'account_roles', 'api_tokens', 'audit_log', 'events', 'locations']) assert.ok(tables.includes(t), t);
  });
  it('is idempotent: migrating an up-to-date database changes nothing', () => {
    const db = openDb(':memory:');
    assert.equal(migrate(db), MIGRATIONS.length);
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  });
  it('refuses a database from a newer Orchard', () => {
    const db = openDb(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    assert.throws(() => migrate(db), /newer than this Orchard/);
  });
  it('enforces foreign keys', () => {
    const db = openDb(':memory:');
    assert.throws(() => db.prepare("INSERT INTO locations (id, org_id, name, created_at) VALUES ('l', 'nope', 'x', '2026-01-01')").run(), /FOREIGN KEY/);
  });
});
