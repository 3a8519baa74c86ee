import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { tokenCommand } from '../../../src/cli/token.js';
import { loadConfig } from '../../../src/config.js';
import { startOrchard } from '../../../src/server.js';
import { tempDir } from '../../support/harness.js';
import { makeServerKey, tokenJson } from '../../support/mdm-server-cert.js';

describe('orchard token', () => {
  it('writes the current token of a server named on the command line, which openssl decrypts', async () => {
    const dataDir = tempDir();
    const orchard = await startOrchard(loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_LOG_LEVEL: 'silent' }));
    const key = makeServerKey();
    const { server } = await orchard.deps.services.servers.create(
      { accountId: 'x', orgId: orchard.bootstrap.orgId!, email: 'admin@demo.orchard.test', roles: ['Administrator'], via: 'api-token' },
      { name: 'CLI MDM', publicKey: key.certPem },
    );
    await orchard.close();
    assert.equal(fs.statSync(path.join(dataDir, 'keys', 'secrets.key')).mode & 0o777, 0o600);
    const out = path.join(dataDir, 'cli.p7m');
    const log = new PassThrough();
    await tokenCommand(['--server', 'CLI MDM', '--data-dir', dataDir, '--out', out], log);
    assert.match(String(log.read()), /^wrote .*cli\.p7m \(expires /);
    const json = tokenJson(key.decrypt(fs.readFileSync(out)));
    assert.match(json.consumer_key!, /^CK_/);
    // By id as well; an unknown server is an error.
    await tokenCommand(['--server', server.id, '--data-dir', dataDir, '--out', out], new PassThrough());
    await assert.rejects(tokenCommand(['--server', 'nope', '--data-dir', dataDir], new PassThrough()), /no MDM server "nope"/);
  });
});
