// Numbered migrations, applied in order at start. Never edit one that has shipped: add the next.
import { sql as m0001 } from './0001_foundation.js';
import { sql as m0002 } from './0002_devices.js';
import { sql as m0003 } from './0003_dep.js';
import { sql as m0004 } from './0004_mdm.js';
import { sql as m0005 } from './0005_enroll.js';
import { sql as m0006 } from './0006_content.js';
import { sql as m0007 } from './0007_push.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', sql: m0001 },
  { version: 2, name: 'devices', sql: m0002 },
  { version: 3, name: 'mdm', sql: m0004 },
  { version: 4, name: 'content', sql: m0006 },
  { version: 5, name: 'push', sql: m0007 },
  { version: 6, name: 'dep', sql: m0003 },
  { version: 7, name: 'enroll', sql: m0005 },
];
