// `orchard admin reset-password` (issue 14): the demo Administrator's password, shown once at the
// first start, is lost; the operator runs the command on the data directory (the server keeps
// running), gets a new password once, and signs in with it; the old one no longer works, and the
// organisation's audit log says who did it, without the password.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/harness.js';

const PRINTED = /^New password for (\S+) \(shown once\):\n {2}password {11}([A-Za-z0-9_-]{16})\n$/;

describe('orchard admin reset-password', function () {
  this.timeout(120_000);
  let orchard: RunningOrchard;
  let dataDir: string;
  const signIn = (email: string, password: string) => fetch(`${orchard.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const admin = async (path: string) => {
    const token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    return (await (await fetch(`${orchard.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
  };

  before(async () => {
    dataDir = tempDir('orchard-reset-');
    orchard = await startOrchard(loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent' }), {
      logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000,
    });
  });
  after(() => orchard?.close());

  it('prints a new password for the demo Administrator once; it signs in, the first-start one does not; audited', async () => {
    const first = orchard.bootstrap.adminPassword!;
    const r = await runCli(['admin', 'reset-password', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const [, email, password] = PRINTED.exec(r.stdout) ?? [];
    assert.equal(email, 'admin@demo.orchard.test');
    assert.notEqual(password, first);

    const login = await signIn(email!, password!);
    assert.equal(login.status, 200);
    assert.deepEqual(((await login.json()) as any).roles, ['Administrator']);
    assert.equal((await signIn(email!, first)).status, 401);

    const me = await admin('/me');
    const entry = (await admin('/audit')).items.find((e: any) => e.action === 'orchard admin reset-password');
    assert.deepEqual({ ...entry, id: undefined, created_at: undefined }, {
      id: undefined, created_at: undefined, actor: 'server-operator', actor_email: null, action: 'orchard admin reset-password',
      target: me.id, outcome: 'success', detail: { email: 'admin@demo.orchard.test' },
    });
    assert.ok(!JSON.stringify(await admin('/audit')).includes(password!));
  });

  it('--email names another account (ORCHARD_DATA_DIR works as --data-dir does)', async () => {
    const r = await runCli(['admin', 'reset-password', '--email', 'staff@demo.orchard.test'], { env: { ORCHARD_DATA_DIR: dataDir } });
    assert.equal(r.code, 0, r.stderr);
    const [, email, password] = PRINTED.exec(r.stdout) ?? [];
    assert.equal(email, 'staff@demo.orchard.test');
    assert.equal((await signIn('staff@demo.orchard.test', password!)).status, 200);
  });

  it('an unknown account is one line that says to name an existing one, and changes nothing', async () => {
    const before = (await admin('/audit')).items.length;
    const r = await runCli(['admin', 'reset-password', '--email', 'nobody@demo.orchard.test', '--data-dir', dataDir]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `orchard: admin reset-password: no account nobody@demo.orchard.test in ${dataDir}: name an existing Managed Apple ID with --email\n`);
    assert.equal((await admin('/audit')).items.length, before);
  });

  it('an unknown admin command: exit 2, one line', async () => {
    const r = await runCli(['admin', 'reset-pasword']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'orchard: unknown admin command reset-pasword: the commands are `npx orchard admin reset-password` and `npx orchard admin import-upgrade <file>` (npx orchard admin --help)\n');
  });
});
