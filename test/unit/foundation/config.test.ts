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
  it('has limits sized per face, a budget of bytes in flight and timeouts, each settable from the environment', () => {
    const l = loadConfig({}, []).limits;
    assert.deepEqual(l.body, {
      mdmCheckin: 256 * 1024, mdmConnect: 4 * 1024 * 1024, dep: 1024 * 1024, vpp: 1024 * 1024, scep: 64 * 1024, enroll: 64 * 1024,
      adminJson: 1024 * 1024, csv: 4 * 1024 * 1024, reseller: 4 * 1024 * 1024, developer: 256 * 1024,
    });
    assert.deepEqual([l.inflightBytes, l.unauthenticatedInflightBytes, l.headersTimeoutMs, l.requestTimeoutMs, l.bodyIdleTimeoutMs], [64 * 1024 * 1024, 16 * 1024 * 1024, 15_000, 120_000, 10_000]);
    const set = loadConfig({ ORCHARD_LIMIT_MDM_CHECKIN_BYTES: '65536', ORCHARD_BODY_IDLE_TIMEOUT_MS: '500' }, []).limits;
    assert.deepEqual([set.body.mdmCheckin, set.bodyIdleTimeoutMs], [65536, 500]);
    assert.throws(() => loadConfig({ ORCHARD_LIMIT_DEP_BYTES: '10' }), /ORCHARD_LIMIT_DEP_BYTES/);
    assert.throws(() => loadConfig({ ORCHARD_LIMIT_UNAUTH_INFLIGHT_BYTES: String(128 * 1024 * 1024) }), /must not exceed ORCHARD_LIMIT_INFLIGHT_BYTES/);
    assert.throws(() => loadConfig({ ORCHARD_HEADERS_TIMEOUT_MS: '200000' }), /must not exceed ORCHARD_REQUEST_TIMEOUT_MS/);
  });
  it('refuses an unknown flag', () => {
    assert.throws(() => loadConfig({}, ['--colour']), /unknown option --colour/);
  });
});
