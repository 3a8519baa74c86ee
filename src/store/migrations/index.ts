// Numbered migrations, applied in order at start. Never edit one that has shipped: add the next.
import { sql as m0001 } from './0001_foundation.js';
import { sql as m0004 } from './0004_mdm.js';
import { sql as m0005 } from './0005_enroll.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', sql: m0001 },
  // 0004 is this branch's number; it runs as version 2 until 0002/0003 land and the lead renumbers.
  { version: 2, name: 'mdm', sql: m0004 },
  // 0005 is this branch's number; it runs as the next version until 0002/0003 land.
  { version: 3, name: 'enroll', sql: m0005 },
];
