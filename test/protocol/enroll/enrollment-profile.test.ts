import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { fingerprintOf, subjectUid, verifyIssuedBy } from '../../../src/crypto/certificates.js';
import { generateRsaKeyPair } from '../../../src/crypto/keys.js';
import { parsePkcs12 } from '../../../src/crypto/pkcs12.js';
import { openProfile, payloadOfType } from '../../../src/sim/profile.js';
import { scepEnrol, ScepEnrolmentError } from '../../../src/sim/scep-client.js';
import { dataOf } from '../../../src/plist/index.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { listenOnLoopback } from '../../support/listen.js';
import { plistlibRead, smimeVerify } from '../../support/openssl.js';

const binary = (r: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('GET /api/v1/enrollment-profile (manual enrolment)', () => {
  let t: TestOrchard;
  before(async () => {
    t = await buildTestOrchard({ baseUrl: 'https://orchard.example.test' });
  });
  const download = (token: string, query = '') =>
    request(t.app).get(`/api/v1/enrollment-profile${query}`).set('Authorization', `Bearer ${token}`).buffer(true).parse(binary);

  it('answers a signed profile as application/x-apple-aspen-config that openssl verifies and plistlib reads', async () => {
    const res = await download(t.adminToken);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-apple-aspen-config');
    assert.match(res.headers['content-disposition'], /\.mobileconfig"$/);
    const xml = await smimeVerify(res.body);
    assert.match(xml.toString('utf8'), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
    // Full verification too: the signer chains to Orchard's CA.
    assert.deepEqual(await smimeVerify(res.body, t.deps.pki.ca.cert.toString()), xml);
    const p = await plistlibRead(xml);
    assert.equal(p.PayloadType, 'Configuration');
    assert.equal(p.PayloadVersion, 1);
    assert.equal(p.PayloadScope, 'System');
    assert.equal(p.PayloadOrganization, 'Orchard Demo Company');
    assert.deepEqual(p.ConsentText, { default: 'By enrolling this device you agree that Orchard Demo Company may manage it.' });
    const types = p.PayloadContent.map((x: any) => x.PayloadType);
    assert.deepEqual(types, ['com.apple.security.root', 'com.apple.security.scep', 'com.apple.mdm']);
    const [root, scep, mdm] = p.PayloadContent;
    assert.equal(root.PayloadContent.$data, t.deps.pki.ca.cert.raw.toString('base64'));
    assert.deepEqual(Object.keys(mdm).sort(), [
      'AccessRights', 'CheckInURL', 'CheckOutWhenRemoved', 'IdentityCertificateUUID', 'PayloadDisplayName', 'PayloadIdentifier',
      'PayloadOrganization', 'PayloadType', 'PayloadUUID', 'PayloadVersion', 'ServerCapabilities', 'ServerURL', 'SignMessage', 'Topic',
    ]);
    assert.equal(mdm.ServerURL, 'https://orchard.example.test/mdm/connect');
    assert.equal(mdm.CheckInURL, 'https://orchard.example.test/mdm/checkin');
    assert.equal(mdm.SignMessage, true);
    assert.equal(mdm.AccessRights, 8191);
    assert.equal(mdm.CheckOutWhenRemoved, true);
    assert.deepEqual(mdm.ServerCapabilities, ['com.apple.mdm.per-user-connections', 'com.apple.mdm.bootstraptoken']);
    assert.equal(mdm.IdentityCertificateUUID, scep.PayloadUUID);
    assert.equal(mdm.Topic, subjectUid((await t.deps.pushTopic.pushIdentity()).cert));
    assert.match(mdm.Topic, /^com\.apple\.mgmt\.External\.[0-9a-f-]{36}$/);
    assert.equal(scep.PayloadContent.URL, 'https://orchard.example.test/scep');
    assert.match(scep.PayloadContent.Challenge, /^[0-9a-f]{40}$/);
    assert.equal(scep.PayloadContent.Keysize, 2048);
    assert.equal(scep.PayloadContent['Key Type'], 'RSA');
    assert.deepEqual(scep.PayloadContent.Subject, [[['O', 'Orchard Demo Company']], [['CN', 'Orchard Demo Company managed device']]]);
    assert.equal(scep.PayloadContent.CAFingerprint.$data, createHash('sha1').update(t.deps.pki.ca.cert.raw).digest('base64'));
    const uuids = [p.PayloadUUID, root.PayloadUUID, scep.PayloadUUID, mdm.PayloadUUID];
    assert.equal(new Set(uuids).size, 4);
  });

  it('puts a fresh one-time challenge in each download', async () => {
    const a = openProfile((await download(t.adminToken)).body, [], t.clock.now());
    const b = openProfile((await download(t.adminToken)).body, [], t.clock.now());
    const challenge = (o: typeof a) => (payloadOfType(o.profile, 'com.apple.security.scep')!.PayloadContent as any).Challenge;
    assert.notEqual(challenge(a), challenge(b));
  });

  it('lets a device enrol over SCEP with the profile\'s challenge, once', async () => {
    const server = await listenOnLoopback(t.app);
    try {
      const opened = openProfile((await download(t.adminToken)).body, [t.deps.pki.ca.cert], t.clock.now());
      assert.equal(opened.verified, true);
      const scep = payloadOfType(opened.profile, 'com.apple.security.scep')!.PayloadContent as any;
      const keys = await generateRsaKeyPair(2048);
      const url = scep.URL.replace('https://orchard.example.test', server.url);
      const id = await scepEnrol({ url, challenge: scep.Challenge, subject: { CN: 'manual-device' }, keys, now: t.clock.now(), caFingerprint: dataOf(scep.CAFingerprint) });
      assert.ok(verifyIssuedBy(id.cert, t.deps.pki.ca.cert));
      assert.equal((await t.deps.store.mdmIdentities.get(fingerprintOf(id.cert)))?.orgId, t.orgId);
      await assert.rejects(scepEnrol({ url, challenge: scep.Challenge, subject: { CN: 'manual-device' }, keys, now: t.clock.now() }),
        (e: ScepEnrolmentError) => e.failInfo === 'badRequest');
    } finally {
      await server.close();
    }
  });

  it('offers a PKCS#12 identity instead with ?identity=pkcs12', async () => {
    const res = await download(t.adminToken, '?identity=pkcs12');
    assert.equal(res.status, 200);
    const opened = openProfile(res.body, [t.deps.pki.ca.cert], t.clock.now());
    const p12 = payloadOfType(opened.profile, 'com.apple.security.pkcs12')!;
    const mdm = payloadOfType(opened.profile, 'com.apple.mdm')!;
    assert.equal(mdm.IdentityCertificateUUID, p12.PayloadUUID);
    const id = parsePkcs12(dataOf(p12.PayloadContent)!, p12.Password as string);
    assert.ok(verifyIssuedBy(id.cert, t.deps.pki.ca.cert));
    assert.equal((await t.deps.store.mdmIdentities.get(fingerprintOf(id.cert)))?.orgId, t.orgId);
  });

  it('is for Administrators and Device Managers only', async () => {
    assert.equal((await download(await t.tokenFor(['DeviceManager']))).status, 200);
    for (const role of ['ContentManager', 'PeopleManager', 'Staff']) {
      const res = await request(t.app).get('/api/v1/enrollment-profile').set('Authorization', `Bearer ${await t.tokenFor([role])}`);
      assert.equal(res.status, 403, role);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await request(t.app).get('/api/v1/enrollment-profile')).status, 401);
  });

  it('refuses an unknown identity kind with 400', async () => {
    const res = await request(t.app).get('/api/v1/enrollment-profile?identity=acme').set('Authorization', `Bearer ${t.adminToken}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'identity_invalid');
  });
});
