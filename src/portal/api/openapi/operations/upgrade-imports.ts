// The documented operations of the upgrade import (src/portal/api/routes/upgrade-imports.ts):
// an old DEP/VPP account's export (docs/upgrade-import.md) brought into the organisation.
import { UPGRADE_EXPORT_SCHEMA } from '../../../../business/upgrade-import/export-format.js';
import { id, list, q, type Operation } from '../operation.js';
import { closed, s } from '../schemas.js';

const { str, int } = s;
const counts = closed({
  servers: int, devices: int, orders: int, purchases: int, licences: int, content_tokens: int, invitations: int,
  existing_accounts: { type: 'integer', description: 'volume purchasers who already had an account of the organisation (not invited again)' },
});
const upgradeImport = closed({
  id: str, account_name: str, source_digest: { type: 'string', description: 'sha256 of the export\'s canonical JSON' }, imported_at: s.time,
  imported_by: { type: 'string', description: 'the Managed Apple ID of who imported it' }, counts,
});
const refusal = closed({ pointer: { type: 'string', description: 'where in the file, rooted at /body' }, code: str, message: str });
const plan = closed({ dry_run: { const: true }, source_digest: str, counts, refusals: { type: 'array', items: refusal } });

export const UPGRADE_IMPORT_OPERATIONS: Operation[] = [
  {
    method: 'post', path: '/organisation/upgrade-imports', operationId: 'importUpgrade', tag: 'Upgrade import', access: { permission: 'upgrade.import' }, status: 201,
    summary: 'Import an old Device Enrollment Program / Volume Purchase Program account',
    description: 'The body is the export (docs/upgrade-import.md). All or nothing, in one transaction: the MDM servers (each gets a new server token enveloped to its public key), the orders and their devices (assigned to their servers), the purchases as licences of their locations, the sTokens kept working, and an invitation (Content Manager of the location) for every volume purchaser not yet an account. '
      + 'With ?dry_run=true answers 200 with the plan (counts and every refusal) and writes nothing. Refusals change nothing: a body not in the format, 400 invalid_request (details.errors); the same file again, 409 upgrade_already_imported (details.import_id); '
      + 'otherwise the refusal\'s code (serial_taken, serial_exists, server_name_taken, server_name_duplicate, product_unknown, location_unknown, order_exists, email_taken, …, or upgrade_import_refused when several) with details.refusals and details.errors, one per place in the file: 409 when each is a conflict with what exists, else 400. Something taken by another writer between the plan and the write: 409 upgrade_import_conflict (or serial_taken), nothing written.',
    query: { dry_run: q({ type: 'string', enum: ['true', 'false'] }, 'true: answer the plan without writing') },
    body: UPGRADE_EXPORT_SCHEMA, bodyRequired: true,
    response: upgradeImport, headers: { Location: 'the import' }, errors: [409],
    otherSuccesses: { 200: { description: 'the dry run\'s plan (?dry_run=true): nothing was written', schema: plan } },
  },
  {
    method: 'get', path: '/organisation/upgrade-imports', operationId: 'listUpgradeImports', tag: 'Upgrade import', access: { permission: 'upgrade.import' }, status: 200,
    summary: "The organisation's upgrade imports", description: 'Newest first.', response: list(upgradeImport),
  },
  {
    method: 'get', path: '/organisation/upgrade-imports/{id}', operationId: 'getUpgradeImport', tag: 'Upgrade import', access: { permission: 'upgrade.import' }, path_params: id('upgrade import id'), status: 200,
    summary: 'One upgrade import', response: upgradeImport,
  },
];
