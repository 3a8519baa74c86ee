import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateAuthority, loadOrCreateIssuedIdentity } from '../../../src/crypto/authority.js';
import { certificateFacts, verifyChain } from '../../../src/crypto/certificates.js';
import { openssl, Scratch } from './openssl.js';

class FixedClock {
  constructor(public current: Date) {}
  now(): Date {
    return this.current;
  }
}

describe('crypto/authority', () => {
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.remove());

  it('creates an RSA-2048 CA with a 0600 PKCS#8 key on first call, and loads the same one later', async () => {
    const clock = new FixedClock(new Date('2026-03-01T12:00:00Z'));
    const dir = join(scratch.dir, 'certs');
    const first = await loadOrCreateAuthority({ dir, name: 'ca', subject: { CN: 'Orchard CA', O: 'Orchard' }, clock });
    const keyFile = join(dir, 'ca.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    const facts = certificateFacts(first.cert);
    assert.deepEqual(facts.subject, { O: 'Orchard', CN: 'Orchard CA' });
    assert.equal(facts.isCA, true);
    assert.equal(facts.keyType, 'rsa');
    assert.equal(facts.keyBits, 2048);
    assert.deepEqual(facts.notBefore, new Date('2026-03-01T11:00:00Z'));
    assert.deepEqual(facts.notAfter, new Date('2036-03-01T12:00:00Z'));
    assert.match(openssl('x509', '-in', join(dir, 'ca.pem'), '-noout', '-text'), /CA:TRUE/);

    const again = await loadOrCreateAuthority({ dir, name: 'ca', subject: { CN: 'ignored' }, clock: new FixedClock(new Date('2030-01-01T00:00:00Z')) });
    assert.equal(again.cert.fingerprint256, first.cert.fingerprint256);
    assert.equal(again.cert.checkPrivateKey(first.key), true);
  });

  it('keeps one CA when two first calls race', async () => {
    const clock = new FixedClock(new Date('2026-03-01T12:00:00Z'));
    const opts = { dir: scratch.dir, name: 'race', subject: { CN: 'Race CA' }, clock };
    const [a, b] = await Promise.all([loadOrCreateAuthority(opts), loadOrCreateAuthority(opts)]);
    assert.equal(a.cert.fingerprint256, b.cert.fingerprint256);
    assert.equal(a.cert.checkPrivateKey(b.key), true);
  });

  it('issues a server identity from the CA, keeps it while valid, and re-issues it when expired', async () => {
    const clock = new FixedClock(new Date('2026-03-01T12:00:00Z'));
    const ca = await loadOrCreateAuthority({ dir: scratch.dir, name: 'ca', subject: { CN: 'Orchard CA' }, clock });
    const opts = { dir: scratch.dir, name: 'server', issuer: ca, subject: { CN: 'Orchard server' }, clock, extendedKeyUsage: ['serverAuth' as const], subjectAltName: { dns: ['orchard.test'] }, days: 30 };
    const server = await loadOrCreateIssuedIdentity(opts);
    assert.equal(statSync(join(scratch.dir, 'server.key')).mode & 0o777, 0o600);
    verifyChain(server.cert, { trustAnchors: [ca.cert], at: clock.now() });
    const verified = openssl('verify', '-attime', String(clock.now().getTime() / 1000), '-CAfile', join(scratch.dir, 'ca.pem'), join(scratch.dir, 'server.pem'));
    assert.match(verified, /server\.pem: OK/);
    assert.match(openssl('x509', '-in', join(scratch.dir, 'server.pem'), '-noout', '-ext', 'subjectAltName,extendedKeyUsage'), /DNS:orchard\.test[\s\S]*TLS Web Server Authentication|TLS Web Server Authentication[\s\S]*DNS:orchard\.test/);

    clock.current = new Date('2026-03-20T00:00:00Z');
    const same = await loadOrCreateIssuedIdentity(opts);
    assert.equal(same.cert.fingerprint256, server.cert.fingerprint256);

    clock.current = new Date('2026-04-15T00:00:00Z');
    const renewed = await loadOrCreateIssuedIdentity(opts);
    assert.notEqual(renewed.cert.fingerprint256, server.cert.fingerprint256);
    assert.deepEqual(certificateFacts(renewed.cert).notAfter, new Date('2026-05-15T00:00:00Z'));
    const onDisk = readFileSync(join(scratch.dir, 'server.pem'), 'utf8');
    assert.equal(onDisk, renewed.cert.toString());
    assert.equal(statSync(join(scratch.dir, 'server.key')).mode & 0o777, 0o600);
  });

  it('re-issues an identity whose files do not match (e.g. a crash between writes)', async () => {
    const clock = new FixedClock(new Date('2026-03-01T12:00:00Z'));
    const ca = await loadOrCreateAuthority({ dir: scratch.dir, name: 'ca', subject: { CN: 'Orchard CA' }, clock });
    const opts = { dir: scratch.dir, name: 'signer', issuer: ca, subject: { CN: 'Orchard signer' }, clock };
    const first = await loadOrCreateIssuedIdentity(opts);
    writeFileSync(join(scratch.dir, 'signer.pem'), ca.cert.toString()); // certificate of another key
    const repaired = await loadOrCreateIssuedIdentity(opts);
    assert.notEqual(repaired.cert.fingerprint256, first.cert.fingerprint256);
    assert.equal(repaired.cert.checkPrivateKey(repaired.key), true);
  });
});
