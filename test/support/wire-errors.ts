// Assertions shared by the error-pipeline tests and the property-based suites: an answer shows
// no internals, carries a request id, and a refused request changes nothing in the store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Db } from '../../src/store/db.js';

/** What an answer must never show: stack frames, file paths, library or engine names. */
const INTERNALS: RegExp[] = [
  /\n\s+at\s/, /\bat [\w.<>]+ \(/, /\/[\w.-]+\/[\w.-]+\.(?:ts|js|cjs|mjs)\b/, /node_modules/, /node:internal/,
  /\bzlib\b/i, /body-parser/i, /raw-body/i, /iconv/i, /better-sqlite3/i, /SQLITE_/, /\bexpress\b/i,
  /TypeError|RangeError|URIError|SyntaxError|ReferenceError/, /boom/, /\/secret\//,
];

export function assertNoInternals(body: string, what = 'answer'): void {
  for (const re of INTERNALS) assert.doesNotMatch(body, re, `${what} shows internals (${re}): ${body.slice(0, 300)}`);
}

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** The answer's X-Request-Id (asserted present and UUID-shaped). */
export function requestIdOf(res: { headers: Record<string, unknown> }): string {
  const id = res.headers['x-request-id'];
  assert.ok(typeof id === 'string' && UUID.test(id), `X-Request-Id missing or malformed: ${String(id)}`);
  return id;
}

/**
 * A digest of every row of every table, one `table:digest` line per table: equal before and
 * after means the request changed nothing (and a difference names the table). Left out: the
 * audit log, which records every admin write attempt including refusals (by design, written
 * once the answer is sent), and the bookkeeping a read touches (an API token's last use).
 */
export function storeSnapshot(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
  const lines: string[] = [];
  for (const { name } of tables) {
    if (name === 'audit_log') continue;
    const h = createHash('sha256');
    for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) {
      const { last_used_at: _used, last_seen_at: _seen, ...kept } = row;
      h.update(JSON.stringify(kept, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v)));
    }
    lines.push(`${name}:${h.digest('hex').slice(0, 16)}`);
  }
  return lines.join('\n');
}

/** Runs for each property: a few in `npm test`, more when ORCHARD_PROPERTY_RUNS is set (`npm run soak`). */
export function propertyRuns(base = 60): number {
  const n = Number.parseInt(process.env.ORCHARD_PROPERTY_RUNS ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : base;
}

/** A log sink whose lines a test can read back. */
export function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}
