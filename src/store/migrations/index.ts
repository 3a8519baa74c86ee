// Numbered migrations, applied in order at start. Never edit one that has shipped: add the next.
import { sql as m0001 } from './0001_foundation.js';
import { sql as m0002 } from './0002_devices.js';
import { sql as m0003 } from './0003_dep.js';
import { sql as m0004 } from './0004_mdm.js';
import { sql as m0005 } from './0005_enroll.js';
import { sql as m0006 } from './0006_content.js';
import { sql as m0007 } from './0007_push.js';
import { sql as m0008 } from './0008_push_outcomes.js';
import { sql as m0009 } from './0009_command_schedule.js';
import { sql as m0010 } from './0010_list_indexes.js';
import { sql as m0011 } from './0011_outbox.js';
import { sql as m0012 } from './0012_signup_review.js';
import { sql as m0013 } from './0013_portal_reads.js';
import { sql as m0014 } from './0014_people_accounts.js';
import { sql as m0015 } from './0015_federation_lifecycle.js';
import { sql as m0016 } from './0016_upgrade_imports.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Version N is file 000N: the numbers on disk and in PRAGMA user_version are the same. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', sql: m0001 },
  { version: 2, name: 'devices', sql: m0002 },
  { version: 3, name: 'dep', sql: m0003 },
  { version: 4, name: 'mdm', sql: m0004 },
  { version: 5, name: 'enroll', sql: m0005 },
  { version: 6, name: 'content', sql: m0006 },
  { version: 7, name: 'push', sql: m0007 },
  { version: 8, name: 'push_outcomes', sql: m0008 },
  { version: 9, name: 'command_schedule', sql: m0009 },
  { version: 10, name: 'list_indexes', sql: m0010 },
  { version: 11, name: 'outbox', sql: m0011 },
  { version: 12, name: 'signup_review', sql: m0012 },
  { version: 13, name: 'portal_reads', sql: m0013 },
  { version: 14, name: 'people_accounts', sql: m0014 },
  { version: 15, name: 'federation_lifecycle', sql: m0015 },
  { version: 16, name: 'upgrade_imports', sql: m0016 },
];
