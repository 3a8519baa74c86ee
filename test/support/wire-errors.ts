// Assertions shared by the error-pipeline tests and the property-based suites: an answer shows
// no internals, carries a request id, and a refused request changes nothing in the store.
import assert from 'node:assert/strict';

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

export { storeSnapshot } from './store-snapshot.js';
