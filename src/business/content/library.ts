// The read side of a location's Apps and Books library: assets with counts, assignments and
// users, page by page, and the client configuration an MDM sets. Pages are 0-based; versions
// are the library's counter, bumped by every write (Apple's "Using paginated endpoints").
import type { Ids } from '../../clock.js';
import type { Assignment, AssignmentFilter, ClientConfigPatch, Library, UserFilter, VppUser } from '../../store/content-library.js';
import type { Store } from '../../store/index.js';
import type { CatalogService } from './catalog.js';
import type { SupportedPlatform } from './platforms.js';

export interface AssetSummary {
  adamId: string;
  pricingParam: string;
  productType: 'App' | 'Book';
  name: string;
  assignedCount: number;
  availableCount: number;
  retiredCount: number;
  totalCount: number;
  deviceAssignable: boolean;
  revocable: boolean;
  supportedPlatforms: SupportedPlatform[];
}

export interface AssetFilter {
  productType?: 'App' | 'Book';
  pricingParam?: string;
  revocable?: boolean;
  deviceAssignable?: boolean;
  minAvailableCount?: number;
  maxAvailableCount?: number;
  minAssignedCount?: number;
  maxAssignedCount?: number;
  adamId?: string;
}

export interface Page<T> {
  items: T[];
  currentPageIndex: number;
  totalPages: number;
  nextPageIndex?: number;
  /** The library's version when the page was read. */
  version: number;
}

/** A page index beyond the last page (Apple: errorNumber 9650). */
export class PageIndexError extends Error {}

export class LibraryService {
  constructor(private readonly store: Store, private readonly ids: Ids, private readonly catalog: CatalogService, readonly pageSize = 500) {}

  /** The location's library, created on first need with a fresh 16-digit uId. */
  async ensure(locationId: string): Promise<Library> {
    const existing = await this.store.content.library.get(locationId);
    if (existing) return existing;
    const uid = String(2_000_000_000_000_000n + (BigInt('0x' + this.ids.hex(7)) % 999_999_999_999_999n));
    return this.store.content.library.ensure(locationId, uid);
  }

  setClientConfig(locationId: string, patch: ClientConfigPatch) {
    return this.store.content.library.setClientConfig(locationId, patch);
  }

  private page<T>(all: T[] | { total: number }, pageIndex: number): { offset: number; totalPages: number; next?: number } {
    const total = Array.isArray(all) ? all.length : all.total;
    const totalPages = Math.ceil(total / this.pageSize);
    if (!Number.isInteger(pageIndex) || pageIndex < 0 || (pageIndex > 0 && pageIndex >= totalPages)) throw new PageIndexError();
    return { offset: pageIndex * this.pageSize, totalPages, next: pageIndex + 1 < totalPages ? pageIndex + 1 : undefined };
  }

  async assetSummaries(locationId: string): Promise<AssetSummary[]> {
    const pools = await this.store.content.purchasing.pools(locationId);
    const out: AssetSummary[] = [];
    for (const p of pools) {
      const item = await this.catalog.lookup(p.adamId);
      out.push({
        adamId: p.adamId, pricingParam: p.pricingParam, productType: p.productType, name: item?.name ?? p.adamId,
        assignedCount: p.assignedCount, availableCount: p.totalCount - p.assignedCount, retiredCount: 0, totalCount: p.totalCount,
        deviceAssignable: !!item?.deviceAssignable && p.productType === 'App',
        // Books are never revocable: once given, a book stays with the user.
        revocable: p.productType === 'App', supportedPlatforms: item?.platforms ?? [],
      });
    }
    return out;
  }

  async assets(locationId: string, f: AssetFilter, pageIndex: number): Promise<Page<AssetSummary>> {
    const lib = await this.ensure(locationId);
    const all = (await this.assetSummaries(locationId)).filter((a) =>
      (f.productType === undefined || a.productType === f.productType)
      && (f.pricingParam === undefined || a.pricingParam === f.pricingParam)
      && (f.revocable === undefined || a.revocable === f.revocable)
      && (f.deviceAssignable === undefined || a.deviceAssignable === f.deviceAssignable)
      && (f.adamId === undefined || a.adamId === f.adamId)
      && (f.minAvailableCount === undefined || a.availableCount >= f.minAvailableCount)
      && (f.maxAvailableCount === undefined || a.availableCount <= f.maxAvailableCount)
      && (f.minAssignedCount === undefined || a.assignedCount >= f.minAssignedCount)
      && (f.maxAssignedCount === undefined || a.assignedCount <= f.maxAssignedCount));
    const p = this.page(all, pageIndex);
    return { items: all.slice(p.offset, p.offset + this.pageSize), currentPageIndex: pageIndex, totalPages: p.totalPages, nextPageIndex: p.next, version: lib.version };
  }

  async assignments(locationId: string, f: AssignmentFilter, pageIndex: number): Promise<Page<Assignment>> {
    const lib = await this.ensure(locationId);
    const total = await this.store.content.library.countAssignments(locationId, f);
    const p = this.page({ total }, pageIndex);
    const items = await this.store.content.library.listAssignments(locationId, f, p.offset, this.pageSize);
    return { items, currentPageIndex: pageIndex, totalPages: p.totalPages, nextPageIndex: p.next, version: lib.version };
  }

  async users(locationId: string, f: UserFilter, pageIndex: number): Promise<Page<VppUser>> {
    const lib = await this.ensure(locationId);
    const total = await this.store.content.library.countUsers(locationId, f);
    const p = this.page({ total }, pageIndex);
    const items = await this.store.content.library.listUsers(locationId, f, p.offset, this.pageSize);
    return { items, currentPageIndex: pageIndex, totalPages: p.totalPages, nextPageIndex: p.next, version: lib.version };
  }
}
