// Custom apps: a developer (authenticated by its API key) makes an app available to one
// organisation, named by its organisation ID or by one of its administrators' Managed Apple IDs.
// Each version is reviewed; App Review is stood in for by `review` (Orchard is its own App Store).
import { storedText } from '../text.js';
import { createHash } from 'node:crypto';
import type { Clock, Ids } from '../../clock.js';
import type { CustomApp, Developer, ReviewStatus } from '../../store/content-custom-apps.js';
import type { Store } from '../../store/index.js';
import { conflict, invalid, notFound } from '../errors.js';
import { SUPPORTED_PLATFORMS } from './platforms.js';

export interface PublishInput {
  name: string;
  bundleId: string;
  category?: string;
  platforms: string[];
  iosDevices?: string[];
  minOs?: Record<string, string>;
  deviceAssignable?: boolean;
  version: string;
  /** Exactly one: the organisation ID shown in its settings, or a Managed Apple ID of that organisation. */
  organisationId?: string;
  managedAppleId?: string;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const VERSION_RE = /^\d+(\.\d+){0,3}$/;

export class CustomAppService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids) {}

  /** Registers a developer; the API key is shown once and only its hash is kept. */
  async registerDeveloper(name: string): Promise<{ developer: Developer; apiKey: string }> {
    const checked = storedText('name', name ?? '', { max: 200, min: 1, code: 'name_required' }).trim();
    const developer: Developer = { id: this.ids.uuid(), name: checked, createdAt: this.clock.now() };
    const apiKey = `orchard-dev-${this.ids.hex(24)}`;
    await this.store.content.customApps.addDeveloper(developer, hashKey(apiKey));
    return { developer, apiKey };
  }

  async authenticateDeveloper(apiKey: string): Promise<Developer | undefined> {
    return this.store.content.customApps.developerByKeyHash(hashKey(apiKey));
  }

  private async targetOrg(input: PublishInput): Promise<string> {
    if (!!input.organisationId === !!input.managedAppleId) {
      throw invalid('target_required', 'name exactly one of organisation_id or managed_apple_id');
    }
    if (input.organisationId) {
      const org = await this.store.organisations.getByOrgId(String(input.organisationId));
      if (!org) throw notFound('organisation', 'organisation_not_found');
      return org.id;
    }
    const account = await this.store.accounts.getByEmail(String(input.managedAppleId));
    if (!account || !account.active) throw notFound('Managed Apple ID', 'managed_apple_id_not_found');
    return account.orgId;
  }

  async publish(developer: Developer, input: PublishInput): Promise<CustomApp> {
    const name = storedText('name', input.name ?? '', { max: 200, min: 1, code: 'name_invalid' }).trim();
    if (!/^[A-Za-z0-9.-]{3,155}$/.test(String(input.bundleId ?? ''))) throw invalid('bundle_id_invalid', 'bundle_id must be a reverse-DNS identifier');
    const platforms = Array.isArray(input.platforms) ? input.platforms.map(String) : [];
    if (!platforms.length || platforms.some((p) => !(SUPPORTED_PLATFORMS as readonly string[]).includes(p))) {
      throw invalid('platforms_invalid', `platforms must be a non-empty subset of ${SUPPORTED_PLATFORMS.join(', ')}`);
    }
    const iosDevices = input.iosDevices ?? (platforms.includes('iOS') ? ['iPhone', 'iPad'] : []);
    if (iosDevices.some((d) => d !== 'iPhone' && d !== 'iPad')) throw invalid('ios_devices_invalid', 'ios_devices may hold iPhone and iPad');
    if (!VERSION_RE.test(String(input.version ?? ''))) throw invalid('version_invalid', 'version must look like 1.0 or 2.3.1');
    const orgId = await this.targetOrg(input);
    const now = this.clock.now();
    const adamId = String(6_000_000_000 + (parseInt(this.ids.hex(4), 16) % 999_999_999));
    const app = {
      adamId, developerId: developer.id, orgId, name, bundleId: input.bundleId, category: input.category?.trim() || 'Business', platforms,
      iosDevices, minOs: input.minOs ?? {}, priceMinor: 0, deviceAssignable: input.deviceAssignable ?? true, createdAt: now,
    };
    await this.store.content.customApps.create(app, { version: input.version, reviewStatus: 'waiting_for_review', reviewNotes: '', submittedAt: now });
    return (await this.store.content.customApps.get(adamId))!;
  }

  private async own(developer: Developer, adamId: string): Promise<CustomApp> {
    const app = await this.store.content.customApps.get(adamId);
    if (!app || app.developerId !== developer.id) throw notFound('custom app');
    return app;
  }

  async addVersion(developer: Developer, adamId: string, version: string): Promise<CustomApp> {
    const app = await this.own(developer, adamId);
    if (!VERSION_RE.test(String(version ?? ''))) throw invalid('version_invalid', 'version must look like 1.0 or 2.3.1');
    if (app.versions.some((v) => v.version === version)) throw conflict('version_exists', 'this version was already submitted');
    await this.store.content.customApps.addVersion(adamId, { version, reviewStatus: 'waiting_for_review', reviewNotes: '', submittedAt: this.clock.now() });
    return (await this.store.content.customApps.get(adamId))!;
  }

  /** App Review's decision on one version (the stand-in for Apple's review). */
  async review(developer: Developer, adamId: string, version: string, decision: ReviewStatus, notes = ''): Promise<CustomApp> {
    await this.own(developer, adamId);
    if (decision !== 'approved' && decision !== 'rejected') throw invalid('decision_invalid', 'decision must be approved or rejected');
    if (!(await this.store.content.customApps.review(adamId, version, decision, String(notes), this.clock.now()))) throw notFound('version');
    return (await this.store.content.customApps.get(adamId))!;
  }

  listForDeveloper(developer: Developer) {
    return this.store.content.customApps.listByDeveloper(developer.id);
  }

  /** The organisation's Custom Apps (every review state), never another organisation's. */
  listForOrg(orgId: string) {
    return this.store.content.customApps.listByOrg(orgId);
  }
}
