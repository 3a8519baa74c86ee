// The admin API calls of Preferences' upgrade import (issue 16, docs/upgrade-import.md): an old
// Device Enrollment Program / Volume Purchase Program account's export file checked with a dry
// run, imported, and the organisation's past imports. Each is a documented operation of /api/v1
// through the typed client (src/client/), as in api-pages.ts.
import { call, client, rawBody } from './api.js';

export interface UpgradeCounts {
  servers: number; devices: number; orders: number; purchases: number; licences: number;
  content_tokens: number; invitations: number; existing_accounts: number;
}
/** One refusal of a plan: where in the file (rooted at /body), its code and the API's sentence. */
export interface UpgradeRefusal { pointer: string; code: string; message: string }
export interface UpgradePlan { dry_run: true; source_digest: string; counts: UpgradeCounts; refusals: UpgradeRefusal[] }
export interface UpgradeImport { id: string; account_name: string; source_digest: string; imported_at: string; imported_by: string; counts: UpgradeCounts }

/**
 * The file's text is sent as it is (Content-Type: application/json): the API, not the portal,
 * says what is wrong with it (malformed_json, invalid_request with a pointer per problem, or the
 * plan's refusals).
 */
const exportBody = (text: string) => rawBody(text, 'application/json');

/** The dry run: what the file would bring and every refusal; nothing is written. */
export const planUpgradeImport = (text: string) =>
  call(() => client.POST('/organisation/upgrade-imports', { params: { query: { dry_run: 'true' } }, ...exportBody(text) })) as Promise<unknown> as Promise<UpgradePlan>;
/** The import, all or nothing. */
export const importUpgrade = (text: string) =>
  call(() => client.POST('/organisation/upgrade-imports', exportBody(text))) as Promise<unknown> as Promise<UpgradeImport>;
export const upgradeImports = async () => ((await call(() => client.GET('/organisation/upgrade-imports'))) as { items: UpgradeImport[] }).items;
