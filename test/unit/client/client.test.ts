// The client's own behaviour against a real Orchard (the in-memory harness, listening): bearer
// token, session cookie with X-Orchard-CSRF, and ApiClientError carrying status, code and field
// pointers.
import assert from 'node:assert/strict';
import { ApiClientError, createOrchardClient, ok } from '../../../src/client/index.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { listenOnLoopback } from '../../support/listen.js';

describe('the typed client (src/client/index.ts) against a listening Orchard', () => {
  let t: TestOrchard;
  let server: { url: string; close(): Promise<void> };
  before(async () => {
    t = await buildTestOrchard();
    server = await listenOnLoopback(t.handler);
  });
  after(async () => server.close());

  it('sends the bearer token and answers the typed body', async () => {
    const api = createOrchardClient({ url: server.url, token: t.adminToken });
    const org = await ok(api.GET('/organisation'));
    assert.equal(org.id, t.orgId);
  });

  it('takes a base URL with or without /api/v1 and trailing slashes', async () => {
    const api = createOrchardClient({ url: `${server.url}/api/v1/`, token: t.adminToken });
    assert.equal((await ok(api.GET('/organisation'))).id, t.orgId);
  });

  it('throws ApiClientError with status, code and the field pointers of a 400', async () => {
    const api = createOrchardClient({ url: server.url, token: t.adminToken });
    const err = await api.POST('/accounts', { body: { email: 42 as unknown as string } }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiClientError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.method, 'POST');
    assert.equal(err.path, '/api/v1/accounts');
    assert.ok(err.errors.some((e) => e.pointer === '/body/email'), JSON.stringify(err.errors));
    assert.match(err.describe(), /^POST \/api\/v1\/accounts: 400 invalid_request: .*\/body\/email/);
  });

  it('throws ApiClientError 401 for a wrong token', async () => {
    const api = createOrchardClient({ url: server.url, token: 'orch_not_a_token' });
    const err = await api.GET('/organisation').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiClientError);
    assert.equal(err.status, 401);
    assert.ok(err.code.length > 0);
  });

  it('signs in with a session cookie and writes with X-Orchard-CSRF: 1', async () => {
    const admin = createOrchardClient({ url: server.url, token: t.adminToken });
    const password = 'a long client passphrase';
    await ok(admin.POST('/accounts', { body: { email: 'client-session@demo.orchard.test', password, roles: ['Administrator'] } }));
    const anon = createOrchardClient({ url: server.url });
    const { data, response } = await anon.POST('/session', { body: { email: 'client-session@demo.orchard.test', password } });
    assert.equal(data?.email, 'client-session@demo.orchard.test');
    const cookie = /orchard_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    assert.ok(cookie, 'no session cookie');
    const api = createOrchardClient({ url: server.url, session: cookie });
    const loc = await ok(api.POST('/locations', { body: { name: 'Client test site' } }));
    assert.equal(loc.name, 'Client test site');
    // Without the CSRF header the same cookie may read but not write.
    const res = await fetch(`${server.url}/api/v1/locations`, { method: 'POST', headers: { cookie: `orchard_session=${cookie}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    assert.equal(res.status, 403);
  });
});
