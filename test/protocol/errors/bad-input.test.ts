// Issue 17, findings 4 and 5, at the wire: each reproduction of the outside probe answers a
// clean 4xx in its face's own shape (never a 500, never Express's HTML page with a stack), and
// the refused request changes nothing in the store.
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { UA } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { ADMIN_WRITES } from '../../support/admin-routes.js';
import { listenOnLoopback } from '../../support/listen.js';
import { assertNoInternals, requestIdOf, storeSnapshot } from '../../support/wire-errors.js';

/** Base64 DER that starts as a CMS structure: passes the shape check, never verifies. */
const SHAPED_SIGNATURE = Buffer.from('3080', 'hex').toString('base64');

type Res = { status: number; text: string; body: any; headers: Record<string, string> };


describe('bad input answers a clean 4xx in each face\'s shape (issue 17, findings 4 and 5)', () => {
  let t: TestOrchard;
  let before0: string;
  const admin = () => ({ Authorization: `Bearer ${t.adminToken}` });
  before(async () => { t = await buildTestOrchard(); });
  beforeEach(() => { before0 = storeSnapshot(t.db); });
  afterEach(function () {
    // A refusal changes nothing (the tests that write on purpose say so by name).
    if (!/writes/.test(this.currentTest?.title ?? '')) assert.equal(storeSnapshot(t.db), before0, 'the store changed');
  });

  const clean = (res: Res, status: number) => {
    assert.equal(res.status, status, res.text);
    assertNoInternals(res.text);
    assert.doesNotMatch(res.headers['content-type'] ?? '', /html/);
    requestIdOf(res);
  };

  describe('unknown or corrupt Content-Encoding', () => {
    const GARBAGE = Buffer.from('this is not gzip at all');
    const encodings: Array<[string, Buffer]> = [['bogus', Buffer.from('{}')], ['gzip', GARBAGE], ['deflate', GARBAGE], ['br', GARBAGE]];
    const expect415 = (enc: string) => enc === 'bogus';

    it('DEP, before authentication, on the DEP port and on /dep: 400 MALFORMED_REQUEST_BODY', async () => {
      const depApp = t.depApp;
      for (const [enc, body] of encodings) {
        for (const [target, path] of [[depApp, '/server/devices'], [t.app, '/dep/server/devices']] as const) {
          const res = await request(target).post(path).set('User-Agent', UA).set('Content-Type', 'application/json').set('Content-Encoding', enc).send(body);
          clean(res, 400);
          assert.equal(res.text, 'MALFORMED_REQUEST_BODY');
        }
      }
    });

    it('Apps and Books: 400 {"errorNumber":9602}', async () => {
      for (const [enc, body] of encodings) {
        for (const path of ['/vpp/mdm/v2/assets/associate', '/vpp/mdm/v2/users/create', '/vpp/mdm/v2/client/config']) {
          const res = await request(t.app).post(path).set('Authorization', 'Bearer x').set('Content-Type', 'application/json').set('Content-Encoding', enc).send(body);
          clean(res, 400);
          assert.deepEqual(res.body, { errorNumber: 9602, errorMessage: 'Invalid argument.' });
        }
      }
    });

    it('reseller: 415 UNSUPPORTED_ENCODING or 400 MALFORMED_REQUEST', async () => {
      for (const [enc, body] of encodings) {
        for (const path of ['/reseller/bulk-enroll-devices', '/reseller/check-transaction-status', '/reseller/show-order-details']) {
          const res = await request(t.app).post(path).set('Content-Type', 'application/json').set('Content-Encoding', enc).send(body);
          clean(res, expect415(enc) ? 415 : 400);
          assert.equal(res.body.errorCode, expect415(enc) ? 'UNSUPPORTED_ENCODING' : 'MALFORMED_REQUEST');
        }
      }
    });

    it('developer API: 415 unsupported_encoding or 400 unreadable_body', async () => {
      for (const [enc, body] of encodings) {
        const res = await request(t.app).post('/developer/v1/custom-apps').set('Content-Type', 'application/json').set('Content-Encoding', enc).send(body);
        clean(res, expect415(enc) ? 415 : 400);
        assert.equal(res.body.error.code, expect415(enc) ? 'unsupported_encoding' : 'unreadable_body');
      }
    });

    it('every admin write: 415 unsupported_encoding or 400 unreadable_body', async () => {
      for (const [method, path] of ADMIN_WRITES) {
        for (const [enc, body] of encodings) {
          const res = await request(t.app)[method](`/api/v1${path}`).set(admin()).set('Content-Type', 'application/json').set('Content-Encoding', enc).send(body);
          clean(res, expect415(enc) ? 415 : 400);
          assert.deepEqual(Object.keys(res.body.error), ['code', 'message'], `${method} ${path}`);
          assert.equal(res.body.error.code, expect415(enc) ? 'unsupported_encoding' : 'unreadable_body', `${method} ${path}`);
        }
      }
    });

    it('SCEP: plain text 415 or 400', async () => {
      for (const [enc, body] of encodings) {
        const res = await request(t.app).post('/scep?operation=PKIOperation').set('Content-Type', 'application/x-pki-message').set('Content-Encoding', enc).send(body);
        clean(res, expect415(enc) ? 415 : 400);
        assert.match(res.headers['content-type']!, /^text\/plain/);
      }
    });

    it('enrolment (/enroll/cloud-config, /enroll/dep, /enroll/web): JSON {code, message}, 415 or 400', async () => {
      for (const [enc, body] of encodings) {
        for (const [path, type] of [['/enroll/cloud-config', 'application/pkcs7-signature'], ['/enroll/dep', 'application/pkcs7-signature'], ['/enroll/web', 'application/x-www-form-urlencoded']]) {
          const res = await request(t.app).post(path!).set('Content-Type', type!).set('Content-Encoding', enc).send(body);
          clean(res, expect415(enc) ? 415 : 400);
          assert.deepEqual(Object.keys(res.body), ['code', 'message']);
          assert.equal(res.body.code, expect415(enc) ? 'UNSUPPORTED_ENCODING' : 'MALFORMED_REQUEST');
        }
      }
    });

    it('MDM, through the router and the fast path alike: plain text 415 or 400 "unreadable body"', async () => {
      const served = await listenOnLoopback(t.handler as RequestListener);
      try {
        for (const [path, type] of [['/mdm/checkin', 'application/x-apple-aspen-mdm-checkin'], ['/mdm/connect', 'application/x-apple-aspen-mdm'], ['/mdm', 'application/x-apple-aspen-mdm']] as const) {
          for (const [enc, body] of encodings) {
            // A signature shaped as one, so the body is read (an unsigned body is refused unread: finding 7).
            const viaRouter = await request(t.app).put(path).set('Content-Type', type).set('Mdm-Signature', SHAPED_SIGNATURE).set('Content-Encoding', enc).send(body);
            const viaFast = await request(served.url).put(path).set('Content-Type', type).set('Mdm-Signature', SHAPED_SIGNATURE).set('Content-Encoding', enc).send(body);
            for (const res of [viaRouter, viaFast]) {
              clean(res, expect415(enc) ? 415 : 400);
              assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
              assert.equal(res.text, expect415(enc) ? 'unsupported Content-Encoding (send identity, gzip, deflate or br)\n' : 'unreadable body\n');
            }
          }
        }
      } finally {
        await served.close();
      }
    });

    it('MDM: a well-formed gzip body is inflated on the fast path as on the router (same answer as identity)', async () => {
      const served = await listenOnLoopback(t.handler as RequestListener);
      try {
        const plist = '<?xml version="1.0"?><plist version="1.0"><dict><key>MessageType</key><string>Authenticate</string></dict></plist>';
        const identity = await request(served.url).put('/mdm/checkin').set('Content-Type', 'application/x-apple-aspen-mdm-checkin').set('Mdm-Signature', SHAPED_SIGNATURE).send(plist);
        for (const target of [served.url, t.app]) {
          const res = await request(target as string).put('/mdm/checkin').set('Content-Type', 'application/x-apple-aspen-mdm-checkin').set('Mdm-Signature', SHAPED_SIGNATURE).set('Content-Encoding', 'gzip').send(gzipSync(plist));
          assert.equal(res.status, identity.status);
          assert.equal(res.text, identity.text);
        }
        assert.equal(identity.status, 401); // a signature that does not verify: the body was read, then refused
        // Inflated past the check-in's bound (config limits.body): 413, not memory.
        const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20));
        const big = await request(served.url).put('/mdm/checkin').set('Content-Type', 'application/x-apple-aspen-mdm-checkin').set('Mdm-Signature', SHAPED_SIGNATURE).set('Content-Encoding', 'gzip').send(bomb);
        assert.equal(big.status, 413);
        assert.equal(big.text, 'body too large\n');
      } finally {
        await served.close();
      }
    });
  });

  describe('charsets', () => {
    for (const charset of ['bogus', 'koi8-r']) {
      it(`charset=${charset}: reseller 415 UNSUPPORTED_ENCODING, admin 415 unsupported_encoding, /enroll/web 415 UNSUPPORTED_CHARSET`, async () => {
        const reseller = await request(t.app).post('/reseller/bulk-enroll-devices').set('Content-Type', `application/json; charset=${charset}`).send('{}');
        clean(reseller, 415);
        assert.equal(reseller.body.errorCode, 'UNSUPPORTED_ENCODING');
        const adminRes = await request(t.app).post('/api/v1/locations').set(admin()).set('Content-Type', `application/json; charset=${charset}`).send('{"name":"K"}');
        clean(adminRes, 415);
        assert.equal(adminRes.body.error.code, 'unsupported_encoding');
        const web = await request(t.app).post('/enroll/web').set('Content-Type', `application/x-www-form-urlencoded; charset=${charset}`).send('deviceinfo=x&email=a');
        clean(web, 415);
        assert.deepEqual(web.body, { code: 'UNSUPPORTED_CHARSET', message: 'unsupported charset (send utf-8)' });
      });
    }
  });

  it('2,000 form parameters on /enroll/web: 413 TOO_MANY_PARAMETERS in JSON', async () => {
    const form = Array.from({ length: 2000 }, (_, i) => `p${i}=x`).join('&');
    const res = await request(t.app).post('/enroll/web').set('Content-Type', 'application/x-www-form-urlencoded').send(form);
    clean(res, 413);
    assert.deepEqual(res.body, { code: 'TOO_MANY_PARAMETERS', message: 'the form has too many parameters' });
  });

  it('bad percent-encoding in an :id: 400 malformed_path (admin, developer), NOT_FOUND elsewhere', async () => {
    for (const path of ['/devices/%E0%A4%A', '/accounts/%E0%A4%A', '/locations/%E0%A4%A', '/mdm-servers/%E0%A4%A', '/commands/%ZZ']) {
      const res = await request(t.app).get(`/api/v1${path}`).set(admin());
      clean(res, 400);
      assert.deepEqual(res.body, { error: { code: 'malformed_path', message: 'the path is not valid percent-encoding' } });
    }
    const dev = await request(t.app).post('/developer/v1/custom-apps/%E0%A4%A/versions').set('Authorization', 'Bearer orchard-dev-nope').send({});
    assert.equal(dev.status, 401); // authentication comes first; no 500 either way
  });

  it('bad percent-encoding in the session cookie: 401 unauthenticated, as no cookie', async () => {
    for (const cookie of ['orchard_session=%E0%A4%A', 'orchard_session=%', 'a=%E0; orchard_session=%ZZ']) {
      const res = await request(t.app).get('/api/v1/organisation').set('Cookie', cookie);
      clean(res, 401);
      assert.equal(res.body.error.code, 'unauthenticated');
    }
  });

  it('a Referer that is not a URL on a cookie write: 403 csrf_rejected', async () => {
    const email = `cookie-${Date.now()}@demo.orchard.test`;
    await t.deps.services.accounts.create('system', t.orgId, { email, roles: ['Administrator'] as any, password: 'a long enough passphrase' } as any);
    const login = await request(t.app).post('/api/v1/session').send({ email, password: 'a long enough passphrase' });
    assert.equal(login.status, 200, login.text);
    const cookie = String(login.headers['set-cookie']![0]).split(';')[0]!;
    const snapshot = storeSnapshot(t.db);
    for (const referer of ['not a url', 'http://', '::::', '%E0%A4%A']) {
      const res = await request(t.app).post('/api/v1/locations').set('Cookie', cookie).set('Referer', referer).send({ name: 'Via cookie' });
      clean(res, 403);
      assert.equal(res.body.error.code, 'csrf_rejected');
    }
    assert.equal(storeSnapshot(t.db), snapshot);
    before0 = storeSnapshot(t.db); // the sign-in above wrote a session on purpose
  });

  it('a second location with the same name: 409 location_exists, also when the read before the write misses it (the store decides)', async () => {
    const first = await request(t.app).post('/api/v1/locations').set(admin()).send({ name: 'Twice' });
    assert.equal(first.status, 201);
    const snapshot = storeSnapshot(t.db);
    const again = await request(t.app).post('/api/v1/locations').set(admin()).send({ name: 'Twice' });
    clean(again, 409);
    assert.deepEqual(again.body, { error: { code: 'location_exists', message: 'a location with this name exists' } });
    const store = t.deps.store.locations;
    const listByOrg = store.listByOrg;
    store.listByOrg = async () => [];
    try {
      const raced = await request(t.app).post('/api/v1/locations').set(admin()).send({ name: 'Twice' });
      clean(raced, 409);
      assert.equal(raced.body.error.code, 'location_exists');
    } finally {
      store.listByOrg = listByOrg;
    }
    assert.equal(storeSnapshot(t.db), snapshot);
    before0 = snapshot; // the first location was written on purpose
  });

  it('objects or arrays where strings are expected: 400 naming the field', async () => {
    for (const [field, value] of [['name', { a: 1 }], ['name', ['a']], ['address', { a: 1 }], ['country', ['US']], ['currency', 1]] as const) {
      const res = await request(t.app).post('/api/v1/locations').set(admin()).send({ name: 'Typed', [field]: value });
      clean(res, 400);
      // The contract's validator (src/portal/api/openapi) answers first, with the field's pointer.
      assert.equal(res.body.error.code, 'invalid_request');
      assert.deepEqual(res.body.error.details.errors.map((e: { pointer: string }) => e.pointer), [`/body/${field}`]);
    }
  });
});
