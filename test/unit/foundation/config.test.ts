import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('config', () => {
  it('has embedded defaults for every setting', () => {
    const c = loadConfig({}, []);
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.equal(c.port, 8080);
    assert.equal(c.depPort, 8081);
    assert.equal(c.baseUrl, 'http://localhost:8080');
    assert.equal(c.testControls, false);
    assert.equal(c.apns.mode, 'simulator');
    assert.equal(c.apns.connections, undefined); // the server picks by endpoint
  });
  it('reads the APNs connection count (1–64) from the environment or --apns-connections', () => {
    assert.equal(loadConfig({ ORCHARD_APNS_CONNECTIONS: '4' }, []).apns.connections, 4);
    assert.equal(loadConfig({}, ['--apns-connections', '1']).apns.connections, 1);
    assert.throws(() => loadConfig({ ORCHARD_APNS_CONNECTIONS: '0' }), /ORCHARD_APNS_CONNECTIONS/);
    assert.throws(() => loadConfig({ ORCHARD_APNS_CONNECTIONS: 'many' }), /ORCHARD_APNS_CONNECTIONS/);
  });
  it('reads the environment and lets flags override it', () => {
    const c = loadConfig({ PORT: '9000', ORCHARD_DATA_DIR: '/tmp/x', ORCHARD_BASE_URL: 'https://mdm.example.com/' }, ['--dep-port', '9001', '--test-controls']);
    assert.equal(c.port, 9000);
    assert.equal(c.depPort, 9001);
    assert.equal(c.dataDir, '/tmp/x');
    assert.equal(c.baseUrl, 'https://mdm.example.com');
    assert.equal(c.testControls, true);
  });
  it('refuses an unknown ORCHARD_ setting by name', () => {
    assert.throws(() => loadConfig({ ORCHARD_DATADIR: 'x' }), (e: Error) => e instanceof ConfigError && /ORCHARD_DATADIR/.test(e.message));
  });
  it('refuses malformed values with the setting named', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /PORT/.test(e.message));
    assert.throws(() => loadConfig({ ORCHARD_BASE_URL: 'ftp://x' }), /ORCHARD_BASE_URL/);
    assert.throws(() => loadConfig({ ORCHARD_LOG_LEVEL: 'loud' }), /ORCHARD_LOG_LEVEL/);
  });
  it('refuses an unknown flag', () => {
    assert.throws(() => loadConfig({}, ['--colour']), /unknown option --colour/);
  });
});
