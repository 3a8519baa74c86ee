// `orchard admin import-upgrade <file> [--as <Managed Apple ID>] [--dry-run] [--data-dir DIR]`:
// the operator imports an old DEP/VPP account's export (docs/upgrade-import.md) into the
// organisation of the Administrator named by --as (default: the demo organisation's), through
// the same service as POST /api/v1/organisation/upgrade-imports: one transaction, the same
// refusals (printed one a line, with their place in the file), audited as that Administrator.
import fs from 'node:fs';
import { DomainError } from '../business/errors.js';
import { can } from '../business/permissions.js';
import type { Principal } from '../business/principal.js';
import type { UpgradeImportCounts } from '../store/upgrade-imports.js';
import { ConfigError, loadConfig } from '../config.js';
import { CliError } from './errors.js';
import { openDataDir } from './data-dir.js';
import { demoAdministratorEmail } from './help.js';
import { ownFlags } from './token.js';

const line = (c: UpgradeImportCounts) => [
  `  servers            ${c.servers}`, `  devices            ${c.devices} (in ${c.orders} orders)`,
  `  licences           ${c.licences} (${c.purchases} purchases)`, `  content tokens     ${c.content_tokens}`,
  `  invitations        ${c.invitations} (${c.existing_accounts} ${c.existing_accounts === 1 ? 'purchaser already had an account' : 'purchasers already had accounts'})`,
].join('\n');

type Refusal = { pointer: string; code?: string; message?: string; expected?: string; problem?: string };
/** One refusal a line: the pointer into the file, then what to fix (a plan's refusal, or a format error). */
const refusalLine = (r: Refusal) => `  ${r.pointer || '/'}  ${r.code ? `${r.code}: ${r.message}` : `${r.problem}: ${r.expected}`}`;

/** The refusals of a DomainError, one a line. */
function refusalLines(err: DomainError): string[] {
  const list = (err.details?.refusals ?? err.details?.errors) as Refusal[] | undefined;
  return Array.isArray(list) ? list.map(refusalLine) : [];
}

export async function importUpgradeCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [file, ...flags] = argv;
  if (!file || file.startsWith('-')) throw new ConfigError('admin import-upgrade: name the export file first: npx orchard admin import-upgrade <file> [options] (npx orchard admin --help)');
  const dryRun = flags.includes('--dry-run');
  const { own, rest } = ownFlags(flags.filter((a) => a !== '--dry-run'), ['--as']);
  const config = loadConfig(process.env, rest);
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) throw new CliError(`admin import-upgrade: ${file} is not JSON (${err.message}): give the export file (docs/upgrade-import.md)`);
    throw err;
  }
  const email = own['--as'] ?? demoAdministratorEmail();
  const { store, services, close } = openDataDir(config, 'admin import-upgrade');
  try {
    const account = await store.accounts.getByEmail(email);
    if (!account || !account.active || !can(account.roles, 'upgrade.import')) {
      throw new CliError(`admin import-upgrade: ${email} is not an active Administrator in ${config.dataDir}: name one with --as`);
    }
    const actor: Principal = { accountId: account.id, orgId: account.orgId, email: account.email, roles: account.roles, via: 'api-token' };
    const org = await store.organisations.get(account.orgId);
    if (!services.organisations.termsAccepted(org!)) throw new CliError(`admin import-upgrade: ${org!.name} has not accepted the current terms: an Administrator must accept them first`);
    if (dryRun) {
      const plan = await services.upgradeImports.plan(actor, doc, '');
      out.write(`Dry run of ${file} into ${org!.name} (nothing written):\n${line(plan.counts)}\n`);
      if (plan.refusals.length) {
        out.write(`refused (${plan.refusals.length}):\n${plan.refusals.map(refusalLine).join('\n')}\n`);
        throw new CliError(`admin import-upgrade: ${file} would be refused (${plan.refusals.length}, listed on stdout): fix the file at the places listed`);
      }
      return;
    }
    const rec = await services.upgradeImports.import(actor, doc, '', 'cli');
    out.write(`Imported ${file} into ${org!.name} (import ${rec.id}):\n${line(rec.counts)}\n`);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // The report (stdout) lists every refusal with its place in the file; stderr has the one line.
    const lines = refusalLines(err);
    if (lines.length) {
      out.write(`refused (${lines.length}):\n${lines.join('\n')}\n`);
      throw new CliError(`admin import-upgrade: ${err.code}: nothing was imported (${lines.length} refusal${lines.length === 1 ? '' : 's'}, listed on stdout): fix the file at the places listed`);
    }
    throw new CliError(`admin import-upgrade: ${err.code}: ${err.message}`);
  } finally {
    close();
  }
}
