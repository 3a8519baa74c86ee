import type { Role } from './permissions.js';

/** Who is calling an admin route: an account of one organisation, with its roles. */
export interface Principal {
  accountId: string;
  orgId: string;
  email: string;
  roles: Role[];
  /** How the caller proved itself. Cookie sessions need CSRF checks on writes. */
  via: 'api-token' | 'session';
}
