// The ports are bound before Orchard is built (src/bind-ports.ts); a request that arrives in
// between waits for the app instead of being refused, so clients that poll for the port (the
// benchmark harness, scripts) see no difference. A start that fails answers the waiting 503.
import assert from 'node:assert/strict';
import { bindPorts } from '../../../src/bind-ports.js';
import { loadConfig } from '../../../src/config.js';

const config = () => loadConfig({ PORT: '0', ORCHARD_DEP_PORT: '0' });

describe('bindPorts', () => {
  it('holds a request that arrives before the app is ready and hands it to the app', async () => {
    const ports = await bindPorts(config());
    try {
      assert.notEqual(ports.port, ports.depPort);
      const arrived = Promise.all([ports.main, ports.dep].map((s) => new Promise((r) => s.once('request', r))));
      const early = fetch(`http://127.0.0.1:${ports.port}/healthz`);
      const earlyDep = fetch(`http://127.0.0.1:${ports.depPort}/session`);
      await arrived;
      ports.serve((_req, res) => res.end('main app'), (_req, res) => res.end('dep app'));
      const [m, d] = await Promise.all([early, earlyDep]);
      assert.equal(m.status, 200);
      assert.equal(await m.text(), 'main app');
      assert.equal(await d.text(), 'dep app');
    } finally {
      await ports.close();
    }
  });

  it('a start that fails answers the waiting requests 503 starting, with Retry-After', async () => {
    const ports = await bindPorts(config());
    const arrived = new Promise((r) => ports.main.once('request', r));
    const early = fetch(`http://127.0.0.1:${ports.port}/api/v1/organisation`);
    await arrived;
    await ports.close();
    const res = await early;
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.deepEqual(await res.json(), { error: 'starting', message: 'Orchard is starting' });
  });
});
