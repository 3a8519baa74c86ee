// One digest of the store, to prove a refused request changed nothing: a `table:rows:digest`
// line per table, so a difference names the table. Left out: the audit log (every admin write
// attempt is recorded there, refusals included, by design) and the bookkeeping that an
// authenticated call or a device's request touches (an API token's last use, a device's last seen).
import { createHash } from 'node:crypto';
import type { Db } from '../../src/store/db.js';

const SKIPPED_TABLES = new Set(['audit_log']);
const SKIPPED_COLUMNS = new Set(['last_used_at', 'last_seen_at']);

const json = (row: Record<string, unknown>) => JSON.stringify(Object.entries(row).filter(([k]) => !SKIPPED_COLUMNS.has(k)),
  (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v));

export function storeSnapshot(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
  const lines: string[] = [];
  for (const { name } of tables) {
    if (SKIPPED_TABLES.has(name)) continue;
    const rows = (db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).map(json).sort();
    lines.push(`${name}:${rows.length}:${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`);
  }
  return lines.join('\n');
}
