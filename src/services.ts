// Domain services, built once from the store, the clock and the ids, and handed to every face.
import { AccountService, type NewAccount } from './business/accounts.js';
import { AuditService } from './business/audit.js';
import { DepProfileService } from './business/dep-profiles.js';
import type { ProductCatalogue } from './business/catalogue.js';
import { DeviceService } from './business/devices.js';
import { ServerService } from './business/mdm-servers.js';
import { OrderService } from './business/orders.js';
import { ResellerService } from './business/resellers.js';
import { readFixture } from './fixtures.js';
import { OrganisationService, type DunsEntry, type SignUp } from './business/organisations.js';
import type { Clock, Ids } from './clock.js';
import { CommandQueueService } from './mdm/queue.js';
import { WebhookService, type FetchLike } from './mdm/webhooks.js';
import type { Account } from './store/accounts.js';
import type { Store } from './store/index.js';
import type { Organisation } from './store/organisations.js';

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  dunsDirectory: DunsEntry[];
  /** Seals secrets at rest (server tokens): <data dir>/keys/secrets.key; tests pass their own. */
  secretsKey?: Buffer;
  /** What product codes in orders mean; fixtures/product-catalogue.json by default. */
  productCatalogue?: ProductCatalogue;
  /** How webhooks reach out (tests pass their own). */
  fetch?: FetchLike;
}

export interface Services {
  organisations: OrganisationService;
  accounts: AccountService;
  audit: AuditService;
  /** ADE profiles and their assignment (the DEP face and the built-in MDM server). */
  depProfiles: DepProfileService;
  devices: DeviceService;
  orders: OrderService;
  servers: ServerService;
  resellers: ResellerService;
  mdm: { queue: CommandQueueService; webhooks: WebhookService };
  /** An organisation enrols with its first Administrator, who gets an API token: all or nothing. */
  signUp(org: SignUp, admin: NewAccount, extra?: Partial<Organisation>): Promise<{ org: Organisation; account: Account; token: string }>;
  accountTokens(accountId: string): ReturnType<Store['accounts']['listApiTokens']>;
}

export function createServices(d: ServiceDeps): Services {
  const organisations = new OrganisationService(d.store, d.clock, d.ids, d.dunsDirectory);
  const accounts = new AccountService(d.store, d.clock, d.ids);
  const audit = new AuditService(d.store, d.clock);
  if (!d.secretsKey) throw new Error('createServices needs secretsKey (loadSecretsKey(dataDir), or 32 random bytes in tests)');
  const catalogue = d.productCatalogue ?? readFixture<ProductCatalogue>('product-catalogue.json');
  const orders = new OrderService(d.store, d.clock, d.ids, catalogue);
  const servers = new ServerService(d.store, d.clock, d.ids, d.secretsKey);
  const devices = new DeviceService(d.store, d.clock, orders, servers, catalogue);
  const resellers = new ResellerService(d.store, d.clock, d.ids, catalogue);
  const depProfiles = new DepProfileService(d.store.depProfiles, d.clock, d.ids);
  const mdm = { queue: new CommandQueueService(d.store, d.clock, d.ids), webhooks: new WebhookService(d.store, d.clock, d.ids, d.fetch) };
  return {
    organisations, accounts, audit, devices, orders, servers, resellers, depProfiles, mdm,
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
