import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  ChainCache,
  certificateFacts,
  certificatesFromPem,
  issueCertificate,
  parseCertificate,
  subjectUid,
  toPem,
  verifyChain,
  verifyIssuedBy,
} from '../../../src/crypto/certificates.js';
import { generateEcKeyPair, generateRsaKeyPair, keyToPem } from '../../../src/crypto/keys.js';
import { CryptoError, type Identity } from '../../../src/crypto/types.js';
import { openssl, opensslOk, Scratch } from './openssl.js';

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2035-01-01T00:00:00Z');
const AT = new Date('2026-06-01T00:00:00Z');

async function makeCa(subject = { CN: 'Orchard Test CA', O: 'Orchard', C: 'GB' }): Promise<Identity> {
  const { privateKey, publicKey } = await generateRsaKeyPair();
  const cert = await issueCertificate({ subject, publicKey, signingKey: privateKey, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: true });
  return { cert, key: privateKey };
}

function rejectsWith(fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: unknown) => err instanceof CryptoError && err.reason === reason);
}

describe('crypto/certificates', () => {
  let scratch: Scratch;
  let ca: Identity;
  before(async () => {
    scratch = new Scratch();
    ca = await makeCa();
  });
  after(() => scratch.remove());

  it('issues a push-style leaf that openssl verifies against the CA and whose subject shows the UID', async () => {
    const { publicKey } = await generateRsaKeyPair();
    const topic = 'com.apple.mgmt.External.3f1c2b9e-0000-4a4a-9d9d-0123456789ab';
    const leaf = await issueCertificate({
      subject: { CN: 'APSP:3f1c2b9e', UID: topic, C: 'US' },
      publicKey,
      issuer: ca,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      extendedKeyUsage: ['clientAuth'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
    });
    const caFile = scratch.file('ca.pem', toPem(ca.cert));
    const leafFile = scratch.file('push.pem', toPem(leaf));
    assert.equal(openssl('verify', '-attime', String(AT.getTime() / 1000), '-CAfile', caFile, leafFile).trim(), `${leafFile}: OK`);
    assert.equal(
      openssl('x509', '-in', leafFile, '-noout', '-subject', '-nameopt', 'RFC2253').trim(),
      `subject=UID=${topic},CN=APSP:3f1c2b9e,C=US`,
    );
    assert.equal(subjectUid(leaf), topic);
    const text = openssl('x509', '-in', leafFile, '-noout', '-text');
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment/);
    assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication/);
  });

  it('writes subjectKeyIdentifier as openssl computes it and authorityKeyIdentifier as the CA\'s', async () => {
    const { privateKey, publicKey } = await generateRsaKeyPair();
    const leaf = await issueCertificate({ subject: { CN: 'ski' }, publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
    const keyFile = scratch.file('ski.key', keyToPem(privateKey));
    const osslFile = scratch.file('ski-openssl.pem');
    openssl('req', '-x509', '-key', keyFile, '-subj', '/CN=ski', '-days', '1', '-out', osslFile);
    const skiOf = (file: string) => /Subject Key Identifier: ?\n\s+([0-9A-F:]+)/.exec(openssl('x509', '-in', file, '-noout', '-text'))![1];
    const akiOf = (file: string) => /Authority Key Identifier: ?\n\s+(?:keyid:)?([0-9A-F:]+)/.exec(openssl('x509', '-in', file, '-noout', '-text'))![1];
    const leafFile = scratch.file('ski-ours.pem', toPem(leaf));
    assert.equal(skiOf(leafFile), skiOf(osslFile));
    assert.equal(akiOf(leafFile), skiOf(scratch.file('ski-ca.pem', toPem(ca.cert))));
  });

  it('issues EC certificates (ecdsa-with-SHA256) under an EC CA, with subjectAltName', async () => {
    const caKeys = await generateEcKeyPair();
    const ecCa = await issueCertificate({ subject: { CN: 'EC CA' }, publicKey: caKeys.publicKey, signingKey: caKeys.privateKey, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: { pathLength: 0 } });
    const leafKeys = await generateEcKeyPair('P-384');
    const leaf = await issueCertificate({
      subject: { CN: 'mdm.example.test' },
      publicKey: leafKeys.publicKey,
      issuer: { cert: ecCa, key: caKeys.privateKey },
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      extendedKeyUsage: ['serverAuth'],
      subjectAltName: { dns: ['mdm.example.test'], ip: ['127.0.0.1'], uri: ['https://mdm.example.test/'], email: ['ops@example.test'] },
    });
    const caFile = scratch.file('ec-ca.pem', toPem(ecCa));
    const leafFile = scratch.file('ec-leaf.pem', toPem(leaf));
    assert.equal(openssl('verify', '-attime', String(AT.getTime() / 1000), '-CAfile', caFile, leafFile).trim(), `${leafFile}: OK`);
    const text = openssl('x509', '-in', leafFile, '-noout', '-text');
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /DNS:mdm\.example\.test, IP Address:127\.0\.0\.1, URI:https:\/\/mdm\.example\.test\/, email:ops@example\.test/);
    assert.match(openssl('x509', '-in', caFile, '-noout', '-text'), /CA:TRUE, pathlen:0/);
    const facts = certificateFacts(leaf);
    assert.equal(facts.keyType, 'ec');
    assert.equal(facts.keyBits, 384);
    verifyChain(leaf, { trustAnchors: [ecCa], at: AT });
  });

  it('signs with SHA-1 when asked (for peers that need it)', async () => {
    const { publicKey } = await generateRsaKeyPair();
    const leaf = await issueCertificate({ subject: { CN: 'sha1' }, publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, digest: 'sha1' });
    assert.match(openssl('x509', '-in', scratch.file('sha1.pem', toPem(leaf)), '-noout', '-text'), /Signature Algorithm: sha1WithRSAEncryption/);
    assert.equal(verifyIssuedBy(leaf, ca.cert), true);
  });

  it('reports facts read from the DER, including a CN containing a comma and an equals sign', async () => {
    const { publicKey } = await generateRsaKeyPair();
    const leaf = await issueCertificate({
      subject: { CN: 'Smith, J = admin', O: 'Acme\nLtd', emailAddress: 'j@acme.test', serialNumber: 'C02XK0AAJGH5' },
      publicKey,
      issuer: ca,
      serialNumber: '00ff01',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    });
    const facts = certificateFacts(leaf);
    assert.deepEqual(facts.subject, { CN: 'Smith, J = admin', O: 'Acme\nLtd', emailAddress: 'j@acme.test', serialNumber: 'C02XK0AAJGH5' });
    assert.deepEqual(facts.issuer, { C: 'GB', O: 'Orchard', CN: 'Orchard Test CA' });
    assert.equal(facts.serialNumber, 'ff01'); // the DER sign octet is not part of the number
    assert.deepEqual([facts.notBefore, facts.notAfter], [NOT_BEFORE, NOT_AFTER]);
    assert.equal(facts.fingerprintSha256, leaf.fingerprint256.replaceAll(':', '').toLowerCase());
    assert.match(facts.fingerprintSha256, /^[0-9a-f]{64}$/);
    assert.equal(facts.keyType, 'rsa');
    assert.equal(facts.keyBits, 2048);
    assert.equal(facts.isCA, false);
    assert.equal(certificateFacts(ca.cert).isCA, true);
  });

  it('gives random serials of 16 octets that are positive', async () => {
    const { publicKey } = await generateRsaKeyPair();
    const leaf = await issueCertificate({ subject: { CN: 'serial' }, publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
    const serial = certificateFacts(leaf).serialNumber;
    assert.match(serial, /^[0-7][0-9a-f]{31}$/);
  });

  it('parses PEM, DER and base64 DER, and rejects anything else as malformed', () => {
    const der = ca.cert.raw;
    assert.equal(parseCertificate(toPem(ca.cert)).fingerprint256, ca.cert.fingerprint256);
    assert.equal(parseCertificate(der).fingerprint256, ca.cert.fingerprint256);
    assert.equal(parseCertificate(der.toString('base64')).fingerprint256, ca.cert.fingerprint256);
    rejectsWith(() => parseCertificate('hello'), 'malformed');
    rejectsWith(() => parseCertificate(Buffer.from('3003020101', 'hex')), 'malformed');
    rejectsWith(() => parseCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'malformed');
  });

  it('splits a PEM bundle in order', async () => {
    const other = await makeCa({ CN: 'Second', O: 'Orchard', C: 'GB' });
    const bundle = `# leading comment\n${toPem(ca.cert)}\n${toPem(other.cert)}`;
    assert.deepEqual(certificatesFromPem(bundle).map((c) => c.fingerprint256), [ca.cert.fingerprint256, other.cert.fingerprint256]);
    assert.deepEqual(certificatesFromPem('no certificates here'), []);
  });

  describe('verifyChain', () => {
    let intermediate: Identity;
    let leaf: X509Certificate;
    before(async () => {
      const ik = await generateRsaKeyPair();
      const icert = await issueCertificate({ subject: { CN: 'Orchard Device CA' }, publicKey: ik.publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: { pathLength: 0 } });
      intermediate = { cert: icert, key: ik.privateKey };
      const lk = await generateEcKeyPair();
      leaf = await issueCertificate({ subject: { CN: 'device' }, publicKey: lk.publicKey, issuer: intermediate, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), extendedKeyUsage: ['clientAuth'] });
    });

    it('accepts leaf -> intermediate -> anchor, as openssl does', () => {
      verifyChain(leaf, { intermediates: [intermediate.cert], trustAnchors: [ca.cert], at: AT });
      const out = openssl('verify', '-attime', String(AT.getTime() / 1000), '-CAfile', scratch.file('root.pem', toPem(ca.cert)),
        '-untrusted', scratch.file('int.pem', toPem(intermediate.cert)), scratch.file('dev.pem', toPem(leaf)));
      assert.match(out, /OK/);
    });

    it('accepts a trust anchor itself', () => {
      verifyChain(ca.cert, { trustAnchors: [ca.cert], at: AT });
    });

    it('rejects a missing intermediate and a foreign anchor as untrusted-chain', async () => {
      rejectsWith(() => verifyChain(leaf, { trustAnchors: [ca.cert], at: AT }), 'untrusted-chain');
      const stranger = await makeCa();
      rejectsWith(() => verifyChain(leaf, { intermediates: [intermediate.cert], trustAnchors: [stranger.cert], at: AT }), 'untrusted-chain');
    });

    it('rejects a tampered certificate, and openssl agrees', () => {
      const der = Buffer.from(leaf.raw);
      // Flip a byte inside the subject CN "device" (in the signed TBSCertificate).
      const at = der.indexOf(Buffer.from('device'));
      der[at] = 'D'.charCodeAt(0);
      const tampered = new X509Certificate(der);
      assert.equal(verifyIssuedBy(tampered, intermediate.cert), false);
      rejectsWith(() => verifyChain(tampered, { intermediates: [intermediate.cert], trustAnchors: [ca.cert], at: AT }), 'untrusted-chain');
      assert.equal(opensslOk('verify', '-attime', String(AT.getTime() / 1000), '-CAfile', scratch.file('root2.pem', toPem(ca.cert)),
        '-untrusted', scratch.file('int2.pem', toPem(intermediate.cert)), scratch.file('tampered.pem', tampered.toString())), false);
    });

    it('rejects an intermediate that is not a CA', async () => {
      const nk = await generateRsaKeyPair();
      const notCa = await issueCertificate({ subject: { CN: 'not a CA' }, publicKey: nk.publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, keyUsage: ['digitalSignature', 'keyCertSign'] });
      const lk = await generateEcKeyPair();
      const below = await issueCertificate({ subject: { CN: 'below' }, publicKey: lk.publicKey, issuer: { cert: notCa, key: nk.privateKey }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
      rejectsWith(() => verifyChain(below, { intermediates: [notCa], trustAnchors: [ca.cert], at: AT }), 'untrusted-chain');
    });

    it('checks dates unless told not to', () => {
      const opts = { intermediates: [intermediate.cert], trustAnchors: [ca.cert] };
      rejectsWith(() => verifyChain(leaf, { ...opts, at: new Date('2025-06-01T00:00:00Z') }), 'not-yet-valid');
      rejectsWith(() => verifyChain(leaf, { ...opts, at: new Date('2027-01-01T00:00:01Z') }), 'expired');
      verifyChain(leaf, { ...opts, ignoreDates: true });
      assert.throws(() => verifyChain(leaf, opts), TypeError);
    });

    it('caches path results by fingerprint but still checks dates on every call', () => {
      const cache = new ChainCache(2);
      const opts = { intermediates: [intermediate.cert], trustAnchors: [ca.cert], cache };
      verifyChain(leaf, { ...opts, at: AT });
      assert.equal(cache.size, 1);
      verifyChain(new X509Certificate(leaf.raw), { ...opts, at: AT }); // same DER, new object: a hit
      assert.equal(cache.size, 1);
      rejectsWith(() => verifyChain(leaf, { ...opts, at: new Date('2030-01-01T00:00:00Z') }), 'expired');
      rejectsWith(() => verifyChain(leaf, { ...opts, intermediates: [] , at: AT }), 'untrusted-chain');
      rejectsWith(() => verifyChain(leaf, { ...opts, intermediates: [], at: AT }), 'untrusted-chain'); // cached failure
      assert.equal(cache.size, 2);
    });
  });
});
