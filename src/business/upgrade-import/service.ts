// Upgrading from the old separate programmes (issue 16): an export of a Device Enrollment Program
// and Volume Purchase Program account (export-format.ts) brought into one organisation. The plan
// (plan.ts) reads and checks everything first and lists every refusal with its pointer into the
// file; the import then writes the whole plan in one transaction (store.upgradeImports.apply), or
// nothing. A dry run answers the plan without writing.
import type { Clock, Ids } from '../../clock.js';
import type { Store } from '../../store/index.js';
import type { UpgradeImportRecord } from '../../store/upgrade-imports.js';
import { conflict, DomainError, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import { UpgradePlanner, type UpgradeImportDeps, type UpgradePlan, type UpgradeRefusal } from './plan.js';

export { PURCHASER_ROLE, type UpgradeImportDeps, type UpgradePlan, type UpgradeRefusal } from './plan.js';

export class UpgradeImportService {
  private readonly planner: UpgradePlanner;
  constructor(private readonly store: Store, private readonly clock: Clock, ids: Ids, private readonly d: UpgradeImportDeps) {
    this.planner = new UpgradePlanner(store, clock, ids, d);
  }

  /** What the file would bring and every refusal, writing nothing. `root` prefixes the pointers ('/body' for the API). */
  async plan(actor: Principal, input: unknown, root = '/body'): Promise<UpgradePlan> {
    const { digest, counts, refusals } = await this.planner.build(actor, input, root, false);
    return { digest, counts, refusals };
  }

  /**
   * Imports the file, all or nothing. Refused, changing nothing: a file not in the format (400
   * export_invalid), one already imported into the organisation (409 upgrade_already_imported),
   * and any refusal of the plan (details.refusals and details.errors, one per place in the file).
   * `source`: the admin API, or the operator's command line (`orchard admin import-upgrade`), in the audit entry.
   */
  async import(actor: Principal, input: unknown, root = '/body', source: 'api' | 'cli' = 'api'): Promise<UpgradeImportRecord> {
    const planned = await this.planner.build(actor, input, root, true);
    if (planned.alreadyImported) {
      throw conflict('upgrade_already_imported', `this file was already imported into the organisation (import ${planned.alreadyImported}): nothing was imported again`, { import_id: planned.alreadyImported });
    }
    if (planned.refusals.length) throw refused(planned.refusals);
    const writes = planned.writes;
    const outcome = await this.store.upgradeImports.apply(writes);
    if (!outcome.applied) {
      if (outcome.reason === 'already_imported') throw conflict('upgrade_already_imported', 'this file was already imported into the organisation', { import_id: outcome.importId });
      if (outcome.reason === 'serial_taken') throw conflict('serial_taken', `${outcome.serialNumber} was added to an organisation meanwhile: nothing was imported`, { serial_number: outcome.serialNumber });
      throw conflict('upgrade_import_conflict', 'something the file adds (a server name, an order number, an sToken or a Managed Apple ID) was added meanwhile: nothing was imported; a dry run shows what');
    }
    for (const i of writes.invitations) this.d.invitations.delivered(i.mail);
    await this.store.audit.append({
      orgId: actor.orgId, actor: actor.accountId, actorEmail: actor.email, action: 'upgrade_import', target: writes.record.id, outcome: 'success',
      detail: { digest: planned.digest, account_name: planned.doc.account_name, source, ...planned.counts }, at: this.clock.now(),
    });
    return writes.record;
  }

  list(actor: Principal): Promise<UpgradeImportRecord[]> {
    return this.store.upgradeImports.list(actor.orgId);
  }

  /** One import of the caller's organisation; another organisation's answers as missing. */
  async get(actor: Principal, id: string): Promise<UpgradeImportRecord> {
    const r = await this.store.upgradeImports.get(actor.orgId, id);
    if (!r) throw notFound('upgrade import', 'upgrade_import_not_found');
    return r;
  }
}

/** Every refusal at once: 409 when each is a conflict with what exists, else 400; the one code, or upgrade_import_refused. */
function refused(refusals: UpgradeRefusal[]): DomainError {
  const codes = [...new Set(refusals.map((r) => r.code))];
  const code = codes.length === 1 ? codes[0]! : 'upgrade_import_refused';
  const shown = refusals.slice(0, 3).map((r) => `${r.pointer}: ${r.message}`).join('; ');
  const message = `nothing was imported (${refusals.length} refusal${refusals.length === 1 ? '' : 's'}): ${shown}${refusals.length > 3 ? ' …' : ''}`;
  return new DomainError(refusals.every((r) => r.kind === 'conflict') ? 'conflict' : 'invalid', code, message, {
    refusals: refusals.map(({ pointer, code: c, message: m }) => ({ pointer, code: c, message: m })),
    errors: refusals.map((r) => ({ pointer: r.pointer, problem: 'invalid_value', expected: r.message })),
  });
}
