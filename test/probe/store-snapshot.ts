// A digest of everything an organisation owns in the store, to prove a refused request changed
// nothing. Left out: the audit trail (refusals are recorded there on purpose), its sequence,
// and an API token's last-used time (touched by every authenticated call).
import { createHash } from 'node:crypto';
import type { Db } from '../../src/store/db.js';

const SKIPPED_TABLES = new Set(['audit_log', 'sqlite_sequence']);
const SKIPPED_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };

export function storeSnapshot(db: Db): Record<string, string> {
  const out: Record<string, string> = {};
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  for (const { name } of tables) {
    if (SKIPPED_TABLES.has(name)) continue;
    const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>;
    const skip = SKIPPED_COLUMNS[name] ?? [];
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !skip.includes(k)), (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v))).sort();
    out[name] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}
