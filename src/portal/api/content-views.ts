// JSON shapes of the content part of the admin API (snake_case, ISO dates, money as decimal strings).
import type { CatalogItem } from '../../business/content/catalog.js';
import type { TargetResult } from '../../business/content/install.js';
import type { AssetSummary } from '../../business/content/library.js';
import { fromMinor } from '../../business/content/money.js';
import type { ItemSummary } from '../../business/content/purchases.js';
import type { CompanyCard, LicenceTransfer, Purchase } from '../../store/content-purchasing.js';
import type { CustomApp } from '../../store/content-custom-apps.js';

const money = (minor: number, currency: string) => ({ amount: fromMinor(minor, currency), currency });

export const catalogItemView = (i: CatalogItem, country: string, currency: string | undefined) => ({
  adam_id: i.adamId, name: i.name, media: i.media, category: i.category, bundle_id: i.bundleId ?? null, author: i.author ?? null,
  platforms: i.platforms, ios_devices: i.iosDevices, universal: i.iosDevices.includes('iPhone') && i.iosDevices.includes('iPad'),
  min_os: i.minOs, device_assignable: i.deviceAssignable, countries: i.countries,
  price: i.prices[country] !== undefined && currency ? { ...money(i.prices[country]!, currency), country } : null,
  custom: !!i.custom,
});

export const purchaseView = (p: Purchase) => ({
  id: p.id, location_id: p.locationId, adam_id: p.adamId, product_type: p.productType, name: p.name, pricing_param: p.pricingParam,
  quantity: p.quantity, unit_price: money(p.unitPriceMinor, p.currency), total: money(p.totalMinor, p.currency),
  payment_method: p.paymentMethod, card_id: p.cardId ?? null, purchased_by: p.purchasedBy, purchased_at: p.purchasedAt.toISOString(),
});

export const itemSummaryView = (s: ItemSummary) => ({
  adam_id: s.adamId, name: s.name, product_type: s.productType, purchased: s.purchased, in_use: s.inUse, available: s.available,
  locations: s.locations.map((l) => ({ location_id: l.locationId, total: l.total, in_use: l.inUse })),
});

export const transferView = (t: LicenceTransfer) => ({
  id: t.id, from_location_id: t.fromLocationId, to_location_id: t.toLocationId, adam_id: t.adamId, pricing_param: t.pricingParam,
  quantity: t.quantity, transferred_by: t.transferredBy, transferred_at: t.transferredAt.toISOString(),
});

export const cardView = (c: CompanyCard) => ({ id: c.id, label: c.label, last4: c.last4, created_at: c.createdAt.toISOString() });

export const creditView = (locationId: string, currency: string, balanceMinor: number) => ({ location_id: locationId, balance: money(balanceMinor, currency) });

export const licenceView = (a: AssetSummary) => ({
  adam_id: a.adamId, name: a.name, product_type: a.productType, pricing_param: a.pricingParam, total: a.totalCount, in_use: a.assignedCount,
  available: a.availableCount, device_assignable: a.deviceAssignable, revocable: a.revocable, supported_platforms: a.supportedPlatforms,
});

export const customAppView = (a: CustomApp) => ({
  adam_id: a.adamId, name: a.name, developer: a.developerName, bundle_id: a.bundleId, category: a.category, platforms: a.platforms,
  versions: a.versions.map((v) => ({ version: v.version, review_status: v.reviewStatus, submitted_at: v.submittedAt.toISOString(), reviewed_at: v.reviewedAt?.toISOString() ?? null })),
});

export const targetResultView = (r: TargetResult) => ({
  ...(r.serialNumber !== undefined ? { serial_number: r.serialNumber } : {}),
  ...(r.clientUserId !== undefined ? { client_user_id: r.clientUserId } : {}),
  adam_id: r.adamId, status: r.status, newly_associated: r.newlyAssociated, reason: r.reason ?? null,
  command: r.command ?? null, command_uuid: r.commandUuid ?? null, not_before: r.notBefore?.toISOString() ?? null, invite_code: r.inviteCode ?? null,
});
