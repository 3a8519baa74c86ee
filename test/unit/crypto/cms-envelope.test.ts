import assert from 'node:assert/strict';
import { constants, publicEncrypt } from 'node:crypto';
import { cmsDecrypt, cmsDecryptDetailed, cmsEnvelope } from '../../../src/crypto/cms.js';
import { children, oidOf, parseDer, smallIntOf } from '../../../src/crypto/der.js';
import { rsaDecryptKey } from '../../../src/crypto/rsa-key-transport.js';
import type { Identity } from '../../../src/crypto/types.js';
import { makePki, reasonOf, type Pki } from './openssl-helpers.js';

describe('CMS EnvelopedData', () => {
  let pki: Pki;
  let alice: Identity, bob: Identity, carol: Identity;
  const token = Buffer.from('{"consumer_key":"CK_1234","consumer_secret":"CS_5678","access_token":"AT_9","access_secret":"AS_0","access_token_expiry":"2026-01-01T00:00:00Z"}');

  before(() => {
    pki = makePki();
    alice = pki.identity('alice');
    bob = pki.identity('bob');
    carol = pki.identity('carol');
    pki.write('token.json', token);
  });
  after(() => pki.cleanup());

  describe('cmsEnvelope → openssl cms -decrypt', () => {
    for (const cipher of ['aes-128-cbc', 'aes-256-cbc', 'des-ede3-cbc'] as const) {
      it(`${cipher} decrypts with the recipient key`, () => {
        pki.write(`env-${cipher}.der`, cmsEnvelope(token, [alice.cert], { cipher }));
        const out = pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', `env-${cipher}.der`,
          '-inkey', 'alice.key', '-recip', 'alice.pem']);
        assert.deepEqual(out, token);
      });
    }
    it('each of several recipients can decrypt', () => {
      const der = cmsEnvelope(token, [alice.cert, bob.cert]);
      pki.write('two.der', der);
      assert.deepEqual(pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', 'two.der',
        '-inkey', 'bob.key', '-recip', 'bob.pem']), token);
      assert.deepEqual(cmsDecrypt(der, alice), token);
      assert.deepEqual(cmsDecrypt(der, bob), token);
    });
  });

  describe('wire form', () => {
    it('is EnvelopedData v0 with v0 rsaEncryption KeyTransRecipientInfo and id-data content', () => {
      const der = cmsEnvelope(token, [alice.cert], { cipher: 'aes-128-cbc' });
      const [ct, wrapped] = children(parseDer(der));
      assert.equal(oidOf(ct), '1.2.840.113549.1.7.3');
      const [version, ris, eci] = children(children(wrapped)[0]);
      assert.equal(smallIntOf(version), 0);
      const [riVersion, rid, keyAlg] = children(children(ris)[0]);
      assert.equal(smallIntOf(riVersion), 0);
      assert.equal(rid.tag, 0x30);
      assert.equal(oidOf(children(keyAlg)[0]), '1.2.840.113549.1.1.1');
      const [contentType, alg, encrypted] = children(eci);
      assert.equal(oidOf(contentType), '1.2.840.113549.1.7.1');
      assert.equal(oidOf(children(alg)[0]), '2.16.840.1.101.3.4.1.2');
      assert.equal(children(alg)[1].contentEnd - children(alg)[1].contentStart, 16);
      assert.equal(encrypted.tag, 0x80);
    });
  });

  describe('openssl cms -encrypt → cmsDecrypt', () => {
    for (const [flag, cipher] of [['-aes128', 'aes-128-cbc'], ['-aes256', 'aes-256-cbc'], ['-des3', 'des-ede3-cbc']]) {
      it(`${flag} decrypts`, () => {
        const der = pki.openssl(['cms', '-encrypt', '-binary', flag, '-in', 'token.json', '-outform', 'DER', 'bob.pem', 'alice.pem']);
        const r = cmsDecryptDetailed(der, alice);
        assert.deepEqual(r.content, token);
        assert.equal(r.cipher, cipher);
      });
    }
    it('legacy single DES-CBC (openssl -des, legacy provider) decrypts, as old SCEP clients send it', () => {
      const der = pki.openssl(['cms', '-encrypt', '-binary', '-des', '-provider', 'legacy', '-provider', 'default',
        '-in', 'token.json', '-outform', 'DER', 'alice.pem']);
      const r = cmsDecryptDetailed(der, alice);
      assert.deepEqual(r.content, token);
      assert.equal(r.cipher, 'des-cbc');
    });
    it('a recipient named by subjectKeyIdentifier (-keyid) decrypts', () => {
      const dave = pki.identity('dave', { issuer: 'alice' }); // issued certs carry a subjectKeyIdentifier
      const der = pki.openssl(['cms', '-encrypt', '-binary', '-aes128', '-keyid', '-in', 'token.json', '-outform', 'DER', 'dave.pem']);
      assert.deepEqual(cmsDecrypt(der, dave), token);
    });
    it('a streamed (BER, indefinite-length) envelope decrypts', () => {
      const der = pki.openssl(['cms', '-encrypt', '-binary', '-aes128', '-stream', '-in', 'token.json', '-outform', 'DER', 'alice.pem']);
      assert.deepEqual(cmsDecrypt(der, alice), token);
    });
  });

  describe('failures', () => {
    it('an envelope for someone else is not-for-recipient', () => {
      assert.equal(reasonOf(() => cmsDecrypt(cmsEnvelope(token, [alice.cert]), carol)), 'not-for-recipient');
    });
    it('corrupted ciphertext is decrypt-failed', () => {
      // The encrypted content ends the message; clearing the pad byte of the last block
      // (through the previous ciphertext block, CBC) makes the padding deterministically invalid.
      const der = Buffer.from(cmsEnvelope(token, [alice.cert], { cipher: 'aes-128-cbc' }));
      const pad = 16 - (token.length % 16);
      der[der.length - 17] ^= pad;
      assert.equal(reasonOf(() => cmsDecrypt(der, alice)), 'decrypt-failed');
    });
    it('garbage is malformed', () => {
      assert.equal(reasonOf(() => cmsDecrypt(Buffer.from('3003020100', 'hex'), alice)), 'malformed');
    });
  });

  describe('PKCS#1 v1.5 unpadding after RSA_NO_PADDING (CVE-2023-46809)', () => {
    const key = Buffer.alloc(16, 0xab);
    const block = (head: number[], psLength: number, sep = 0, payload = key): Buffer => {
      const k = 256;
      const em = Buffer.alloc(k, 0x55);
      Buffer.from(head).copy(em, 0);
      const sepAt = 2 + psLength;
      em[sepAt] = sep;
      payload.copy(em, sepAt + 1);
      return publicEncrypt({ key: alice.cert.publicKey, padding: constants.RSA_NO_PADDING }, em.subarray(0, sepAt + 1 + payload.length));
    };
    const psFor = (len: number) => 256 - 3 - len;

    it('accepts a well-formed block', () => {
      assert.deepEqual(rsaDecryptKey(alice.key, block([0, 2], psFor(16)), 16), key);
    });
    it('accepts a block with exactly 8 padding bytes', () => {
      const big = Buffer.alloc(256 - 11, 0x11);
      assert.deepEqual(rsaDecryptKey(alice.key, block([0, 2], 8, 0, big), big.length), big);
    });
    for (const [name, enc, keyLength] of [
      ['a type-1 block', () => block([0, 2 - 1], psFor(16)), 16],
      ['a block not starting with 00', () => block([1, 2], psFor(16)), 16],
      ['a block without the 00 separator', () => block([0, 2], psFor(16), 0x77), 16],
      ['a block with 7 padding bytes', () => block([0, 2], 7, 0, Buffer.alloc(256 - 10, 0xab)), 256 - 10],
      ['a key of the wrong length', () => block([0, 2], psFor(24), 0, Buffer.alloc(24, 0xab)), 16],
    ] as const) {
      it(`answers ${name} with a random key of the expected length`, () => {
        const out = rsaDecryptKey(alice.key, enc(), keyLength);
        assert.equal(out.length, keyLength);
        assert.notDeepEqual(out, Buffer.alloc(keyLength, 0xab));
      });
    }
  });
});
