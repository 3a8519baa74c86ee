// `orchard admin import-upgrade <file>` (issue 16): the operator imports an old DEP/VPP export
// into the demo organisation from the data directory while the server runs; --dry-run writes
// nothing; a refused file prints each refusal with its place in the file and changes nothing;
// the same file twice is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { readFixture } from '../../../src/fixtures.js';
import { silentLogger } from '../../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../../src/server.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/harness.js';

describe('orchard admin import-upgrade', function () {
  this.timeout(120_000);
  let orchard: RunningOrchard;
  let dataDir: string;
  let files: string;
  const api = async (p: string) => {
    const token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    return (await (await fetch(`${orchard.url}/api/v1${p}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
  };
  const write = (name: string, doc: unknown) => {
    const file = path.join(files, name);
    fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
    return file;
  };

  before(async () => {
    dataDir = tempDir('orchard-upgrade-cli-');
    files = tempDir('orchard-upgrade-files-');
    orchard = await startOrchard(loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent' }), {
      logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000,
    });
  });
  after(() => orchard?.close());

  it('a refused file prints each refusal with its pointer, exits 1 and changes nothing; --dry-run writes nothing; then imports once', async () => {
    const bad = readFixture<any>('upgrade-export.sample.json');
    bad.volume_purchase.locations[0].purchases[0].adam_id = '77';
    bad.device_enrollment.devices[0].mdm_server = 'Nowhere';
    const refused = await runCli(['admin', 'import-upgrade', write('bad.json', bad), '--data-dir', dataDir]);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /^orchard: admin import-upgrade: upgrade_import_refused: nothing was imported \(2 refusals, listed on stdout\)/);
    assert.equal(refused.stderr.trimEnd().split('\n').length, 1, 'one line on stderr');
    assert.match(refused.stdout, /^refused \(2\):\n {2}\/device_enrollment\/devices\/0\/mdm_server {2}server_unknown: no server named Nowhere/);
    assert.match(refused.stdout, /\n {2}\/volume_purchase\/locations\/0\/purchases\/0\/adam_id {2}product_unknown: 77 is not a product/);

    const badFormat = await runCli(['admin', 'import-upgrade', write('format.json', { format: 'orchard-upgrade-export', version: 1 }), '--data-dir', dataDir]);
    assert.equal(badFormat.code, 1);
    assert.match(badFormat.stderr, /export_invalid: nothing was imported \(3 refusals/);
    assert.match(badFormat.stdout, /^refused \(3\):\n {2}\/account_name {2}missing: a value\n {2}\/device_enrollment {2}missing: a value\n/);
    const notJson = await runCli(['admin', 'import-upgrade', write('x.json', '{'), '--data-dir', dataDir]);
    assert.match(notJson.stderr, /x\.json is not JSON/);

    const sample = path.join(process.cwd(), 'fixtures', 'upgrade-export.sample.json');
    const dry = await runCli(['admin', 'import-upgrade', sample, '--dry-run', '--data-dir', dataDir]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run of .* into Orchard Demo Company \(nothing written\):\n {2}servers {12}2\n {2}devices {12}5 \(in 2 orders\)/);
    assert.deepEqual((await api('/organisation/upgrade-imports')).items, []);
    assert.equal((await api('/devices?q=UPGRD')).items.length, 0);

    // ORCHARD_BASE_URL as the server's: the CLI's mail links are on it.
    const r = await runCli(['admin', 'import-upgrade', sample, '--data-dir', dataDir], { env: { ORCHARD_BASE_URL: orchard.url } });
    assert.equal(r.code, 0, r.stderr);
    const [, id] = /\(import ([0-9A-Fa-f-]{36})\):/.exec(r.stdout) ?? [];
    assert.ok(id, r.stdout);
    assert.match(r.stdout, /invitations {8}2 \(1 purchaser already had an account\)/);
    // The invitations are mailed as the server mails them: an .eml each in the data dir's outbox,
    // whose link is on the configured base URL.
    const mails = fs.readdirSync(path.join(dataDir, 'outbox')).map((f) => fs.readFileSync(path.join(dataDir, 'outbox', f), 'utf8'));
    const invitations = mails.filter((m) => /vera@demo\.orchard\.test/.test(m));
    assert.equal(invitations.length, 1, mails.map((m) => m.split('\n').find((l) => l.startsWith('To:'))).join(', '));
    assert.match(invitations[0]!.replace(/=\r?\n/g, ''), new RegExp(`${orchard.url.replace(/[.:/]/g, '\\$&')}/portal/invitation`));
    // The running server sees it all.
    const rec = await api(`/organisation/upgrade-imports/${id}`);
    assert.deepEqual([rec.imported_by, rec.counts.devices, rec.counts.licences], ['admin@demo.orchard.test', 5, 40]);
    assert.deepEqual((await api('/devices?q=UPGRD')).items.map((d: any) => d.serial_number).sort(), ['UPGRD0000001', 'UPGRD0000002', 'UPGRD0000003', 'UPGRD0000004', 'UPGRD0000005']);
    assert.ok((await api('/accounts')).items.some((a: any) => a.email === 'vera@demo.orchard.test'));

    const again = await runCli(['admin', 'import-upgrade', sample, '--data-dir', dataDir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /upgrade_already_imported/);
    assert.equal((await api('/organisation/upgrade-imports')).items.length, 1);
  });

  it('refuses an account that is not an Administrator, and a missing file argument', async () => {
    const sample = path.join(process.cwd(), 'fixtures', 'upgrade-export.sample.json');
    const staff = await runCli(['admin', 'import-upgrade', sample, '--as', 'staff@demo.orchard.test', '--data-dir', dataDir]);
    assert.equal(staff.code, 1);
    assert.match(staff.stderr, /staff@demo\.orchard\.test is not an active Administrator/);
    const none = await runCli(['admin', 'import-upgrade', '--data-dir', dataDir]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /name the export file first/);
  });
});
