// The roles of an account (Apple Business Manager's): stored with the account (src/store/accounts.ts)
// and granted permissions by the domain (src/business/permissions.ts). Shared model; imports nothing.
export const ROLES = ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager', 'Staff'] as const;
export type Role = (typeof ROLES)[number];
