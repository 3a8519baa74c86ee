// Admin API for the MDM push certificate: the request file in Apple's format from an MDM vendor
// identity, Orchard's local stand-in for Apple's push portal, upload (PEM with the pending key,
// PKCS#12, PEM with key), renewal keeping the topic, expiry warning, permissions, bad input.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import request from 'supertest';
import { readPushCertRequest } from '../../../src/apns/push-cert-request.js';
import { extensionOids, subjectUid } from '../../../src/apns/peer-certificate.js';
import { DAY_MS } from '../../../src/clock.js';
import { issueCertificate, toPem } from '../../../src/crypto/certificates.js';
import { generateRsaKeyPair, keyToPem } from '../../../src/crypto/keys.js';
import { buildPkcs12 } from '../../../src/crypto/pkcs12.js';
import type { Identity } from '../../../src/crypto/types.js';
import { parsePlistDict } from '../../../src/plist/index.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeCa, pkiOf } from '../../support/mdm.js';

async function leaf(issuer: Identity, subject: Record<string, string>, days = 365): Promise<Identity> {
  const keys = await generateRsaKeyPair(2048);
  const now = new Date();
  const cert = await issueCertificate({
    subject, publicKey: keys.publicKey, issuer, notBefore: new Date(now.getTime() - DAY_MS), notAfter: new Date(now.getTime() + days * DAY_MS),
    keyUsage: ['digitalSignature'], extendedKeyUsage: ['clientAuth'],
  });
  return { cert, key: keys.privateKey, chain: [issuer.cert] };
}

/** The local portal answers application/x-pem-file, which supertest does not parse as text. */
const asText = (r: request.Test) => r.buffer(true).parse((res, cb) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  res.on('end', () => cb(null, text));
});

