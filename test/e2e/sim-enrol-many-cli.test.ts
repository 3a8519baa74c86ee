// `orchard sim enrol` of several devices through the real CLI on a loopback Orchard: one
// parseable line per device on stdout, progress on stderr only with --progress (stderr is a pipe
// here), exit 3 when a device did not enrol.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { BUILTIN_SERVER_NAME } from '../../src/business/enrollment/builtin-mdm.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/harness.js';

describe('orchard sim enrol, several devices', function () {
  this.timeout(180_000);
  let orchard: RunningOrchard;
  let tokenFile: string;

  before(async () => {
    orchard = await startOrchard(loadConfig({ ORCHARD_DATA_DIR: tempDir('orchard-sim-many-'), PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent' }), {
      logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000,
    });
    tokenFile = orchard.bootstrap.adminTokenFile!;
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    const api = (method: string, p: string, body?: unknown) => fetch(`${orchard.url}/api/v1${p}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
    });
    const builtin = ((await (await api('GET', '/mdm-servers')).json()) as any).items.find((s: any) => s.name === BUILTIN_SERVER_NAME);
    assert.equal((await api('POST', `/mdm-servers/${builtin.id}/devices`, { serial_numbers: ['DMOPH0000001', 'DMOPH0000002'] })).status, 200);
  });
  after(() => orchard?.close());

  it('--serials-file with --progress: a line per device, progress per device on stderr, exit 3 for the one not ours', async () => {
    const file = path.join(tempDir('orchard-serials-'), 'serials.txt');
    fs.writeFileSync(file, '# two demo iPhones and a stranger\nDMOPH0000001\nDMOPH0000002\n\nZZNOTOURS001\n');
    const r = await runCli(['sim', 'enrol', '--serials-file', file, '--url', orchard.url, '--token-file', tokenFile, '--progress']);
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, r.stdout);
    const mdm = `${orchard.url}/mdm/connect`;
    assert.match(lines[0]!, new RegExp(`^DMOPH0000001 enrolled [0-9A-F-]{25} ${mdm}$`));
    assert.match(lines[1]!, new RegExp(`^DMOPH0000002 enrolled [0-9A-F-]{25} ${mdm}$`));
    assert.match(lines[2]!, /^ZZNOTOURS001 not-enrolled device identity refused: HTTP 404 /);
    assert.equal(r.stderr, [
      'sim enrol: 1/3 devices (1 enrolled, 0 not)',
      'sim enrol: 2/3 devices (2 enrolled, 0 not)',
      'sim enrol: 3/3 devices (2 enrolled, 1 not)',
      '',
    ].join('\n'));
  });

  it('--serial A,B without --progress and stderr not a terminal: the same lines, stderr silent, exit 0', async () => {
    const r = await runCli(['sim', 'enrol', '--serial', 'DMOPH0000001,DMOPH0000002', '--url', orchard.url, '--token-file', tokenFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => l.split(' ').slice(0, 2).join(' ')), ['DMOPH0000001 enrolled', 'DMOPH0000002 enrolled']);
  });

  it('--udid with several serials is a one-line usage error', async () => {
    const r = await runCli(['sim', 'enrol', '--serial', 'A,B', '--udid', 'X', '--url', orchard.url, '--token', 'orch_x']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'orchard: --udid and --email name one device: leave them out when enrolling several (npx orchard sim --help)\n');
  });
});
