// JSON shapes of the admin API (snake_case, ISO dates). One function per resource.
import type { Account, ApiTokenRecord } from '../../store/accounts.js';
import type { AuditEntry } from '../../store/audit.js';
import type { Location } from '../../store/locations.js';
import type { Domain } from '../../store/domains.js';
import type { Federation } from '../../store/federations.js';
import { TXT_PREFIX } from '../../business/domains.js';
import type { Organisation } from '../../store/organisations.js';
import type { UpgradeImportRecord } from '../../store/upgrade-imports.js';

const iso = (d?: Date) => (d ? d.toISOString() : null);

export const organisationView = (o: Organisation) => ({
  id: o.id, name: o.name, org_id: o.orgId, duns: o.duns ?? null, email: o.email, phone: o.phone, address: o.address,
  org_type: o.orgType, org_version: o.orgVersion, consent_text: o.consentText, brand_color: o.brandColor,
  terms: { required_version: o.termsVersionRequired, accepted_version: o.termsVersionAccepted, accepted: o.termsVersionAccepted >= o.termsVersionRequired, accepted_at: iso(o.termsAcceptedAt), accepted_by: o.termsAcceptedBy ?? null },
  apps_and_books: {
    terms_accepted: o.contentTermsAcceptedAt !== undefined, terms_accepted_at: iso(o.contentTermsAcceptedAt), terms_accepted_by: o.contentTermsAcceptedBy ?? null,
    billing: o.billing ? { name: o.billing.name, email: o.billing.email, address: o.billing.address, tax_id: o.billing.taxId ?? null } : null,
  },
  created_at: iso(o.createdAt),
});

export const accountView = (a: Account) => ({
  id: a.id, email: a.email, given_name: a.givenName, middle_name: a.middleName, family_name: a.familyName, location_id: a.locationId ?? null, contact_email: a.contactEmail ?? null, roles: a.roles, active: a.active,
  created_at: iso(a.createdAt), updated_at: iso(a.updatedAt),
});

export const apiTokenView = (t: ApiTokenRecord) => ({
  id: t.id, name: t.name, created_at: iso(t.createdAt), expires_at: iso(t.expiresAt), revoked_at: iso(t.revokedAt), last_used_at: iso(t.lastUsedAt),
});

export const locationView = (l: Location) => ({ id: l.id, name: l.name, address: l.address, country: l.country, currency: l.currency, created_at: iso(l.createdAt) });

export const domainView = (d: Domain) => ({
  id: d.id, name: d.name, status: d.verifiedAt ? 'verified' : 'pending',
  txt_record: { name: d.name, type: 'TXT', value: TXT_PREFIX + d.txtToken },
  verified_at: iso(d.verifiedAt), created_at: iso(d.createdAt),
});

export const federationView = (f: Federation) => ({
  id: f.id, domain_id: f.domainId, issuer: f.issuer, client_id: f.clientId, enabled: !!f.enabledAt, enabled_at: iso(f.enabledAt), disabled_at: iso(f.disabledAt),
  created_at: iso(f.createdAt), updated_at: iso(f.updatedAt),
});

export const upgradeImportView = (r: UpgradeImportRecord) => ({
  id: r.id, account_name: r.sourceName, source_digest: r.sourceDigest, imported_at: r.importedAt.toISOString(),
  imported_by: r.importedByEmail ?? r.importedBy, counts: r.counts,
});

export const auditView = (e: AuditEntry) => ({
  id: e.id, created_at: iso(e.at), actor: e.actor ?? null, actor_email: e.actorEmail ?? null, action: e.action, target: e.target ?? null, outcome: e.outcome, detail: e.detail ?? null,
});
