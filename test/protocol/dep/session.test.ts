// GET /session and X-ADM-Auth-Session, from Apple's "Authenticating with a Device Enrollment
// Program (DEP) Server" and "Interpreting Automated Device Enrollment error codes".
import assert from 'node:assert/strict';
import request from 'supertest';
import { DAY_MS } from '../../../src/clock.js';
import { depAuthorization } from '../../support/dep-oauth.js';
import { adminPrincipal, createDepServer, decryptToken, depCall, depUrl, HOST, openSession, UA, type DepServerFixture } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

describe('DEP GET /session', () => {
  let t: TestOrchard;
  let srv: DepServerFixture;
  beforeEach(async () => {
    t = await buildTestOrchard();
    srv = await createDepServer(t, 'Session MDM');
  });
  const session = (auth?: string, path = '/dep/session') => {
    const r = request(t.app).get(path).set('Host', HOST).set('User-Agent', UA);
    return auth === undefined ? r : r.set('Authorization', auth);
  };

  it('answers 200 {"auth_session_token"} as application/json;charset=UTF8 for a correctly signed request', async () => {
    const res = await session(depAuthorization(srv.secrets, depUrl('/session')));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json;charset=UTF8');
    const body = JSON.parse(res.text);
    assert.deepEqual(Object.keys(body), ['auth_session_token']);
    assert.match(body.auth_session_token, /^[0-9a-f]{48}$/);
  });

  it('answers 401 oauth_problem=signature_invalid when the signature is wrong', async () => {
    const res = await session(depAuthorization({ ...srv.secrets, access_secret: 'AS_wrong' }, depUrl('/session')));
    assert.equal(res.status, 401);
    assert.equal(res.text, 'oauth_problem=signature_invalid');
  });

  it('answers 401 when the signed URL is not the one called', async () => {
    const res = await session(depAuthorization(srv.secrets, 'http://elsewhere.test/dep/session'));
    assert.equal(res.status, 401);
    assert.equal(res.text, 'oauth_problem=signature_invalid');
  });

  it('answers 401 oauth_problem=consumer_key_unknown for an unknown consumer key or access token', async () => {
    let res = await session(depAuthorization({ ...srv.secrets, consumer_key: 'CK_unknown' }, depUrl('/session')));
    assert.deepEqual([res.status, res.text], [401, 'oauth_problem=consumer_key_unknown']);
    res = await session(depAuthorization({ ...srv.secrets, access_token: 'AT_unknown' }, depUrl('/session')));
    assert.deepEqual([res.status, res.text], [401, 'oauth_problem=consumer_key_unknown']);
  });

  it('answers 401 oauth_problem=nonce_used when a nonce is replayed', async () => {
    const ts = Math.floor(t.clock.now().getTime() / 1000);
    const auth = depAuthorization(srv.secrets, depUrl('/session'), 'GET', { timestamp: ts, nonce: 'n-once-1' });
    assert.equal((await session(auth)).status, 200);
    const res = await session(auth);
    assert.deepEqual([res.status, res.text], [401, 'oauth_problem=nonce_used']);
  });

  it('answers 401 oauth_problem=timestamp_refused for a timestamp outside the window', async () => {
    const ts = Math.floor(t.clock.now().getTime() / 1000) - 3600;
    const res = await session(depAuthorization(srv.secrets, depUrl('/session'), 'GET', { timestamp: ts }));
    assert.deepEqual([res.status, res.text], [401, 'oauth_problem=timestamp_refused']);
  });

  it('answers 400 oauth_problem=parameter_absent without an Authorization header', async () => {
    const res = await session();
    assert.equal(res.status, 400);
    assert.match(res.text, /^oauth_problem=parameter_absent/);
  });

  it('answers 400 oauth_problem=signature_method_rejected for PLAINTEXT', async () => {
    const res = await session(depAuthorization(srv.secrets, depUrl('/session')).replace('HMAC-SHA1', 'PLAINTEXT'));
    assert.deepEqual([res.status, res.text], [400, 'oauth_problem=signature_method_rejected']);
  });

  it('answers 401 oauth_problem=token_expired once the server token is a year old', async () => {
    t.clock.advance(366 * DAY_MS);
    const res = await session(depAuthorization(srv.secrets, depUrl('/session'), 'GET', { timestamp: Math.floor(t.clock.now().getTime() / 1000) }));
    assert.deepEqual([res.status, res.text], [401, 'oauth_problem=token_expired']);
  });

  it('answers 401 oauth_problem=token_revoked for a token replaced by a renewal', async () => {
    await t.deps.services.servers.renewToken(adminPrincipal(t), srv.id);
    const res = await session(depAuthorization(srv.secrets, depUrl('/session')));
    assert.deepEqual([res.status, res.text], [401, 'oauth_problem=token_revoked']);
  });

  it('answers 403 T_C_NOT_SIGNED while the organisation has not accepted the latest terms', async () => {
    await t.deps.store.organisations.requireTerms(t.orgId, 2);
    const res = await session(depAuthorization(srv.secrets, depUrl('/session')));
    assert.deepEqual([res.status, res.text], [403, 'T_C_NOT_SIGNED']);
  });

  it('answers 400 USER_AGENT_MISSING without a User-Agent', async () => {
    const res = await request(t.app).get('/dep/session').set('Host', HOST).set('User-Agent', '')
      .set('Authorization', depAuthorization(srv.secrets, depUrl('/session')));
    assert.deepEqual([res.status, res.text], [400, 'USER_AGENT_MISSING']);
  });

  it('answers 405 METHOD_NOT_ALLOWED for POST /session and 404 NOT_FOUND for an unknown path', async () => {
    let res = await request(t.app).post('/dep/session').set('Host', HOST).set('User-Agent', UA);
    assert.deepEqual([res.status, res.text], [405, 'METHOD_NOT_ALLOWED']);
    res = await request(t.app).get('/dep/nothing').set('Host', HOST).set('User-Agent', UA);
    assert.deepEqual([res.status, res.text], [404, 'NOT_FOUND']);
  });
});

