import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readPushCertRequest } from '../../../src/apns/push-cert-request.js';
import { PushCertificateService } from '../../../src/business/push-certificates.js';
import { AdjustableClock, DAY_MS } from '../../../src/clock.js';
import { issueCertificate, toPem } from '../../../src/crypto/certificates.js';
import { generateRsaKeyPair, keyToPem } from '../../../src/crypto/keys.js';
import { buildPkcs12 } from '../../../src/crypto/pkcs12.js';
import type { Identity } from '../../../src/crypto/types.js';
import { DomainError } from '../../../src/business/errors.js';
import { openDb } from '../../../src/store/db.js';
import { SqlitePushCertificateRepository } from '../../../src/store/push-certificates.js';
import { Scratch, openssl } from '../crypto/openssl.js';

async function ca(cn: string, clock: AdjustableClock): Promise<Identity> {
  const pair = await generateRsaKeyPair();
  const now = clock.now();
  const cert = await issueCertificate({ subject: { CN: cn }, publicKey: pair.publicKey, signingKey: pair.privateKey, notBefore: now, notAfter: new Date(now.getTime() + 3650 * DAY_MS), ca: true });
  return { cert, key: pair.privateKey };
}

async function pushCert(issuer: Identity, topic: string, clock: AdjustableClock, days = 365) {
  const pair = await generateRsaKeyPair();
  const now = clock.now();
  const cert = await issueCertificate({ subject: { UID: topic, CN: 'APSP:test' }, publicKey: pair.publicKey, issuer, notBefore: now, notAfter: new Date(now.getTime() + days * DAY_MS), extendedKeyUsage: ['clientAuth'] });
  return { cert, key: pair.privateKey };
}

