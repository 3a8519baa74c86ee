// The permission matrix, in one place. Roles are Apple Business Manager's; every admin route
// names the permission it needs and `can()` decides. Staff has no admin rights at all.
import { ROLES, type Role } from '../model/roles.js';

export { ROLES, type Role };

export const PERMISSIONS = [
  'org.read', // see the organisation, its settings and locations
  'org.manage', // edit organisation settings and purchase settings
  'terms.accept', // accept Apple's terms and conditions
  'accounts.read',
  'accounts.manage', // create, edit, deactivate accounts (not Administrators)
  'accounts.administer', // grant or remove the Administrator role, edit Administrators
  'responsibilities.transfer',
  'locations.manage', // create, rename, re-address and delete locations
  'domains.manage', // add, verify and remove the domains of Managed Apple IDs (Administrators)
  'upgrade.import', // import an old DEP/VPP account's export into the organisation (Administrators)
  'devices.read',
  'devices.manage', // orders, assignment, release, manual add
  'servers.manage', // MDM servers, their tokens, default servers
  'mdm.commands', // queue and cancel MDM commands, push on demand
  'push.manage', // the APNs push certificate
  'content.read',
  'content.manage', // buy, transfer, content tokens, assign apps and books
  'audit.read',
  'events.manage', // webhooks and the event log
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const MATRIX: Record<Role, readonly Permission[]> = {
  Administrator: ALL,
  PeopleManager: ['org.read', 'accounts.read', 'accounts.manage'],
  DeviceManager: ['org.read', 'devices.read', 'devices.manage', 'servers.manage', 'mdm.commands', 'content.read'],
  ContentManager: ['org.read', 'content.read', 'content.manage', 'devices.read'],
  Staff: [],
};

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => MATRIX[r].includes(permission));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
