// Every operation of the admin API under /api/v1, by area (operations/*.ts); the document
// (document.ts), the validator (validate.ts) and the drift test read this one list.
import type { Operation } from './operation.js';
import { ACCOUNTS_OPERATIONS } from './operations/accounts.js';
import { CONTENT_OPERATIONS } from './operations/content.js';
import { DEVICES_OPERATIONS } from './operations/devices.js';
import { DOMAINS_OPERATIONS } from './operations/domains.js';
import { MDM_OPERATIONS } from './operations/mdm.js';
import { SIGNUP_OPERATIONS } from './operations/signup.js';
import { PORTAL_OPERATIONS } from './operations/portal.js';
import { UPGRADE_IMPORT_OPERATIONS } from './operations/upgrade-imports.js';

export type { Access, Operation, Param } from './operation.js';

export const OPERATIONS: readonly Operation[] = [...ACCOUNTS_OPERATIONS, ...DOMAINS_OPERATIONS, ...DEVICES_OPERATIONS, ...CONTENT_OPERATIONS, ...MDM_OPERATIONS, ...SIGNUP_OPERATIONS, ...PORTAL_OPERATIONS, ...UPGRADE_IMPORT_OPERATIONS];
