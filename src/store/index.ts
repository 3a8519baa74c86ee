// The store: one repository per aggregate, behind narrow interfaces whose methods return
// Promises, so that another engine (PostgreSQL) can implement the same contract.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { ColumnSealer, sealPlaintextSecrets } from './sealed-columns.js';
import { SqliteAccountRepository, type AccountRepository } from './accounts.js';
import { SqliteAuditRepository, type AuditRepository } from './audit.js';
import { SqliteCustomAppRepository, type CustomAppRepository } from './content-custom-apps.js';
import { SqliteInstallSettingsRepository, type InstallSettingsRepository } from './content-install-settings.js';
import { SqliteLibraryRepository, type LibraryRepository } from './content-library.js';
import { SqliteLicenceRepository, type LicenceRepository } from './content-licences.js';
import { SqlitePurchasingRepository, type PurchasingRepository } from './content-purchasing.js';
import { SqliteDepNonceRepository, type DepNonceRepository } from './dep-nonces.js';
import { SqliteDepProfileRepository, type DepProfileRepository } from './dep-profiles.js';
import { SqliteDeviceRepository, type DeviceRepository } from './devices.js';
import { SqliteMdmServerRepository, type MdmServerRepository } from './mdm-servers.js';
import { SqliteOrderRepository, type OrderRepository } from './orders.js';
import { SqliteResellerRepository, type ResellerRepository } from './resellers.js';
import { SqliteLocationRepository, type LocationRepository } from './locations.js';
import { SqliteDomainRepository, type DomainRepository } from './domains.js';
import { SqliteFederationRepository, type FederationRepository } from './federations.js';
import { SqliteCommandRepository } from './commands.js';
import { SqliteEnrollmentRepository } from './enrollments.js';
import { SqliteEventRepository, type EventRepository } from './events.js';
import { SqliteMdmIdentityRepository, type MdmIdentityRepository } from './mdm-identities.js';
import { SqliteOrganisationRepository, type OrganisationRepository } from './organisations.js';
import { SqlitePushCertificateRepository, type PushCertificateRepository } from './push-certificates.js';
import { SqlitePushOutcomeRepository } from './push-outcomes.js';
import { SqliteEnrollmentDeliveryRepository, type EnrollmentDeliveryRepository } from './enrollment-deliveries.js';
import { SqliteScepChallengeRepository, type ScepChallengeRepository } from './scep-challenges.js';
import { SqliteBuiltinMdmRepository, type BuiltinMdmRepository } from './builtin-mdm.js';
import { SqliteOutboxRepository, type OutboxRepository } from './outbox.js';
import { SqliteSignupApplicationRepository, type SignupApplicationRepository } from './signup-applications.js';
import { SqlitePortalReads, type PortalReads } from './portal-reads.js';
import { SqliteInvitationRepository, type InvitationRepository } from './invitations.js';
import { SqliteUpgradeImportRepository, type UpgradeImportRepository } from './upgrade-imports.js';

export interface Store {
  organisations: OrganisationRepository;
  accounts: AccountRepository;
  locations: LocationRepository;
  /** Domains claimed for Managed Apple IDs (issue 16). */
  domains: DomainRepository;
  /** Domains linked to OpenID Connect providers, and their sign-ins (issue 16). */
  federations: FederationRepository;
  audit: AuditRepository;
  /** Content: custom apps, buying, Apps and Books libraries and licences (issue 8). */
  content: ContentStore;
  mdmIdentities: MdmIdentityRepository;
  /** MDM channels; the device-facing hot path uses its synchronous reads (connectView). */
  enrollments: SqliteEnrollmentRepository;
  commands: SqliteCommandRepository;
  events: EventRepository;
  devices: DeviceRepository;
  orders: OrderRepository;
  mdmServers: MdmServerRepository;
  resellers: ResellerRepository;
  scepChallenges: ScepChallengeRepository;
  enrollmentDeliveries: EnrollmentDeliveryRepository;
  builtinMdm: BuiltinMdmRepository;
  depProfiles: DepProfileRepository;
  depNonces: DepNonceRepository;
  /** The MDM push certificate of each organisation (issue 7). */
  pushCertificates: PushCertificateRepository;
  /** Push outcomes per channel and the re-push back-off (issue 7). */
  pushOutcomes: SqlitePushOutcomeRepository;
  /** Every email Orchard sends (issue 16): rows beside the .eml files of <data dir>/outbox/. */
  outbox: OutboxRepository;
  /** Sign-up applications under review and their steps (issue 16). */
  signupApplications: SignupApplicationRepository;
  /** The portal's aggregated reads: the dashboard, a device's history and channel (issue 15). */
  portalReads: PortalReads;
  /** One-time links to set a new account's password (issue 16). */
  invitations: InvitationRepository;
  /** Imports of old DEP/VPP accounts, each applied in one transaction (issue 16). */
  upgradeImports: UpgradeImportRepository;
  /** Liveness of the underlying database, for /healthz. */
  ping(): Promise<{ ok: boolean; schemaVersion: number }>;
  close(): void;
}

