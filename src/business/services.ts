// Domain services, built once from the store, the clock and the ids, and handed to every face.
import { AccountService, type NewAccount } from './accounts.js';
import { AuditService } from './audit.js';
import { OperatorCredential } from './operator.js';
import { Outbox } from './outbox.js';
import { SignupService } from './signup.js';
import type { CatalogFixture } from './content/catalog.js';
import { createContentServices, type ContentServices } from './content/index.js';
import { DepProfileService } from './dep-profiles.js';
import type { ProductCatalogue } from './catalogue.js';
import { DeviceService } from './devices.js';
import { ServerService } from './mdm-servers.js';
import { OrderService } from './orders.js';
import { ResellerService } from './resellers.js';
import { OrganisationService, type DunsEntry, type SignUp } from './organisations.js';
import type { Clock, Ids } from '../clock.js';
import { createTxtLookup, type TxtLookup } from '../dns-txt.js';
import { readFixture, readFixtureLines } from '../fixtures.js';
import { DomainService } from './domains.js';
import { InvitationService } from './invitations.js';
import { UpgradeImportService } from './upgrade-import/service.js';
import { openidClient, type OidcClient } from './federation/oidc-client.js';
import { federationForEmail, type FederationForEmail } from './federation/by-email.js';
import { FederationService } from './federation/service.js';
import { EnrolledDeviceDirectory, MdmInstallQueue } from './mdm/content-install.js';
import { ScheduledCommandWorker } from './mdm/schedule-worker.js';
import { CommandQueueService, type CommandQueue } from './mdm/queue.js';
import type { RetryPolicy } from '../apns/backoff.js';
import { PushCertificateService } from './push-certificates.js';
import { PushingCommandQueue } from './mdm/push-on-enqueue.js';
import { PushSenderPool, type PushEndpoint, type SenderFactory } from './push-senders.js';
import { RepushWorker } from './push-worker.js';
import { PushService, type RepushPolicy } from './push.js';
import { PortalReadService } from './portal-reads.js';
import { WebhookService, type FetchLike } from './mdm/webhooks.js';
import type { Account } from '../store/accounts.js';
import type { Store } from '../store/index.js';
import type { Organisation } from '../store/organisations.js';

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
  /** Where MDM pushes go; absent: pushing is off until `services.push.senders.setEndpoint`. */
  pushEndpoint?: PushEndpoint;
  /** Builds APNs senders (tests pass a fake); @parse/node-apn by default. */
  pushSenderFactory?: SenderFactory;
  /** The sender's retry of 429/5xx; src/apns/sender.ts DEFAULT_RETRY unless given. */
  pushRetry?: RetryPolicy;
  /** Re-push back-off for channels that do not connect after a push. */
  repush?: RepushPolicy;
  /** The server operator's token (src/operator-token.ts); absent: no one holds the operator's credential. */
  operatorToken?: string;
  /** TXT lookups for domain verification (src/dns-txt.ts with config.dnsServers); absent: the system's resolvers. */
  lookupTxt?: TxtLookup;
  /** The personal Apple ID registry; absent: fixtures/personal-apple-ids.txt. */
  personalAppleIds?: readonly string[];
  /** The OpenID Connect client (federation/oidc-client.ts's openid-client wrapper unless given). */
  oidcClient?: OidcClient;
  /** The public URL links in mail point to (config.baseUrl); `http://localhost:8080` unless given. */
  baseUrl?: string;
  /** Where the outbox writes its .eml files (<data dir>/outbox); absent: rows only. */
  outboxDir?: string;
  /** The From: of Orchard's mail; `Orchard <no-reply@localhost>` unless given. */
  mailFrom?: string;
}

export interface Services {
  organisations: OrganisationService;
  accounts: AccountService;
  /** Domains for Managed Apple IDs, proven by DNS TXT (issue 16). */
  domains: DomainService;
  /** One-time links for a new account to set its password (issue 16). */
  invitations: InvitationService;
  /** Imports of old DEP/VPP accounts into an organisation (issue 16). */
  upgradeImports: UpgradeImportService;
  /** Sign-in through an organisation's OpenID Connect provider (issue 16). */
  federation: FederationService;
  /** The enabled federation of an address's domain (the sign-in page's "sign in with your identity provider"). */
  federationByEmail: FederationForEmail;
  /** The server operator's credential (test controls, the simulated factory), not an organisation's. */
  operator?: OperatorCredential;
  audit: AuditService;
  content: ContentServices;
  /** ADE profiles and their assignment (the DEP face and the built-in MDM server). */
  depProfiles: DepProfileService;
  /** `scheduled` pushes devices whose scheduled commands became due. */
  mdm: { queue: CommandQueue; webhooks: WebhookService; scheduled: ScheduledCommandWorker };
  devices: DeviceService;
  orders: OrderService;
  servers: ServerService;
  resellers: ResellerService;
  /** The MDM push certificate of each organisation. */
  pushCertificates: PushCertificateService;
  /** MDM pushes and their outcomes; `repush` pushes again channels that did not connect. */
  push: PushService;
  repush: RepushWorker;
  /** Every email Orchard sends: a row and an .eml file (issue 16). */
  outbox: Outbox;
  /** Sign-up with review: applications, the operator's review, the first Administrator (issue 16). */
  signup: SignupService;
  /** The portal's dashboard and device page reads (issue 15). */
  portalReads: PortalReadService;
  /** An organisation enrols with its first Administrator, who gets an API token: all or nothing. */
  signUp(org: SignUp, admin: NewAccount, extra?: Partial<Organisation>): Promise<{ org: Organisation; account: Account; token: string }>;
  accountTokens(accountId: string): ReturnType<Store['accounts']['listApiTokens']>;
  /**
   * How sign-up gives a new organisation Orchard's own MDM server (src/enroll/builtin-mdm.ts),
   * set by the composition root once the public URL is known. Idempotent; start repairs an
   * organisation whose sign-up stopped between the two steps.
   */
  provideBuiltinMdm(ensure: (orgId: string) => Promise<unknown>): void;
}

