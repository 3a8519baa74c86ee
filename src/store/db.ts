// One way to open the database: WAL, foreign keys on, a busy timeout, and the numbered
// migrations applied in order, each in its own transaction, tracked in PRAGMA user_version.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export function openDb(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // The file is made 0600 before SQLite opens it: SQLite gives the -wal and -shm files the
    // database file's mode whatever the umask, so all three are the owner's only.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const numbers = MIGRATIONS.map((m) => m.version);
  numbers.forEach((n, i) => {
    if (n !== i + 1) throw new Error(`migrations must be numbered 1..N without gaps; found ${numbers.join(',')}`);
  });
  if (current > MIGRATIONS.length) {
    throw new Error(`database is at schema version ${current}, newer than this Orchard (${MIGRATIONS.length})`);
  }
  for (const m of MIGRATIONS.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}

/** Dates are stored as ISO-8601 UTC text with milliseconds, which sorts chronologically. */
export const toDb = (d: Date): string => d.toISOString();
export const fromDb = (s: string): Date => new Date(s);
export const fromDbOpt = (s: string | null | undefined): Date | undefined => (s ? new Date(s) : undefined);