describe('DEP X-ADM-Auth-Session', () => {
  let t: TestOrchard;
  let srv: DepServerFixture;
  beforeEach(async () => {
    t = await buildTestOrchard();
    srv = await createDepServer(t, 'Session MDM');
  });

  it('answers 401 UNAUTHORIZED without the header and 403 FORBIDDEN for an unknown token', async () => {
    let res = await request(t.app).get('/dep/account').set('Host', HOST).set('User-Agent', UA);
    assert.deepEqual([res.status, res.text], [401, 'UNAUTHORIZED']);
    res = await depCall(t, 'f'.repeat(48))('get', '/account');
    assert.deepEqual([res.status, res.text], [403, 'FORBIDDEN']);
  });

  it('expires a session after 10 minutes (401 UNAUTHORIZED: the client re-authenticates)', async () => {
    const s = await openSession(t, srv.secrets);
    assert.equal((await depCall(t, s)('get', '/account')).status, 200);
    t.clock.advance(10 * 60_000 + 1);
    const res = await depCall(t, s)('get', '/account');
    assert.deepEqual([res.status, res.text], [401, 'UNAUTHORIZED']);
  });

  it('rotates the session token in the X-ADM-Auth-Session response header after 5 minutes', async () => {
    const s = await openSession(t, srv.secrets);
    let res = await depCall(t, s)('get', '/account');
    assert.equal(res.headers['x-adm-auth-session'], undefined);
    t.clock.advance(5 * 60_000);
    res = await depCall(t, s)('get', '/account');
    const fresh = res.headers['x-adm-auth-session'];
    assert.match(fresh, /^[0-9a-f]{48}$/);
    assert.notEqual(fresh, s);
    t.clock.advance(6 * 60_000);
    assert.equal((await depCall(t, s)('get', '/account')).status, 401);
    assert.equal((await depCall(t, fresh)('get', '/account')).status, 200);
  });

  it('answers 403 T_C_NOT_SIGNED on later calls once new terms are required', async () => {
    const s = await openSession(t, srv.secrets);
    await t.deps.store.organisations.requireTerms(t.orgId, 2);
    const res = await depCall(t, s)('get', '/account');
    assert.deepEqual([res.status, res.text], [403, 'T_C_NOT_SIGNED']);
  });

  it('serves the same API at the root of the DEP port app', async () => {
    const dep = t.depApp;
    let res = await request(dep).get('/session').set('Host', 'dep.test').set('User-Agent', UA)
      .set('Authorization', depAuthorization(srv.secrets, 'http://dep.test/session'));
    assert.equal(res.status, 200);
    const token = JSON.parse(res.text).auth_session_token;
    // Sessions are shared with the /dep mount of the main app (same Orchard).
    res = await depCall(t, token)('get', '/account');
    assert.equal(res.status, 200);
  });
});

describe('DEP sessions end with the server token that opened them', () => {
  let t: TestOrchard;
  let srv: DepServerFixture;
  beforeEach(async () => {
    t = await buildTestOrchard();
    srv = await createDepServer(t, 'Renewed MDM');
  });

  it('answers 401 UNAUTHORIZED to a session opened before the token was renewed; the new token opens a working one', async () => {
    const s = await openSession(t, srv.secrets);
    assert.equal((await depCall(t, s)('get', '/account')).status, 200);
    const renewed = await t.deps.services.servers.renewToken(adminPrincipal(t), srv.id);
    let res = await depCall(t, s)('get', '/account');
    assert.deepEqual([res.status, res.text], [401, 'UNAUTHORIZED']);
    // Still 401 (not 403 FORBIDDEN): the client is told to authenticate again.
    res = await depCall(t, s)('get', '/account');
    assert.deepEqual([res.status, res.text], [401, 'UNAUTHORIZED']);
    const fresh = await openSession(t, decryptToken(renewed.smime));
    assert.equal((await depCall(t, fresh)('get', '/account')).status, 200);
  });

  it('answers 401 UNAUTHORIZED to an open session once its MDM server is deleted', async () => {
    const s = await openSession(t, srv.secrets);
    await t.deps.services.servers.delete(adminPrincipal(t), srv.id);
    const res = await depCall(t, s)('get', '/account');
    assert.deepEqual([res.status, res.text], [401, 'UNAUTHORIZED']);
  });
});
