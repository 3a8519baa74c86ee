// `orchard devices assign --csv`: a CSV file of serials assigned through the typed client in
// chunks, one progress line per chunk on stderr, the totals on stdout; a refused chunk is one line
// that says what was already assigned.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serialsOfCsv } from '../../../src/cli/devices.js';
import { createOrchardClient, ok } from '../../../src/client/index.js';
import { runCli } from '../../support/cli.js';
import { buildTestOrchard, tempDir, type TestOrchard } from '../../support/harness.js';
import { listenOnLoopback } from '../../support/listen.js';
import { makeServerKey } from '../../support/mdm-server-cert.js';

describe('orchard devices assign --csv (progress per chunk)', function () {
  this.timeout(120_000);
  let t: TestOrchard;
  let server: { url: string; close(): Promise<void> };
  let serverId: string;
  before(async () => {
    t = await buildTestOrchard();
    server = await listenOnLoopback(t.handler);
    const api = createOrchardClient({ url: server.url, token: t.adminToken });
    const created = await ok(api.POST('/mdm-servers', { body: { name: 'CSV target', public_key: makeServerKey().certPem } }));
    serverId = created.id;
  });
  after(async () => server.close());

  it('reads the first column and skips a header row and blank lines', () => {
    assert.deepEqual(serialsOfCsv('serial_number,note\nDMOPH0000003,a\n\n"DMOPH0000004",b\r\nDMOMC0000001\n'), ['DMOPH0000003', 'DMOPH0000004', 'DMOMC0000001']);
    assert.deepEqual(serialsOfCsv('DMOPH0000003\nDMOPH0000004\n'), ['DMOPH0000003', 'DMOPH0000004']);
  });

  it('assigns five serials in chunks of two: three progress lines, the totals, and the devices are on the server', async () => {
    const csv = path.join(tempDir('orchard-csv-'), 'devices.csv');
    fs.writeFileSync(csv, 'serial_number\nDMOPH0000003\nDMOPH0000004\nDMOPH0000005\nDMOMC0000001\nDMOMC0000002\n');
    const r = await runCli(['devices', 'assign', '--server', serverId, '--csv', csv, '--chunk', '2', '--url', server.url, '--token', t.adminToken, '--progress']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n').map((l) => l.replace(/ \(.*$/, '')), ['devices assign: 2/5 serials', 'devices assign: 4/5 serials', 'devices assign: 5/5 serials']);
    const totals = JSON.parse(r.stdout);
    assert.deepEqual([totals.serials, totals.chunks, totals.assigned + totals.moved + totals.unchanged], [5, 3, 5]);
    const api = createOrchardClient({ url: server.url, token: t.adminToken });
    for (const serial of ['DMOPH0000003', 'DMOMC0000002']) {
      const d = await ok(api.GET('/devices/{serial}', { params: { path: { serial } } }));
      assert.equal(d.mdm_server_id, serverId);
    }
  });

  it('without --progress and stderr not a terminal: no progress, the same totals', async () => {
    const csv = path.join(tempDir('orchard-csv-'), 'devices.csv');
    fs.writeFileSync(csv, 'DMOPH0000003\n');
    const r = await runCli(['devices', 'assign', '--server', serverId, '--csv', csv, '--url', server.url, '--token', t.adminToken]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(JSON.parse(r.stdout), { mdm_server_id: serverId, serials: 1, assigned: 0, moved: 0, unchanged: 1, chunks: 1 });
  });

  it('a chunk the server refuses after others went through: one line naming the route, the code and what was already assigned', async () => {
    const csv = path.join(tempDir('orchard-csv-'), 'devices.csv');
    fs.writeFileSync(csv, 'DMOPH0000006\nNOTADEVICE01\n');
    const r = await runCli(['devices', 'assign', '--server', serverId, '--csv', csv, '--chunk', '1', '--url', server.url, '--token', t.adminToken]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.match(r.stderr, /^orchard: the server refused serials 2–2 \(POST \/api\/v1\/mdm-servers\/[^/]+\/devices: 4\d\d [a-z_]+: .*\); the 1 before them are assigned: fix the file and run the command again\n$/);
  });

  it('a wrong token is one line with the hint', async () => {
    const csv = path.join(tempDir('orchard-csv-'), 'devices.csv');
    fs.writeFileSync(csv, 'DMOPH0000003\n');
    const r = await runCli(['devices', 'assign', '--server', serverId, '--csv', csv, '--url', server.url, '--token', 'orch_wrong']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^orchard: the server refused POST \/api\/v1\/mdm-servers\/[^/]+\/devices: 401 [a-z_]+: .*: check the token \(--token or --token-file\)\n$/);
  });
});
