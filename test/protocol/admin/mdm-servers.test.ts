import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey, tokenJson, type ServerKey } from '../../support/mdm-server-cert.js';

const binary = (res: any, cb: (err: Error | null, body: string) => void) => {
  let data = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (data += c));
  res.on('end', () => cb(null, data));
};

/** A fixed instant inside the test certificates' validity (they are made now, valid a year). */
const soon = (ms = 0) => new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000 + ms);
const iso = (d: Date) => d.toISOString();
const plusYear = (d: Date) => { const r = new Date(d); r.setUTCFullYear(r.getUTCFullYear() + 1); return r; };
const stamp = (d: Date) => iso(d).replace(/\.\d{3}Z$/, 'Z');

describe('admin API: MDM servers and server tokens', () => {
  let t: TestOrchard;
  let key: ServerKey;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  before(() => { key = makeServerKey(); });
  beforeEach(async () => { t = await buildTestOrchard(); });

  async function createServer(name = 'Example MDM', pem = key.certPem) {
    return request(t.app).post('/api/v1/mdm-servers').set(auth()).send({ name, public_key: pem });
  }
  async function download(id: string) {
    return request(t.app).get(`/api/v1/mdm-servers/${id}/token`).set(auth()).buffer(true).parse(binary);
  }

  it('POST /mdm-servers answers 201 with the server id, uuid and token facts', async () => {
    const at = soon(789);
    t.clock.freeze(at);
    const res = await createServer();
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^[0-9A-F-]{36}$/);
    assert.match(res.body.server_uuid, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.equal(res.body.name, 'Example MDM');
    assert.equal(res.body.token.issued_at, iso(at));
    assert.equal(res.body.token.expires_at, iso(plusYear(new Date(at.getTime() - 789))));
    assert.equal(res.body.token.file_name, `Example MDM_Token_${stamp(at).replace(/:/g, '-')}_smime.p7m`);
    const list = await request(t.app).get('/api/v1/mdm-servers').set(auth());
    assert.deepEqual(list.body.items.map((s: any) => s.id), [res.body.id]);
  });

  it('GET /mdm-servers/{id}/token is an S/MIME p7m that openssl smime -decrypt reads, expiring in one year', async () => {
    const at = soon();
    t.clock.freeze(at);
    const { body: server } = await createServer();
    const res = await download(server.id);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/pkcs7-mime/);
    assert.equal(res.headers['content-disposition'], `attachment; filename="Example MDM_Token_${stamp(at).replace(/:/g, '-')}_smime.p7m"`);
    assert.match(res.body, /^Content-Type: application\/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data\r\n/);
    const plain = key.decrypt(res.body);
    assert.match(plain, /^Content-Type: text\/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\r\n\{.*\}\r\n-----END MESSAGE-----/);
    const json = tokenJson(plain);
    assert.deepEqual(Object.keys(json), ['consumer_key', 'consumer_secret', 'access_token', 'access_secret', 'access_token_expiry']);
    assert.match(json.consumer_key!, /^CK_[0-9a-f]{128}$/);
    assert.match(json.consumer_secret!, /^CS_[0-9a-f]{128}$/);
    assert.match(json.access_token!, /^AT_[0-9a-f]{128}$/);
    assert.match(json.access_secret!, /^AS_[0-9a-f]{128}$/);
    assert.equal(json.access_token_expiry, stamp(plusYear(at)));
    // The DEP API can authenticate with it; the secrets are stored sealed, never in plain text.
    const auth2 = await t.deps.services.servers.authenticateConsumer(json.consumer_key!, json.access_token!);
    assert.equal(auth2?.server.id, server.id);
    assert.equal(auth2?.token.consumerSecret, json.consumer_secret);
    assert.equal(auth2?.token.accessSecret, json.access_secret);
    assert.equal(await t.deps.services.servers.authenticateConsumer(json.consumer_key!, 'AT_wrong'), undefined);
    const rec = await t.deps.store.mdmServers.currentToken(server.id);
    assert.ok(!rec!.consumerSecretSealed.includes(json.consumer_secret!.slice(3)) && !rec!.accessSecretSealed.includes(json.access_secret!.slice(3)));
    assert.match(rec!.consumerSecretSealed, /^v1:/);
  });

  it('an expired token is refused for download after one year; renewal issues a new one and revokes the old at once', async () => {
    const at = soon();
    t.clock.freeze(at);
    const { body: server } = await createServer();
    const old = tokenJson(key.decrypt((await download(server.id)).body));
    t.clock.advance(365 * 86_400_000 - 1000);
    assert.equal((await download(server.id)).status, 200);
    t.clock.advance(2000);
    const expired = await request(t.app).get(`/api/v1/mdm-servers/${server.id}/token`).set(auth());
    assert.equal(expired.status, 409);
    assert.equal(expired.body.error.code, 'token_expired');

    // The first key's certificate has expired by now too: renew with a new key (valid 3 years).
    const newKey = makeServerKey({ days: 3 * 365 });
    const renewed = await request(t.app).post(`/api/v1/mdm-servers/${server.id}/token`).set(auth()).send({ public_key: newKey.certPem });
    assert.equal(renewed.status, 201);
    assert.equal(renewed.body.token.expires_at, iso(plusYear(new Date(at.getTime() + 365 * 86_400_000 + 1000))));
    const fresh = tokenJson(newKey.decrypt((await download(server.id)).body));
    assert.notEqual(fresh.consumer_key, old.consumer_key);
    const was = await t.deps.services.servers.authenticateConsumer(old.consumer_key!, old.access_token!);
    assert.ok(was?.token.revokedAt, 'the old token is revoked');
    const now = await t.deps.services.servers.authenticateConsumer(fresh.consumer_key!, fresh.access_token!);
    assert.equal(now?.token.revokedAt, undefined);
    // Renewing with the key on file (the new one) works too, and revokes the one before.
    const again = await request(t.app).post(`/api/v1/mdm-servers/${server.id}/token`).set(auth()).send({});
    assert.equal(again.status, 201);
    assert.ok((await t.deps.services.servers.authenticateConsumer(fresh.consumer_key!, fresh.access_token!))?.token.revokedAt);
    assert.ok(newKey.decrypt((await download(server.id)).body).includes('BEGIN MESSAGE'));
  });

  describe('bad certificates change nothing', () => {
    const cases: Array<[string, () => string, string]> = [
      ['text that is no certificate', () => 'hello', 'certificate_invalid'],
      ['a PEM block with garbage inside', () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'certificate_invalid'],
      ['a certificate with an EC key', () => makeServerKey({ ec: true }).certPem, 'certificate_key_unsupported'],
      ['a certificate with a 1024-bit RSA key', () => makeServerKey({ bits: 1024 }).certPem, 'certificate_key_too_small'],
    ];
    for (const [what, pem, code] of cases) {
      it(`refuses ${what} with 400 ${code}`, async () => {
        const res = await createServer('Bad', pem());
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, code);
        assert.deepEqual((await request(t.app).get('/api/v1/mdm-servers').set(auth())).body.items, []);
      });
    }
    it('refuses an expired certificate with 400 certificate_expired', async () => {
      const short = makeServerKey({ days: 1 });
      t.clock.advance(2 * 86_400_000);
      const res = await createServer('Late', short.certPem);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'certificate_expired');
    });
    it('refuses a duplicate name with 409 and a missing name with 400', async () => {
      await createServer('Same');
      assert.equal((await createServer('Same')).status, 409);
      assert.equal((await createServer('  ')).body.error.code, 'name_invalid');
    });
  });

  it('lets a Device Manager manage servers, refuses Staff and People Managers, and hides other organisations\' servers', async () => {
    const dm = await t.tokenFor(['DeviceManager']);
    const created = await request(t.app).post('/api/v1/mdm-servers').set('Authorization', `Bearer ${dm}`).send({ name: 'DM server', public_key: key.certPem });
    assert.equal(created.status, 201);
    for (const role of ['Staff', 'PeopleManager']) {
      const tok = await t.tokenFor([role]);
      const res = await request(t.app).post('/api/v1/mdm-servers').set('Authorization', `Bearer ${tok}`).send({ name: 'x', public_key: key.certPem });
      assert.equal(res.status, 403);
    }
    const other = await t.otherOrg();
    const peek = await request(t.app).get(`/api/v1/mdm-servers/${created.body.id}/token`).set('Authorization', `Bearer ${other.token}`);
    assert.equal(peek.status, 404);
    assert.equal(peek.body.error.code, 'server_not_found');
  });

  it('sets and clears default servers per family, refusing unknown families and servers', async () => {
    const { body: a } = await createServer('A');
    const put = await request(t.app).put('/api/v1/mdm-server-defaults').set(auth()).send({ Mac: a.id, iPad: a.id });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, { Mac: { id: a.id, name: 'A' }, iPhone: null, iPad: { id: a.id, name: 'A' }, AppleTV: null });
    const cleared = await request(t.app).put('/api/v1/mdm-server-defaults').set(auth()).send({ iPad: null });
    assert.equal(cleared.body.iPad, null);
    assert.equal((await request(t.app).put('/api/v1/mdm-server-defaults').set(auth()).send({ Watch: a.id })).body.error.code, 'family_invalid');
    assert.equal((await request(t.app).put('/api/v1/mdm-server-defaults').set(auth()).send({ Mac: 'nope' })).status, 404);
  });
});