export interface ContentStore {
  customApps: CustomAppRepository;
  purchasing: PurchasingRepository;
  library: LibraryRepository;
  licences: LicenceRepository;
  installSettings: InstallSettingsRepository;
}

export interface StoreOptions {
  /**
   * Seals secrets at rest (push tokens and magics, unlock and bootstrap tokens, webhook
   * secrets, federations' client secrets): the data dir's secrets key (src/secrets-key.ts). Required for a database file; an
   * in-memory database, which dies with the process, gets a random one when none is given.
   */
  secretsKey?: Buffer;
}

export function createSqliteStore(db: Db, opts: StoreOptions = {}): Store {
  if (!opts.secretsKey && !db.memory) throw new Error('createSqliteStore needs the secrets key (loadSecretsKey(dataDir)) for a database file');
  const sealer = new ColumnSealer(opts.secretsKey ?? randomBytes(32));
  // A database from before sealing keeps working: its plaintext secrets are sealed now.
  sealPlaintextSecrets(db, sealer);
  const version = db.prepare('PRAGMA user_version');
  const outbox = new SqliteOutboxRepository(db);
  const accounts = new SqliteAccountRepository(db);
  const mdmServers = new SqliteMdmServerRepository(db);
  const orders = new SqliteOrderRepository(db);
  const purchasing = new SqlitePurchasingRepository(db);
  const library = new SqliteLibraryRepository(db);
  const invitations = new SqliteInvitationRepository(db, outbox, accounts);
  return {
    organisations: new SqliteOrganisationRepository(db),
    accounts,
    locations: new SqliteLocationRepository(db),
    domains: new SqliteDomainRepository(db),
    federations: new SqliteFederationRepository(db, accounts, sealer),
    audit: new SqliteAuditRepository(db),
    content: {
      customApps: new SqliteCustomAppRepository(db),
      purchasing,
      library,
      licences: new SqliteLicenceRepository(db),
      installSettings: new SqliteInstallSettingsRepository(db),
    },
    mdmIdentities: new SqliteMdmIdentityRepository(db),
    enrollments: new SqliteEnrollmentRepository(db, sealer),
    commands: new SqliteCommandRepository(db),
    events: new SqliteEventRepository(db, sealer),
    devices: new SqliteDeviceRepository(db),
    orders,
    mdmServers,
    resellers: new SqliteResellerRepository(db),
    scepChallenges: new SqliteScepChallengeRepository(db),
    enrollmentDeliveries: new SqliteEnrollmentDeliveryRepository(db),
    builtinMdm: new SqliteBuiltinMdmRepository(db),
    depProfiles: new SqliteDepProfileRepository(db),
    depNonces: new SqliteDepNonceRepository(db),
    pushCertificates: new SqlitePushCertificateRepository(db),
    pushOutcomes: new SqlitePushOutcomeRepository(db, sealer),
    outbox,
    signupApplications: new SqliteSignupApplicationRepository(db),
    portalReads: new SqlitePortalReads(db),
    invitations,
    upgradeImports: new SqliteUpgradeImportRepository(db, { mdmServers, orders, purchasing, library, invitations }),
    async ping() {
      const row = version.get() as { user_version: number };
      return { ok: true, schemaVersion: row.user_version };
    },
    close: () => db.close(),
  };
}
