// Organisations: sign-up against the D-U-N-S directory, settings, Apple's terms, locations.
import type { Clock, Ids } from '../clock.js';
import type { Location } from '../store/locations.js';
import type { Billing, Organisation, OrganisationPatch } from '../store/organisations.js';
import type { Store } from '../store/index.js';
import { conflict, invalid, notFound } from './errors.js';
import type { Principal } from './principal.js';
import { optionalText, storedText } from './text.js';

export interface DunsEntry {
  duns: string;
  name: string;
  address: string;
  phone: string;
}


export interface SignUp {
  name: string;
  duns: string;
  email: string;
  phone?: string;
  orgType?: 'org' | 'edu';
}

export class OrganisationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly dunsDirectory: DunsEntry[],
  ) {}

  /** A new organisation's Apple-style organisation ID: 7 digits, unique. */
  private async newOrgId(): Promise<string> {
    for (;;) {
      const id = String(1000000 + (parseInt(this.ids.hex(4), 16) % 9000000));
      if (!(await this.store.organisations.getByOrgId(id))) return id;
    }
  }

  /** Enrols an organisation: its D-U-N-S number must be in the directory under that legal name. */
  async prepareSignUp(input: SignUp, extra: Partial<Organisation> = {}): Promise<Organisation> {
    const name = storedText('name', input.name ?? '', { max: 200 }).trim();
    const email = storedText('email', input.email ?? '', { max: 254 });
    const phone = optionalText('phone', input.phone, { max: 64 });
    const duns = String(input.duns ?? '').replace(/[^0-9]/g, '');
    if (!name) throw invalid('name_required', 'the organisation legal name is required');
    if (duns.length !== 9) throw invalid('duns_invalid', 'a D-U-N-S number has 9 digits');
    const entry = this.dunsDirectory.find((e) => e.duns === duns);
    if (!entry || entry.name.toLowerCase() !== name.toLowerCase()) {
      throw invalid('duns_not_verified', 'the D-U-N-S number does not match the legal name in the directory');
    }
    if (await this.store.organisations.getByDuns(duns)) throw conflict('organisation_exists', 'an organisation with this D-U-N-S number is already enrolled');
    const org: Organisation = {
      id: this.ids.uuid(), name: entry.name, orgId: await this.newOrgId(), duns, email,
      phone: phone ?? entry.phone, address: entry.address, orgType: input.orgType === 'edu' ? 'edu' : 'org', orgVersion: 'v2',
      consentText: '', brandColor: '#2f7d32', termsVersionRequired: (await this.store.organisations.currentTerms()).version, termsVersionAccepted: 0,
      createdAt: this.clock.now(), ...extra,
    };
    return org;
  }

  async get(orgId: string): Promise<Organisation> {
    const org = await this.store.organisations.get(orgId);
    if (!org) throw notFound('organisation');
    return org;
  }

  /** Changes the organisation's settings: every field checked first, then one UPDATE. */
  async update(actor: Principal, input: { [K in keyof OrganisationPatch]?: unknown }) {
    const patch: OrganisationPatch = {
      name: optionalText('name', input.name, { max: 200, min: 1, code: 'name_required' }),
      email: optionalText('email', input.email, { max: 254 }),
      phone: optionalText('phone', input.phone, { max: 64 }),
      address: optionalText('address', input.address, { max: 1000 }),
      consentText: optionalText('consent_text', input.consentText, { max: 4000 }),
      brandColor: optionalText('brand_color', input.brandColor, { max: 32 }),
    };
    await this.store.organisations.update(actor.orgId, patch);
    return this.get(actor.orgId);
  }

  async acceptTerms(actor: Principal) {
    const org = await this.get(actor.orgId);
    await this.store.organisations.acceptTerms(org.id, org.termsVersionRequired, actor.accountId, this.clock.now());
    return this.get(org.id);
  }

  /** Apps and Books: its own terms, accepted by an Administrator before the first purchase. */
  async acceptContentTerms(actor: Principal) {
    await this.store.organisations.acceptContentTerms(actor.orgId, actor.accountId, this.clock.now());
    return this.get(actor.orgId);
  }

  /** The billing information purchases are invoiced to: every field checked, then one UPDATE. */
  async setBilling(actor: Principal, input: { name?: unknown; email?: unknown; address?: unknown; tax_id?: unknown }) {
    const billing: Billing = {
      name: storedText('name', input.name, { max: 200, min: 1 }).trim(),
      email: storedText('email', input.email, { max: 254, min: 1 }).trim(),
      address: storedText('address', input.address, { max: 1000, min: 1 }).trim(),
    };
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(billing.email)) throw invalid('email_invalid', 'email must be an email address', { field: 'email' });
    const taxId = optionalText('tax_id', input.tax_id ?? undefined, { max: 64 });
    if (taxId) billing.taxId = taxId.trim();
    await this.store.organisations.setBilling(actor.orgId, billing);
    return this.get(actor.orgId);
  }

  /** The operator publishes a new terms version: every organisation must accept it again. */
  async publishTerms(summary: unknown) {
    const text = storedText('summary', summary, { max: 4000, min: 1, code: 'summary_invalid' }).trim();
    return this.store.organisations.publishTerms(text, this.clock.now());
  }

  currentTerms() {
    return this.store.organisations.currentTerms();
  }

  /** True when the organisation has accepted the terms currently required. */
  termsAccepted(org: Organisation): boolean {
    return org.termsVersionAccepted >= org.termsVersionRequired;
  }

  // ---- locations ----------------------------------------------------------------------------

  async createLocation(orgId: string, input: { name: string; address?: string; country?: string; currency?: string }): Promise<Location> {
    const name = storedText('name', input.name ?? '', { max: 200, min: 1, code: 'name_invalid' }).trim();
    const address = optionalText('address', input.address, { max: 1000 }) ?? '';
    // A JSON object or array is not a code (String(['US']) would pass the pattern).
    const country = (optionalText('country', input.country ?? undefined, { max: 64 }) ?? 'US').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw invalid('country_invalid', 'country must be an ISO 3166-1 alpha-2 code');
    const currency = (optionalText('currency', input.currency ?? undefined, { max: 64 }) ?? 'USD').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw invalid('currency_invalid', 'currency must be an ISO 4217 code');
    if ((await this.store.locations.listByOrg(orgId)).some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      throw conflict('location_exists', 'a location with this name exists');
    }
    const loc: Location = { id: this.ids.uuid(), orgId, name, address, country, currency, createdAt: this.clock.now() };
    // The check above reads before the write; the store's UNIQUE (org_id, name) is the last word.
    if (await this.store.locations.create(loc) === 'name-taken') throw conflict('location_exists', 'a location with this name exists');
    return loc;
  }

  listLocations(orgId: string) {
    return this.store.locations.listByOrg(orgId);
  }

  async getLocation(orgId: string, id: string) {
    const l = await this.store.locations.get(orgId, id);
    if (!l) throw notFound('location');
    return l;
  }

  /** Renames a location or changes its address; an empty body changes nothing. */
  async updateLocation(orgId: string, id: string, input: { name?: unknown; address?: unknown }): Promise<Location> {
    const current = await this.getLocation(orgId, id);
    const name = input.name === undefined ? undefined : storedText('name', input.name, { max: 200, min: 1, code: 'name_invalid' }).trim();
    const address = optionalText('address', input.address, { max: 1000 });
    if (name !== undefined && name.toLowerCase() !== current.name.toLowerCase()
      && (await this.store.locations.listByOrg(orgId)).some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      throw conflict('location_exists', 'a location with this name exists');
    }
    if (await this.store.locations.update(orgId, id, { name, address }) === 'name-taken') throw conflict('location_exists', 'a location with this name exists');
    return this.getLocation(orgId, id);
  }

  /**
   * Deletes a location; refused (409 `location_in_use`, with the counts) while accounts or
   * content (purchases, licences, assignments, content tokens, users) belong to it.
   */
  async deleteLocation(orgId: string, id: string): Promise<void> {
    await this.getLocation(orgId, id);
    const out = await this.store.locations.deleteIfUnused(id);
    if (!out.deleted) {
      const what = Object.entries(out.usage).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ');
      throw conflict('location_in_use', `the location still has ${what}: move or remove them first`, { usage: out.usage });
    }
  }
}
