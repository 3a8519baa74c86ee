import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { issueCertificate, toPem } from '../../../src/crypto/certificates.js';
import { generateEcKeyPair, generateRsaKeyPair, keyToPem } from '../../../src/crypto/keys.js';
import { buildPkcs12, parsePkcs12 } from '../../../src/crypto/pkcs12.js';
import { CryptoError, type Identity } from '../../../src/crypto/types.js';
import { openssl, opensslWithStderr, Scratch } from './openssl.js';

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2035-01-01T00:00:00Z');

function rejectsWith(fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: unknown) => err instanceof CryptoError && err.reason === reason);
}

describe('crypto/pkcs12', () => {
  let scratch: Scratch;
  let ca: Identity;
  let leaf: Identity;
  before(async () => {
    scratch = new Scratch();
    const ck = await generateRsaKeyPair();
    ca = { cert: await issueCertificate({ subject: { CN: 'P12 CA' }, publicKey: ck.publicKey, signingKey: ck.privateKey, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: true }), key: ck.privateKey };
    const lk = await generateRsaKeyPair();
    leaf = { cert: await issueCertificate({ subject: { CN: 'APSP:push', UID: 'com.apple.mgmt.External.p12' }, publicKey: lk.publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, extendedKeyUsage: ['clientAuth'] }), key: lk.privateKey };
  });
  after(() => scratch.remove());

  it('writes 3DES/SHA-1 PKCS#12 that openssl 3 reads without -legacy, key, leaf and chain intact', () => {
    const p12 = buildPkcs12({ key: leaf.key, cert: leaf.cert, chain: [ca.cert], password: 'correct horse', friendlyName: 'Orchard push' });
    const file = scratch.file('ours.p12', p12);
    const info = opensslWithStderr('pkcs12', '-in', file, '-info', '-passin', 'pass:correct horse', '-nodes');
    assert.match(info, /MAC: sha1, Iteration 2048/);
    assert.match(info, /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    assert.match(info, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    assert.match(info, /friendlyName: Orchard push/);
    const pems = info.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    assert.deepEqual(pems, [toPem(leaf.cert), toPem(ca.cert)]);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(info)?.[0];
    assert.equal(keyPem, keyToPem(leaf.key));
    // and with -legacy, as an OpenSSL 1.1-era reader would
    const legacy = opensslWithStderr('pkcs12', '-legacy', '-in', file, '-nodes', '-passin', 'pass:correct horse');
    assert.equal(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(legacy)?.[0], keyToPem(leaf.key));
  });

  it('round-trips, including an EC key', async () => {
    const ek = await generateEcKeyPair();
    const cert = await issueCertificate({ subject: { CN: 'ec' }, publicKey: ek.publicKey, issuer: ca, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
    const id = parsePkcs12(buildPkcs12({ key: ek.privateKey, cert, password: '' }), '');
    assert.equal(id.cert.fingerprint256, cert.fingerprint256);
    assert.equal(keyToPem(id.key), keyToPem(ek.privateKey));
    assert.equal(id.chain, undefined);
    const file = scratch.file('ec.p12', buildPkcs12({ key: ek.privateKey, cert, password: 'ec-pass' }));
    assert.match(openssl('pkcs12', '-in', file, '-nodes', '-passin', 'pass:ec-pass'), /-----BEGIN PRIVATE KEY-----/);
  });

  for (const variant of [
    { name: 'OpenSSL 3 default (PBES2 AES-256-CBC, SHA-256 MAC)', args: [] as string[] },
    { name: 'OpenSSL -legacy (RC2-40 certificates, 3DES key, SHA-1 MAC)', args: ['-legacy'] },
    { name: 'OpenSSL with explicit 3DES and SHA-1', args: ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'] },
  ]) {
    it(`reads ${variant.name}`, () => {
      const stem = `ossl${variant.args.length}`;
      const key = scratch.file(`${stem}.key`, keyToPem(leaf.key));
      const cert = scratch.file(`${stem}.pem`, toPem(leaf.cert));
      const chain = scratch.file(`${stem}-chain.pem`, toPem(ca.cert));
      const out = scratch.file(`${stem}.p12`);
      openssl('pkcs12', '-export', ...variant.args, '-inkey', key, '-in', cert, '-certfile', chain, '-passout', 'pass:s3cret', '-out', out);
      const id = parsePkcs12(readFileSync(out), 's3cret');
      assert.equal(id.cert.fingerprint256, leaf.cert.fingerprint256);
      assert.deepEqual(id.chain?.map((c) => c.fingerprint256), [ca.cert.fingerprint256]);
      assert.equal(keyToPem(id.key), keyToPem(leaf.key));
      rejectsWith(() => parsePkcs12(readFileSync(out), 'wrong'), 'bad-password');
    });
  }

  it('rejects a wrong password on our own files and garbage as malformed', () => {
    const p12 = buildPkcs12({ key: leaf.key, cert: leaf.cert, password: 'right' });
    rejectsWith(() => parsePkcs12(p12, 'wrong'), 'bad-password');
    rejectsWith(() => parsePkcs12(Buffer.from('not a pfx'), 'right'), 'malformed');
    rejectsWith(() => parsePkcs12(p12.subarray(0, p12.length - 10), 'right'), 'malformed');
  });
});
