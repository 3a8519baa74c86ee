// The App Store stand-in's catalogue file (fixtures/app-store-catalog.json): read by the content
// domain (src/business/content/catalog.ts) and by the device simulator's App Store (src/sim/app-store.ts).
// Shared model; imports nothing.

export type Media = 'app' | 'book';

/** The JSON shape of fixtures/app-store-catalog.json. */
export interface CatalogFixture {
  currencies: Record<string, string>;
  items: Array<{
    adam_id: string; name: string; media: Media; category: string; bundle_id?: string; author?: string; platforms?: string[];
    ios_devices?: string[]; min_os?: Record<string, string>; device_assignable: boolean; countries: string[]; prices: Record<string, string>;
  }>;
}
