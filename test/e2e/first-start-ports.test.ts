// First start (issue 14): a port in use used to fail with EADDRINUSE AFTER the demo organisation
// was written, so the next start never showed the Administrator's password. Now both ports are
// bound before anything is written: a port in use is one line naming the port and the setting
// that moves it, the data directory is not even created, and the next start is a first start.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard } from '../../src/server.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/harness.js';

async function occupy(): Promise<{ port: number; release(): Promise<void> }> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as AddressInfo).port, release: () => new Promise<void>((r) => s.close(() => r())) };
}

const quiet = { logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000 };

describe('first start: ports are checked before anything is written', function () {
  this.timeout(120_000);

  it('orchard serve with the main port in use: one line naming the port and --port/PORT, exit 2, no data dir', async () => {
    const taken = await occupy();
    const dataDir = path.join(tempDir('orchard-ports-'), 'data');
    try {
      const r = await runCli(['serve', '--data-dir', dataDir, '--port', String(taken.port), '--dep-port', '0', '--log-level', 'silent']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `orchard: port ${taken.port} (admin API, portal, MDM) is already in use on 127.0.0.1: stop what holds it, or choose another with --port N (PORT); nothing was written\n`);
      assert.equal(r.stdout, '');
      assert.equal(fs.existsSync(dataDir), false);
    } finally {
      await taken.release();
    }
  });

  it('the DEP port in use: refused before the first write, and the next start is a first start that shows the password', async () => {
    const taken = await occupy();
    const dataDir = path.join(tempDir('orchard-ports-'), 'data');
    const config = loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: String(taken.port), ORCHARD_LOG_LEVEL: 'silent' });
    await assert.rejects(startOrchard(config, quiet), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, `port ${taken.port} (Device Assignment API) is already in use on 127.0.0.1: stop what holds it, or choose another with --dep-port N (ORCHARD_DEP_PORT); nothing was written`);
      return true;
    });
    assert.equal(fs.existsSync(dataDir), false);
    await taken.release();

    // Same settings, the port free again: the demo organisation is created now, with its password.
    const orchard = await startOrchard(config, quiet);
    try {
      assert.equal(orchard.bootstrap.created, true);
      const password = orchard.bootstrap.adminPassword!;
      assert.match(password, /^[A-Za-z0-9_-]{16}$/);
      const login = await fetch(`${orchard.url}/api/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: orchard.bootstrap.adminEmail, password }),
      });
      assert.equal(login.status, 200);
      assert.deepEqual((await login.json() as any).roles, ['Administrator']);
    } finally {
      await orchard.close();
    }
  });

  it('a fixed local APNs port in use is refused the same way (--apns-port/ORCHARD_APNS_PORT)', async () => {
    const taken = await occupy();
    const dataDir = path.join(tempDir('orchard-ports-'), 'data');
    try {
      const config = loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_APNS_MODE: 'simulator', ORCHARD_APNS_PORT: String(taken.port) });
      await assert.rejects(startOrchard(config, quiet), {
        name: 'ConfigError',
        message: `port ${taken.port} (local APNs) is already in use on 127.0.0.1: stop what holds it, or choose another with --apns-port N (ORCHARD_APNS_PORT); nothing was written`,
      });
      assert.equal(fs.existsSync(dataDir), false);
    } finally {
      await taken.release();
    }
  });
});
