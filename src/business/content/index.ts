// Content services (issue 8), built once from the store, clock and ids with the App Store
// catalogue fixture. `install.connect({ directory, queue })` is where the MDM side plugs in.
import type { Clock, Ids } from '../../clock.js';
import type { Store } from '../../store/index.js';
import { CatalogService, type CatalogFixture } from './catalog.js';
import { CreditService } from './credit.js';
import { CustomAppService } from './custom-apps.js';
import { VppEventWorker } from './events.js';
import { ManagedInstallService } from './install.js';
import { InvitationService } from './invitations.js';
import { LibraryService } from './library.js';
import { LicenceService } from './licences.js';
import { PurchaseService } from './purchases.js';
import { ContentTokenService } from './tokens.js';
import { VppOperations } from './vpp-operations.js';

export interface ContentServices {
  catalog: CatalogService;
  customApps: CustomAppService;
  credit: CreditService;
  purchases: PurchaseService;
  libraries: LibraryService;
  licences: LicenceService;
  tokens: ContentTokenService;
  vpp: VppOperations;
  events: VppEventWorker;
  invitations: InvitationService;
  install: ManagedInstallService;
}

export interface ContentOptions {
  /** Records per page of assets, assignments and users (Apple: "several hundred"). */
  pageSize?: number;
  onEventError?: (err: unknown, eventId: string) => void;
}

export function createContentServices(store: Store, clock: Clock, ids: Ids, catalogFixture: CatalogFixture, opts: ContentOptions = {}): ContentServices {
  const catalog = new CatalogService(store, catalogFixture);
  const libraries = new LibraryService(store, ids, catalog, opts.pageSize);
  const licences = new LicenceService(store, ids);
  const events = new VppEventWorker(store, clock, licences, opts.onEventError);
  return {
    catalog, libraries, events, licences,
    customApps: new CustomAppService(store, clock, ids),
    credit: new CreditService(store, clock, ids),
    purchases: new PurchaseService(store, clock, ids, catalog, libraries),
    tokens: new ContentTokenService(store, clock, ids, libraries),
    vpp: new VppOperations(store, clock, ids, libraries, events),
    invitations: new InvitationService(store, clock, licences),
    install: new ManagedInstallService(store, clock, catalog, libraries, licences),
  };
}
