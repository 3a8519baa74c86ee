// Numbered migrations, applied in order at start. Never edit one that has shipped: add the next.
import { sql as m0001 } from './0001_foundation.js';
import { sql as m0006 } from './0006_content.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', sql: m0001 },
  // 0006_content is registered as version 2 on the content branch; the lead renumbers at merge.
  { version: 2, name: 'content', sql: m0006 },
];
