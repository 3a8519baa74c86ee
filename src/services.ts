// Domain services, built once from the store, the clock and the ids, and handed to every face.
import { AccountService, type NewAccount } from './business/accounts.js';
import { AuditService } from './business/audit.js';
import type { CatalogFixture } from './business/content/catalog.js';
import { createContentServices, type ContentServices } from './business/content/index.js';
import type { ProductCatalogue } from './business/catalogue.js';
import { DeviceService } from './business/devices.js';
import { ServerService } from './business/mdm-servers.js';
import { OrderService } from './business/orders.js';
import { ResellerService } from './business/resellers.js';
import { DepProfileService } from './business/dep-profiles.js';
import { OrganisationService, type DunsEntry, type SignUp } from './business/organisations.js';
import type { Clock, Ids } from './clock.js';
import { readFixture } from './fixtures.js';
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
  /** The App Store stand-in; fixtures/app-store-catalog.json unless given. */
  appStoreCatalog?: CatalogFixture;
  /** How webhooks reach out (tests pass their own). */
  fetch?: FetchLike;
  /** Seals secrets at rest (server tokens): <data dir>/keys/secrets.key; tests pass their own. */
  secretsKey?: Buffer;
  /** What product codes in orders mean; fixtures/product-catalogue.json by default. */
  productCatalogue?: ProductCatalogue;
}

export interface Services {
  organisations: OrganisationService;
  accounts: AccountService;
  audit: AuditService;
  content: ContentServices;
  mdm: { queue: CommandQueueService; webhooks: WebhookService };
  devices: DeviceService;
  orders: OrderService;
  servers: ServerService;
  resellers: ResellerService;
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
  const content = createContentServices(d.store, d.clock, d.ids, d.appStoreCatalog ?? readFixture<CatalogFixture>('app-store-catalog.json'));
  const mdm = { queue: new CommandQueueService(d.store, d.clock, d.ids), webhooks: new WebhookService(d.store, d.clock, d.ids, d.fetch) };
  if (!d.secretsKey) throw new Error('createServices needs secretsKey (loadSecretsKey(dataDir), or 32 random bytes in tests)');
  const catalogue = d.productCatalogue ?? readFixture<ProductCatalogue>('product-catalogue.json');
  const orders = new OrderService(d.store, d.clock, d.ids, catalogue);
  const servers = new ServerService(d.store, d.clock, d.ids, d.secretsKey);
  const devices = new DeviceService(d.store, d.clock, orders, servers, catalogue);
  const resellers = new ResellerService(d.store, d.clock, d.ids, catalogue);
  const depProfiles = new DepProfileService(d.store.depProfiles, d.clock, d.ids);
  return {
    organisations, accounts, audit, content, mdm, devices, orders, servers, resellers, depProfiles,
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