describe('admin API: push certificate', () => {
  let t: TestOrchard;
  let vendorCa: Identity;
  let vendor: Identity;
  let topic: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  before(async () => {
    t = await buildTestOrchard({}, { pki: pkiOf(await makeCa('Orchard Test Push CA')) });
    vendorCa = await makeCa('Test Vendor CA');
    vendor = await leaf(vendorCa, { CN: 'MDM Vendor: Orchard Tests', O: 'Orchard Tests' });
  });

  it('404 push_certificate_missing before any certificate is installed', async () => {
    const res = await request(t.app).get('/api/v1/push-certificate').set(auth());
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'push_certificate_missing');
  });

  it('makes the request file in Apple format, the local portal issues it, and the PEM alone installs it', async () => {
    const req = await request(t.app).post('/api/v1/push-certificate/request').set(auth())
      .send({ vendor_certificate: toPem(vendor.cert), vendor_private_key: keyToPem(vendor.key), vendor_chain: toPem(vendorCa.cert) });
    assert.equal(req.status, 201);
    assert.equal(req.headers['content-disposition'], 'attachment; filename=PushCertificateRequest.plist');
    const file = req.text;
    const dict = parsePlistDict(Buffer.from(file, 'base64'));
    assert.deepEqual(Object.keys(dict).sort(), ['PushCertCertificateChain', 'PushCertRequestCSR', 'PushCertSignature']);
    assert.equal(String(dict.PushCertCertificateChain), toPem(vendor.cert) + toPem(vendorCa.cert));
    const parsed = readPushCertRequest(file);
    assert.equal(parsed.vendorChain[0]!.fingerprint256, vendor.cert.fingerprint256);

    const portal = await asText(request(t.app).post('/api/v1/push-certificate/local-portal').set(auth()).send({ request: file }));
    assert.equal(portal.status, 201);
    assert.match(portal.headers['content-type']!, /^application\/x-pem-file/);
    const issued = new X509Certificate(portal.body);
    topic = subjectUid(issued)!;
    assert.match(topic, /^com\.apple\.mgmt\.External\.[0-9a-f-]{36}$/);
    assert.ok(issued.checkIssued(t.deps.pki!.pushCa.cert));
    const oids = extensionOids(issued.raw);
    assert.ok(oids.has('1.2.840.113635.100.6.3.1') && oids.has('1.2.840.113635.100.6.3.2'), 'both Apple push extensions');

    const put = await request(t.app).put('/api/v1/push-certificate').set(auth()).send({ certificate: portal.body });
    assert.equal(put.status, 200);
    assert.equal(put.body.topic, topic);
    assert.equal(put.body.serial_number.toLowerCase(), issued.serialNumber.toLowerCase());
    assert.equal(put.body.not_after, new Date(issued.validTo).toISOString());
    assert.ok(put.body.days_left >= 364);
    assert.equal(put.body.warning, null);
    assert.equal(put.body.last_error, null);
    assert.match(put.body.subject, new RegExp(`UID=${topic.replace(/\./g, '\\.')}`));
    const get = await request(t.app).get('/api/v1/push-certificate').set(auth());
    assert.deepEqual(get.body, put.body);
  });

  it('renews with a vendor PKCS#12: the local portal keeps the topic; another topic is refused with 409', async () => {
    const p12 = buildPkcs12({ key: vendor.key, cert: vendor.cert, password: 'vendor pass' });
    const req = await request(t.app).post('/api/v1/push-certificate/request').set(auth())
      .send({ vendor_pkcs12: p12.toString('base64'), vendor_password: 'vendor pass' });
    assert.equal(req.status, 201);
    const portal = await asText(request(t.app).post('/api/v1/push-certificate/local-portal').set(auth()).send({ request: req.text }));
    assert.equal(subjectUid(new X509Certificate(portal.body)), topic);
    const renewed = await request(t.app).put('/api/v1/push-certificate').set(auth()).send({ certificate: portal.body });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.topic, topic);

    const other = await leaf(t.deps.pki!.pushCa, { UID: 'com.apple.mgmt.External.00000000-1111-4222-8333-444444444444', CN: 'APSP:other' });
    const refused = await request(t.app).put('/api/v1/push-certificate').set(auth())
      .send({ pkcs12: buildPkcs12({ key: other.key, cert: other.cert, password: 'p' }).toString('base64'), password: 'p' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'push_topic_changed');
    assert.equal((await request(t.app).get('/api/v1/push-certificate').set(auth())).body.serial_number, renewed.body.serial_number);
  });

  it('uploads PEM certificate with its key, and warns 30 days before expiry', async () => {
    const soon = await leaf(t.deps.pki!.pushCa, { UID: topic, CN: 'APSP:soon' }, 40);
    const put = await request(t.app).put('/api/v1/push-certificate').set(auth())
      .send({ certificate: toPem(soon.cert), private_key: keyToPem(soon.key) });
    assert.equal(put.status, 200);
    assert.equal(put.body.warning, null);
    t.clock.advance(15 * DAY_MS);
    const later = await request(t.app).get('/api/v1/push-certificate').set(auth());
    assert.equal(later.body.warning, 'expiring');
    assert.ok(later.body.days_left < 30 && later.body.days_left >= 23);
    t.clock.advance(30 * DAY_MS);
    assert.equal((await request(t.app).get('/api/v1/push-certificate').set(auth())).body.warning, 'expired');
    t.clock.advance(-45 * DAY_MS);
  });

  it('refuses bad input: nothing to upload, a wrong PKCS#12 password, a tampered request file', async () => {
    const none = await request(t.app).put('/api/v1/push-certificate').set(auth()).send({});
    assert.deepEqual([none.status, none.body.error.code], [400, 'certificate_required']);
    const p12 = buildPkcs12({ key: vendor.key, cert: vendor.cert, password: 'right' });
    const wrong = await request(t.app).put('/api/v1/push-certificate').set(auth()).send({ pkcs12: p12.toString('base64'), password: 'wrong' });
    assert.equal(wrong.status, 400);
    const noVendor = await request(t.app).post('/api/v1/push-certificate/request').set(auth()).send({});
    assert.deepEqual([noVendor.status, noVendor.body.error.code], [400, 'vendor_identity_required']);
    const req = await request(t.app).post('/api/v1/push-certificate/request').set(auth())
      .send({ vendor_certificate: toPem(vendor.cert), vendor_private_key: keyToPem(vendor.key) });
    const dict = parsePlistDict(Buffer.from(req.text, 'base64'));
    const other = await leaf(vendorCa, { CN: 'Someone else' });
    const xml = Buffer.from(req.text, 'base64').toString('utf8').replace(String(dict.PushCertCertificateChain), toPem(other.cert));
    const tampered = await request(t.app).post('/api/v1/push-certificate/local-portal').set(auth()).send({ request: Buffer.from(xml).toString('base64') });
    assert.deepEqual([tampered.status, tampered.body.error.code], [400, 'crypto_bad_signature']);
  });

  it('only Administrators (push.manage) see or change it', async () => {
    const dm = await t.tokenFor(['DeviceManager']);
    for (const [method, path] of [['get', '/api/v1/push-certificate'], ['put', '/api/v1/push-certificate'], ['post', '/api/v1/push-certificate/request'], ['post', '/api/v1/push-certificate/local-portal']] as const) {
      const res = await request(t.app)[method](path).set('Authorization', `Bearer ${dm}`).send({});
      assert.equal(res.status, 403, `${method} ${path}`);
    }
    const other = await t.otherOrg();
    const res = await request(t.app).get('/api/v1/push-certificate').set('Authorization', `Bearer ${other.token}`);
    assert.equal(res.status, 404, "another organisation does not see this one's certificate");
  });
});
