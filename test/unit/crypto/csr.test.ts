import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCsr, parseCsr } from '../../../src/crypto/csr.js';
import { generateEcKeyPair, generateRsaKeyPair, keyToPem } from '../../../src/crypto/keys.js';
import { CryptoError } from '../../../src/crypto/types.js';
import { sign } from 'node:crypto';
import { openssl, opensslWithStderr, Scratch } from './openssl.js';

function rejectsWith(fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: unknown) => err instanceof CryptoError && err.reason === reason);
}

/** A CSR made by `openssl req` with a challengePassword of the given ASN.1 string type. */
function opensslCsr(scratch: Scratch, name: string, challenge: string, stringMask: string): Buffer {
  const config = scratch.file(`${name}.cnf`, [
    '[req]',
    'prompt = no',
    'distinguished_name = dn',
    'attributes = attrs',
    `string_mask = ${stringMask}`,
    'req_extensions = ext',
    '[dn]',
    'CN = iPhone SCEP',
    'O = Orchard Devices',
    '[attrs]',
    `challengePassword = ${challenge}`,
    '[ext]',
    'subjectAltName = DNS:device.example.test',
    '',
  ].join('\n'));
  const out = scratch.file(`${name}.der`);
  openssl('req', '-new', '-utf8', '-newkey', 'rsa:2048', '-nodes', '-keyout', scratch.file(`${name}.key`), '-config', config, '-outform', 'DER', '-out', out);
  return readFileSync(out);
}

describe('crypto/csr', () => {
  let scratch: Scratch;
  before(() => {
    scratch = new Scratch();
  });
  after(() => scratch.remove());

  it('reads an openssl CSR: subject, challengePassword (PrintableString) and requested subjectAltName', () => {
    const der = opensslCsr(scratch, 'printable', 'F00-one-time', 'default');
    const asn1 = openssl('asn1parse', '-inform', 'DER', '-in', scratch.file('printable.der'));
    assert.match(asn1, /:challengePassword\n.*\n.*PRINTABLESTRING\s+:F00-one-time/);
    const csr = parseCsr(der);
    assert.deepEqual(csr.subject, { CN: 'iPhone SCEP', O: 'Orchard Devices' });
    assert.equal(csr.challengePassword, 'F00-one-time');
    assert.deepEqual(csr.subjectAltName, { dns: ['device.example.test'] });
    assert.equal(csr.publicKey.asymmetricKeyType, 'rsa');
    assert.deepEqual(csr.der, der);
  });

  it('reads a challengePassword encoded as UTF8String', () => {
    const der = opensslCsr(scratch, 'utf8', 'pässwörd', 'utf8only');
    assert.match(openssl('asn1parse', '-inform', 'DER', '-in', scratch.file('utf8.der')), /:challengePassword\n.*\n.*UTF8STRING/);
    assert.equal(parseCsr(der).challengePassword, 'pässwörd');
  });

  it('reads a challengePassword encoded as IA5String (as some SCEP clients send)', async () => {
    // openssl cannot be told to write IA5String here, so take our request, re-tag the value
    // from PrintableString (0x13) to IA5String (0x16) and sign it again (same length, so the
    // outer DER lengths and the 256-byte RSA signature stay in place).
    const { privateKey, publicKey } = await generateRsaKeyPair();
    const der = Buffer.from(await createCsr({ subject: { CN: 'ia5' }, privateKey, publicKey, challengePassword: 'abc123' }));
    const at = der.indexOf(Buffer.from([0x13, 0x06, ...Buffer.from('abc123')]));
    der[at] = 0x16;
    rejectsWith(() => parseCsr(der), 'bad-signature'); // the old signature no longer covers it
    const infoLength = der.readUInt16BE(6) + 4; // 30 82 LL LL | 30 82 LL LL ...
    sign('sha256', der.subarray(4, 4 + infoLength), privateKey).copy(der, der.length - 256);
    const file = scratch.file('ia5.der', der);
    assert.match(openssl('asn1parse', '-inform', 'DER', '-in', file), /:challengePassword\n.*\n.*IA5STRING\s+:abc123/);
    assert.match(opensslWithStderr('req', '-inform', 'DER', '-in', file, '-verify', '-noout'), /verify OK/i);
    assert.equal(parseCsr(der).challengePassword, 'abc123');
  });

  it('makes RSA requests that `openssl req -verify` accepts, with challenge and SAN', async () => {
    const { privateKey, publicKey } = await generateRsaKeyPair();
    const der = await createCsr({
      subject: { CN: 'Orchard push', UID: 'com.apple.mgmt.External.x', C: 'US' },
      privateKey,
      publicKey,
      challengePassword: 'one-time 42',
      subjectAltName: { dns: ['a.example.test'], email: ['ops@example.test'] },
    });
    const file = scratch.file('ours-rsa.der', der);
    const text = openssl('req', '-inform', 'DER', '-in', file, '-verify', '-noout', '-text', '-nameopt', 'RFC2253');
    assert.match(text, /Subject: UID=com\.apple\.mgmt\.External\.x,CN=Orchard push,C=US/);
    assert.match(text, /challengePassword\s+:one-time 42/);
    assert.match(text, /DNS:a\.example\.test, email:ops@example\.test/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(opensslWithStderr('req', '-inform', 'DER', '-in', file, '-verify', '-noout'), /verify OK/i);
    const back = parseCsr(der);
    assert.equal(back.challengePassword, 'one-time 42');
    assert.equal(keyToPem(back.publicKey), keyToPem(publicKey));
  });

  it('makes EC requests that openssl verifies', async () => {
    const { privateKey, publicKey } = await generateEcKeyPair();
    const file = scratch.file('ours-ec.der', await createCsr({ subject: { CN: 'ec' }, privateKey, publicKey }));
    const out = openssl('req', '-inform', 'DER', '-in', file, '-verify', '-noout', '-text');
    assert.match(out, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(opensslWithStderr('req', '-inform', 'DER', '-in', file, '-verify', '-noout'), /verify OK/i);
    assert.equal(parseCsr(readFileSync(file)).challengePassword, undefined);
  });

  it('rejects a request whose subject was altered as bad-signature, and garbage as malformed', async () => {
    const der = opensslCsr(scratch, 'tamper', 'secret', 'default');
    const tampered = Buffer.from(der);
    tampered[tampered.indexOf(Buffer.from('iPhone'))] = 'X'.charCodeAt(0);
    rejectsWith(() => parseCsr(tampered), 'bad-signature');
    rejectsWith(() => parseCsr(Buffer.from('not a csr')), 'malformed');
    rejectsWith(() => parseCsr(der.subarray(0, 100)), 'malformed');
  });
});