export function createServices(d: ServiceDeps): Services {
  const organisations = new OrganisationService(d.store, d.clock, d.ids, d.dunsDirectory);
  const domains = new DomainService(d.store, d.clock, d.ids, d.lookupTxt ?? createTxtLookup(), d.personalAppleIds ?? readFixtureLines('personal-apple-ids.txt'));
  const outbox = new Outbox(d.store.outbox, d.clock, d.ids, d.outboxDir, d.mailFrom ?? 'Orchard <no-reply@localhost>');
  const invitations = new InvitationService(d.store, d.clock, d.ids, outbox, d.baseUrl ?? 'http://localhost:8080');
  const accounts = new AccountService(d.store, d.clock, d.ids, domains, (account, orgName) => invitations.invite(account, orgName, { create: true }));
  const federation = new FederationService(d.store, d.clock, d.ids, domains, d.oidcClient ?? openidClient(), `${d.baseUrl ?? 'http://localhost:8080'}/portal/federation/callback`);
  const audit = new AuditService(d.store, d.clock);
  const content = createContentServices(d.store, d.clock, d.ids, d.appStoreCatalog ?? readFixture<CatalogFixture>('app-store-catalog.json'));
  if (!d.secretsKey) throw new Error('createServices needs secretsKey (loadSecretsKey(dataDir), or 32 random bytes in tests)');
  const pushCertificates = new PushCertificateService(d.store.pushCertificates, d.clock, d.secretsKey);
  const push = new PushService(d.store, d.clock, pushCertificates, new PushSenderPool(d.pushEndpoint, d.clock, d.pushSenderFactory, d.pushRetry), d.repush);
  const repush = new RepushWorker(push);
  const pushing = new PushingCommandQueue(new CommandQueueService(d.store, d.clock, d.ids), push);
  const queue: CommandQueue = pushing;
  const mdm = { queue, webhooks: new WebhookService(d.store, d.clock, d.ids, d.fetch), scheduled: new ScheduledCommandWorker(pushing) };
  // Issue 8: assigning a bought app installs it through Orchard's own MDM (enrolled devices, the
  // command queue, which pushes every enqueue).
  content.install.connect({ directory: new EnrolledDeviceDirectory(d.store), queue: new MdmInstallQueue(d.store, mdm.queue) });
  const catalogue = d.productCatalogue ?? readFixture<ProductCatalogue>('product-catalogue.json');
  const orders = new OrderService(d.store, d.clock, d.ids, catalogue);
  const servers = new ServerService(d.store, d.clock, d.ids, d.secretsKey);
  const devices = new DeviceService(d.store, d.clock, orders, servers, catalogue);
  const resellers = new ResellerService(d.store, d.clock, d.ids, catalogue);
  const depProfiles = new DepProfileService(d.store.depProfiles, d.clock, d.ids);
  let ensureBuiltinMdm: ((orgId: string) => Promise<unknown>) | undefined;
  const signup = new SignupService(d.store, d.clock, d.ids, outbox, organisations, accounts, audit, d.dunsDirectory, d.baseUrl ?? 'http://localhost:8080', () => ensureBuiltinMdm);
  return {
    upgradeImports: new UpgradeImportService(d.store, d.clock, d.ids, { accounts, invitations, servers, catalog: content.catalog, contentTokens: content.tokens }),
    organisations, accounts, domains, invitations, federation, federationByEmail: federationForEmail(d.store), audit, content, operator: d.operatorToken ? new OperatorCredential(d.operatorToken) : undefined, mdm, devices, orders, servers, resellers, depProfiles, pushCertificates, push, repush, outbox, signup,
    portalReads: new PortalReadService(d.store.portalReads, d.clock, devices, mdm.queue),
    async signUp(orgInput, adminInput, extra) {
      const org = await organisations.prepareSignUp(orgInput, extra);
      const account = await accounts.prepare('system', org.id, { ...adminInput, roles: ['Administrator'] });
      const token = accounts.makeApiToken(account.id, 'bootstrap');
      await d.store.organisations.createWithFirstAccount(org, account, token);
      await ensureBuiltinMdm?.(org.id);
      return { org, account, token: token.token };
    },
    provideBuiltinMdm(ensure) {
      ensureBuiltinMdm = ensure;
    },
    accountTokens: (accountId) => d.store.accounts.listApiTokens(accountId),
  };
}
