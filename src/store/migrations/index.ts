// Numbered migrations, applied in order at start. Never edit one that has shipped: add the next.
import { sql as m0001 } from './0001_foundation.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', sql: m0001 },
];