describe('push certificates', () => {
  const clock = new AdjustableClock();
  let db: ReturnType<typeof openDb>;
  let svc: PushCertificateService;
  let pushCa: Identity;
  const orgId = 'ORG-1';
  const topic = 'com.apple.mgmt.External.11111111-2222-3333-4444-555555555555';
  before(async () => {
    pushCa = await ca('Orchard Local Push CA', clock);
  });
  beforeEach(() => {
    db = openDb(':memory:');
    db.prepare("INSERT INTO organisations (id, name, org_id, created_at) VALUES (?, 'Org', '1234567', '2026-01-01')").run(orgId);
    svc = new PushCertificateService(new SqlitePushCertificateRepository(db), clock, randomBytes(32));
  });

  it('reads topic and expiry from a PKCS#12 upload and keeps the key sealed at rest', async () => {
    const { cert, key } = await pushCert(pushCa, topic, clock);
    const p12 = buildPkcs12({ key, cert, password: 'secret' });
    const st = await svc.upload(orgId, 'admin@x', { pkcs12: p12, password: 'secret' });
    assert.equal(st.topic, topic);
    assert.equal(st.notAfter.getTime(), new Date(cert.validTo).getTime());
    assert.equal(st.warning, undefined);
    const row = db.prepare('SELECT * FROM push_certificates').get() as Record<string, string>;
    assert.ok(!JSON.stringify(row).includes('PRIVATE KEY'), 'no private key in plain text');
    assert.match(row.key_sealed!, /^v1:/);
    const id = await svc.identity(orgId);
    assert.match(id!.keyPem, /BEGIN PRIVATE KEY/);
  });

  it('refuses a wrong PKCS#12 password, a non-MDM topic, an expired certificate, and a key of another certificate — changing nothing', async () => {
    const { cert, key } = await pushCert(pushCa, topic, clock);
    await assert.rejects(svc.upload(orgId, 'a', { pkcs12: buildPkcs12({ key, cert, password: 'right' }), password: 'wrong' }), /password|mac/i);
    const web = await pushCert(pushCa, 'com.example.web', clock);
    await assert.rejects(svc.upload(orgId, 'a', { certificatePem: toPem(web.cert), privateKeyPem: keyToPem(web.key) }), (e: DomainError) => e.code === 'push_certificate_not_mdm');
    const other = await pushCert(pushCa, topic, clock);
    await assert.rejects(svc.upload(orgId, 'a', { certificatePem: toPem(cert), privateKeyPem: keyToPem(other.key) }), (e: DomainError) => e.code === 'push_certificate_key_mismatch');
    const old = await pushCert(pushCa, topic, clock, 1);
    clock.advance(2 * DAY_MS);
    await assert.rejects(svc.upload(orgId, 'a', { certificatePem: toPem(old.cert), privateKeyPem: keyToPem(old.key) }), (e: DomainError) => e.code === 'push_certificate_expired');
    clock.advance(-2 * DAY_MS);
    assert.equal(await svc.status(orgId), undefined);
  });

  it('renewal keeps the topic: another topic is refused, the same topic replaces the certificate', async () => {
    const first = await pushCert(pushCa, topic, clock);
    await svc.upload(orgId, 'a', { certificatePem: toPem(first.cert), privateKeyPem: keyToPem(first.key) });
    const other = await pushCert(pushCa, 'com.apple.mgmt.External.99999999-2222-3333-4444-555555555555', clock);
    await assert.rejects(svc.upload(orgId, 'a', { certificatePem: toPem(other.cert), privateKeyPem: keyToPem(other.key) }), (e: DomainError) => e.code === 'push_topic_changed');
    assert.equal((await svc.status(orgId))!.serialNumber.toLowerCase(), first.cert.serialNumber.toLowerCase());
    const renewed = await pushCert(pushCa, topic, clock, 730);
    const st = await svc.upload(orgId, 'a', { certificatePem: toPem(renewed.cert), privateKeyPem: keyToPem(renewed.key) });
    assert.equal(st.serialNumber.toLowerCase(), renewed.cert.serialNumber.toLowerCase());
  });

  it('warns before expiry and when expired (injected clock)', async () => {
    const { cert, key } = await pushCert(pushCa, topic, clock, 40);
    await svc.upload(orgId, 'a', { certificatePem: toPem(cert), privateKeyPem: keyToPem(key) });
    assert.equal((await svc.status(orgId))!.warning, undefined);
    clock.advance(15 * DAY_MS);
    assert.equal((await svc.status(orgId))!.warning, 'expiring');
    clock.advance(30 * DAY_MS);
    assert.equal((await svc.status(orgId))!.warning, 'expired');
    clock.advance(-45 * DAY_MS);
  });

  it('makes the request file in Apple\'s format: base64 plist with CSR, vendor chain and a SHA1withRSA signature openssl verifies', async () => {
    const vendorCa = await ca('Vendor Root', clock);
    const vendor = await pushCert(vendorCa, 'vendor', clock);
    const file = await svc.createRequest(orgId, 'Demo Org', { cert: vendor.cert, key: vendor.key, chain: [vendorCa.cert] });
    const xml = Buffer.from(file, 'base64').toString('utf8');
    const keys = execFileSync('python3', ['-c', 'import plistlib,sys; d=plistlib.loads(sys.stdin.buffer.read()); print(sorted(d.keys()))'], { input: xml }).toString().trim();
    assert.equal(keys, "['PushCertCertificateChain', 'PushCertRequestCSR', 'PushCertSignature']");
    const req = readPushCertRequest(file);
    assert.equal(req.vendorChain.length, 2);
    const s = new Scratch();
    try {
      const plistObj = JSON.parse(execFileSync('python3', ['-c', 'import plistlib,sys,json; d=plistlib.loads(sys.stdin.buffer.read()); print(json.dumps(d))'], { input: xml }).toString());
      s.file('csr.der', Buffer.from(plistObj.PushCertRequestCSR, 'base64'));
      s.file('sig.bin', Buffer.from(plistObj.PushCertSignature, 'base64'));
      s.file('vendor.pem', toPem(vendor.cert));
      openssl('x509', '-in', s.file('vendor.pem'), '-pubkey', '-noout', '-out', s.file('vendor.pub'));
      assert.match(openssl('dgst', '-sha1', '-verify', s.file('vendor.pub'), '-signature', s.file('sig.bin'), s.file('csr.der')), /Verified OK/);
      assert.match(openssl('req', '-inform', 'DER', '-in', s.file('csr.der'), '-noout', '-subject'), /Demo Org/);
    } finally {
      s.remove();
    }
    // The local portal issues a certificate for that CSR; uploading just the PEM uses the pending key.
    const issued = await svc.issueFromLocalPortal(file, pushCa);
    const st = await svc.upload(orgId, 'a', { certificatePem: toPem(issued) });
    assert.match(st.topic, /^com\.apple\.mgmt\.External\.[0-9a-f-]{36}$/);
  });

  it('refuses a request file whose signature does not verify', async () => {
    const vendorCa = await ca('Vendor Root', clock);
    const vendor = await pushCert(vendorCa, 'vendor', clock);
    const file = await svc.createRequest(orgId, 'Demo Org', { cert: vendor.cert, key: vendor.key });
    const xml = Buffer.from(file, 'base64').toString('utf8').replace(/<key>PushCertSignature<\/key>\s*<string>[^<]+<\/string>/, `<key>PushCertSignature</key><string>${randomBytes(256).toString('base64')}</string>`);
    assert.throws(() => readPushCertRequest(Buffer.from(xml).toString('base64')), /does not verify/);
  });
});
