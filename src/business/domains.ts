// Domains of an organisation (issue 16): added with a token to publish in a DNS TXT record,
// verified by looking the record up, and then the only place its Managed Apple IDs may live.
// A name is verified by one organisation at most; Managed Apple IDs are unique across Orchard
// (accounts.email is UNIQUE) and may not take an address of the personal Apple ID registry.
import { randomBytes } from 'node:crypto';
import type { Clock, Ids } from '../clock.js';
import type { TxtLookup } from '../dns-txt.js';
import type { Domain } from '../store/domains.js';
import type { Store } from '../store/index.js';
import { DomainError, conflict, invalid, notFound } from './errors.js';
import type { Principal } from './principal.js';

export type { TxtLookup };

/** The TXT value that proves a domain: published at the domain's own name (its apex). */
export const TXT_PREFIX = 'orchard-domain-verification=';

// RFC 1035 / 1123 host names: labels of letters, digits and inner hyphens, at most 63 each,
// 253 in all, and a top-level label that is not all digits.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
export function normaliseDomainName(value: unknown): string {
  if (typeof value !== 'string') throw invalid('domain_invalid', 'name must be a domain name (a string)', { field: 'name' });
  const name = value.trim().toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1)!)) {
    throw invalid('domain_invalid', 'name must be a domain name such as example.com (letters, digits and hyphens, at least two labels)', { field: 'name' });
  }
  return name;
}

/** The domain part of an address, lower case. */
export const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export class DomainService {
  private readonly personal: Set<string>;
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly lookupTxt: TxtLookup,
    personalAppleIds: readonly string[],
  ) {
    this.personal = new Set(personalAppleIds.map((a) => a.toLowerCase()));
  }

  async add(actor: Principal, value: unknown): Promise<Domain> {
    const name = normaliseDomainName(value);
    await this.refuseIfClaimedElsewhere(actor.orgId, name);
    const domain: Domain = { id: this.ids.uuid(), orgId: actor.orgId, name, txtToken: randomBytes(24).toString('base64url'), createdAt: this.clock.now() };
    if (await this.store.domains.create(domain) === 'exists') throw conflict('domain_exists', `${name} is already a domain of the organisation`, { name });
    return domain;
  }

  /** Seeds a verified domain without DNS (the demo organisation's fixtures; the operator's CLI). */
  async seedVerified(orgId: string, value: unknown): Promise<Domain> {
    const name = normaliseDomainName(value);
    await this.refuseIfClaimedElsewhere(orgId, name);
    const now = this.clock.now();
    const domain: Domain = { id: this.ids.uuid(), orgId, name, txtToken: randomBytes(24).toString('base64url'), verifiedAt: now, createdAt: now };
    if (await this.store.domains.create(domain) === 'exists') throw conflict('domain_exists', `${name} is already a domain of the organisation`, { name });
    return domain;
  }

  list(actor: Principal): Promise<Domain[]> {
    return this.store.domains.listByOrg(actor.orgId);
  }

  async get(actor: Principal, id: string): Promise<Domain> {
    const d = await this.store.domains.get(actor.orgId, id);
    if (!d) throw notFound('domain');
    return d;
  }

  /**
   * Looks up the domain's TXT records and marks it verified when one of them is the expected
   * value. A missing record is a 422 that says what to publish and what was found; nothing changes.
   */
  async verify(actor: Principal, id: string): Promise<Domain> {
    const d = await this.get(actor, id);
    if (d.verifiedAt) return d;
    const expected = TXT_PREFIX + d.txtToken;
    let records: string[][];
    try {
      records = await this.lookupTxt(d.name);
    } catch (err) {
      throw new DomainError('unavailable', 'dns_unavailable', `the TXT records of ${d.name} could not be read: ${(err as Error).message}; try again later`);
    }
    const found = records.map((chunks) => chunks.join(''));
    if (!found.includes(expected)) {
      throw new DomainError('invalid', 'domain_txt_missing', `no TXT record of ${d.name} holds ${expected}: publish it, then verify again`, {
        record_name: d.name, expected_value: expected, found: found.filter((v) => v.startsWith(TXT_PREFIX)),
      });
    }
    await this.refuseIfClaimedElsewhere(actor.orgId, d.name);
    if (await this.store.domains.markVerified(d.id, this.clock.now()) === 'claimed') throw this.claimed(d.name);
    return this.get(actor, id);
  }

  /** Removes a domain; refused while Managed Apple IDs of the organisation are in it. */
  async remove(actor: Principal, id: string): Promise<void> {
    const d = await this.get(actor, id);
    const accounts = await this.store.domains.countAccountsIn(actor.orgId, d.name);
    if (accounts > 0) throw conflict('domain_in_use', `${accounts} account(s) have a Managed Apple ID in ${d.name}: change or delete them first`, { accounts });
    await this.store.domains.delete(d.id);
  }

  /**
   * The rules of a new Managed Apple ID: in a verified domain of the organisation (unless
   * `anyDomain`, for the sign-up's first Administrator and the operator's CLI), and not an
   * address of the personal Apple ID registry. Uniqueness across Orchard is the store's.
   */
  async checkManagedAppleId(orgId: string, email: string, anyDomain = false): Promise<void> {
    if (this.personal.has(email.toLowerCase())) {
      throw conflict('personal_apple_id_conflict', `${email} is a personal Apple ID: choose another Managed Apple ID`, { field: 'email' });
    }
    if (anyDomain) return;
    const name = domainOf(email);
    const verified = (await this.store.domains.listByOrg(orgId)).some((d) => d.name === name && d.verifiedAt);
    if (!verified) {
      throw invalid('managed_apple_id_domain_unverified', `${name} is not a verified domain of the organisation: add it (POST /api/v1/domains) and verify it first`, { field: 'email', domain: name });
    }
  }

  /** Personal Apple IDs of the registry in `name` (shown as conflicts before federation). */
  personalAppleIdsIn(name: string): string[] {
    return [...this.personal].filter((a) => domainOf(a) === name).sort();
  }

  private async refuseIfClaimedElsewhere(orgId: string, name: string) {
    const owner = await this.store.domains.verifiedOwner(name);
    if (owner && owner.orgId !== orgId) throw this.claimed(name);
  }

  private claimed(name: string) {
    return conflict('domain_claimed', `${name} is verified by another organisation: a domain belongs to one organisation only`, { name });
  }
}
