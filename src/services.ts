// Domain services, built once from the store, the clock and the ids, and handed to every face.
import { AccountService, type NewAccount } from './business/accounts.js';
import { AuditService } from './business/audit.js';
import { DepProfileService } from './business/dep-profiles.js';
import { OrganisationService, type DunsEntry, type SignUp } from './business/organisations.js';
import type { Clock, Ids } from './clock.js';
import type { Account } from './store/accounts.js';
import type { Store } from './store/index.js';
import type { Organisation } from './store/organisations.js';

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  dunsDirectory: DunsEntry[];
}

export interface Services {
  organisations: OrganisationService;
  accounts: AccountService;
  audit: AuditService;
  /** ADE profiles and their assignment (the DEP face and the built-in MDM server). */
  depProfiles: DepProfileService;
  /** An organisation enrols with its first Administrator, who gets an API token: all or nothing. */
  signUp(org: SignUp, admin: NewAccount, extra?: Partial<Organisation>): Promise<{ org: Organisation; account: Account; token: string }>;
  accountTokens(accountId: string): ReturnType<Store['accounts']['listApiTokens']>;
}

export function createServices(d: ServiceDeps): Services {
  const organisations = new OrganisationService(d.store, d.clock, d.ids, d.dunsDirectory);
  const accounts = new AccountService(d.store, d.clock, d.ids);
  const audit = new AuditService(d.store, d.clock);
  const depProfiles = new DepProfileService(d.store.depProfiles, d.clock, d.ids);
  return {
    organisations, accounts, audit, depProfiles,
    async signUp(orgInput, adminInput, extra) {
      const org = await organisations.prepareSignUp(orgInput, extra);
      const account = await accounts.prepare('system', org.id, { ...adminInput, roles: ['Administrator'] });
      const token = accounts.makeApiToken(account.id, 'bootstrap');
      await d.store.organisations.createWithFirstAccount(org, account, token);
      return { org, account, token: token.token };
    },
    accountTokens: (accountId) => d.store.accounts.listApiTokens(accountId),
  };
}
