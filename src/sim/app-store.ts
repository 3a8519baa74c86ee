// What the simulated device's App Store knows about an adam ID (iTunesStoreID): the apps and
// books of Orchard's App Store stand-in (fixtures/app-store-catalog.json) and a few of Apple's
// own apps under their real IDs. A real device looks the ID up in the App Store of its country
// and downloads that app; the simulator takes its bundle id, name and platforms from here.
import type { CatalogFixture } from '../model/app-store-catalog.js';
import { readFixture } from '../fixtures.js';

export interface StoreEntry {
  adamId: number;
  media: 'app' | 'book';
  name: string;
  /** Apps only. */
  bundleId?: string;
  /** Books only. */
  author?: string;
  /** Apple's platform names (iOS covers iPadOS); empty = any. */
  platforms: string[];
  shortVersion: string;
  version: string;
  /** The App Store's version id (InstalledApplicationList/ManagedApplicationList ExternalVersionIdentifier). */
  externalVersionId: number;
  bundleSize: number;
}

export type AppStoreLookup = (adamId: number) => StoreEntry | undefined;

const APPLE: Array<[number, string, string]> = [
  [361309726, 'com.apple.Pages', 'Pages'], [361285480, 'com.apple.Keynote', 'Keynote'], [361304891, 'com.apple.Numbers', 'Numbers'],
];

/**
 * Versions and sizes are not in the catalogue; each entry gets stable ones derived from its ID,
 * so two simulators agree on what version of an app is in the store.
 */
function release(adamId: number): Pick<StoreEntry, 'shortVersion' | 'version' | 'externalVersionId' | 'bundleSize'> {
  const major = 1 + (adamId % 7);
  const minor = Math.floor(adamId / 7) % 10;
  const patch = Math.floor(adamId / 70) % 4;
  return {
    shortVersion: `${major}.${minor}.${patch}`, version: `${major}${minor}${patch}${(adamId % 97).toString().padStart(2, '0')}`,
    externalVersionId: 860_000_000 + (adamId % 9_999_991), bundleSize: 12_000_000 + (adamId % 97) * 1_048_576,
  };
}

export function appStoreFrom(fixture: CatalogFixture): AppStoreLookup {
  const byId = new Map<number, StoreEntry>();
  for (const i of fixture.items) {
    const id = Number(i.adam_id);
    byId.set(id, {
      adamId: id, media: i.media, name: i.name, bundleId: i.bundle_id, author: i.author, platforms: i.platforms ?? [], ...release(id),
    });
  }
  for (const [id, bundleId, name] of APPLE) {
    byId.set(id, { adamId: id, media: 'app', name, bundleId, platforms: ['iOS', 'macOS'], ...release(id) });
  }
  return (adamId) => byId.get(adamId);
}

let shared: AppStoreLookup | undefined;
/** The App Store stand-in every simulator uses unless given another. */
export const defaultAppStore: AppStoreLookup = (adamId) => (shared ??= appStoreFrom(readFixture<CatalogFixture>('app-store-catalog.json')))(adamId);
