// The catalogue an organisation can buy from: the App Store stand-in (fixtures/app-store-catalog.json)
// plus the custom apps published to that organisation alone, once a version passed review.
import type { CustomApp } from '../../store/content-custom-apps.js';
import type { Store } from '../../store/index.js';
import { invalid } from '../errors.js';
import { toMinor } from './money.js';
import { SUPPORTED_PLATFORMS, type SupportedPlatform } from './platforms.js';

import type { CatalogFixture, Media } from '../../model/app-store-catalog.js';

export type { CatalogFixture, Media };

export interface CatalogItem {
  adamId: string;
  name: string;
  media: Media;
  category: string;
  bundleId?: string;
  author?: string;
  platforms: SupportedPlatform[];
  /** iOS families the app runs on natively; both = universal iPhone+iPad app. */
  iosDevices: Array<'iPhone' | 'iPad'>;
  minOs: Partial<Record<SupportedPlatform, string>>;
  deviceAssignable: boolean;
  countries: string[];
  /** Price per country, in minor units of that country's currency. */
  prices: Record<string, number>;
  custom?: { developerName: string; versions: CustomApp['versions'] };
}


export interface CatalogQuery {
  media?: 'apps' | 'books';
  term?: string;
  platform?: string;
  category?: string;
}

export class CatalogService {
  readonly currencies: Record<string, string>;
  private readonly items: CatalogItem[];
  private readonly byId = new Map<string, CatalogItem>();

  constructor(private readonly store: Store, fixture: CatalogFixture) {
    this.currencies = fixture.currencies;
    this.items = fixture.items.map((i) => {
      const prices: Record<string, number> = {};
      for (const c of i.countries) {
        const currency = fixture.currencies[c];
        if (!currency || i.prices[c] === undefined) throw new Error(`catalogue item ${i.adam_id} has no price or currency for ${c}`);
        prices[c] = toMinor(i.prices[c]!, currency);
      }
      const item: CatalogItem = {
        adamId: i.adam_id, name: i.name, media: i.media, category: i.category, bundleId: i.bundle_id, author: i.author,
        platforms: (i.platforms ?? []) as SupportedPlatform[], iosDevices: (i.ios_devices ?? []) as CatalogItem['iosDevices'],
        minOs: i.min_os ?? {}, deviceAssignable: i.media === 'app' && i.device_assignable, countries: i.countries, prices,
      };
      this.byId.set(item.adamId, item);
      return item;
    });
  }

  private fromCustom(app: CustomApp): CatalogItem {
    const countries = Object.keys(this.currencies);
    return {
      adamId: app.adamId, name: app.name, media: 'app', category: app.category, bundleId: app.bundleId,
      platforms: app.platforms as SupportedPlatform[], iosDevices: app.iosDevices as CatalogItem['iosDevices'], minOs: app.minOs,
      deviceAssignable: app.deviceAssignable, countries, prices: Object.fromEntries(countries.map((c) => [c, app.priceMinor])),
      custom: { developerName: app.developerName, versions: app.versions },
    };
  }

  /** Custom apps of the organisation that can be bought: at least one version approved. */
  private async customFor(orgId: string): Promise<CatalogItem[]> {
    const apps = await this.store.content.customApps.listByOrg(orgId);
    return apps.filter((a) => a.versions.some((v) => v.reviewStatus === 'approved')).map((a) => this.fromCustom(a));
  }

  async search(orgId: string, q: CatalogQuery): Promise<CatalogItem[]> {
    if (q.media !== undefined && q.media !== 'apps' && q.media !== 'books') throw invalid('media_invalid', 'media must be apps or books');
    let platform = q.platform;
    let ipadOnly = false;
    if (platform === 'iPadOS') { platform = 'iOS'; ipadOnly = true; }
    if (platform !== undefined && !(SUPPORTED_PLATFORMS as readonly string[]).includes(platform)) {
      throw invalid('platform_invalid', `platform must be one of ${SUPPORTED_PLATFORMS.join(', ')} or iPadOS`);
    }
    const term = q.term?.trim().toLowerCase();
    const all = [...this.items, ...(await this.customFor(orgId))];
    return all.filter((i) =>
      (!q.media || (q.media === 'apps') === (i.media === 'app'))
      && (!platform || i.platforms.includes(platform as SupportedPlatform))
      && (!ipadOnly || !i.iosDevices.length || i.iosDevices.includes('iPad') || i.iosDevices.includes('iPhone'))
      && (!q.category || i.category.toLowerCase() === q.category.toLowerCase())
      && (!term || i.name.toLowerCase().includes(term) || (i.bundleId ?? '').toLowerCase().includes(term)),
    ).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** An item the organisation may see: the App Store's, or its own approved custom app. */
  async get(orgId: string, adamId: string): Promise<CatalogItem | undefined> {
    const item = this.byId.get(adamId);
    if (item) return item;
    const app = await this.store.content.customApps.get(adamId);
    if (!app || app.orgId !== orgId || !app.versions.some((v) => v.reviewStatus === 'approved')) return undefined;
    return this.fromCustom(app);
  }

  /** Any item by adam ID, whoever owns it; for licences already bought (the caller scopes by location). */
  async lookup(adamId: string): Promise<CatalogItem | undefined> {
    const item = this.byId.get(adamId);
    if (item) return item;
    const app = await this.store.content.customApps.get(adamId);
    return app && this.fromCustom(app);
  }

  isStoreItem(adamId: string): boolean {
    return this.byId.has(adamId);
  }
}
