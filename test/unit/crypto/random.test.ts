import assert from 'node:assert/strict';
import { generateRsaKeyPair, keyToPem, privateKeyFromPem, publicKeyFromPem } from '../../../src/crypto/keys.js';
import { hmacSha256, openSealed, randomHex, randomToken, sealSecret, sha256Hex, timingSafeEqualStr } from '../../../src/crypto/random.js';
import { CryptoError } from '../../../src/crypto/types.js';

describe('crypto/random and keys', () => {
  it('makes hex and base64url values of the requested size', () => {
    assert.match(randomHex(16), /^[0-9a-f]{32}$/);
    assert.match(randomToken(32), /^[A-Za-z0-9_-]{43}$/);
  });

  it('hashes with SHA-256 and HMAC-SHA-256 (FIPS 180-2 / RFC 4231 vectors)', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      hmacSha256(Buffer.alloc(20, 0x0b), 'Hi There').toString('hex'),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });

  it('compares strings', () => {
    assert.equal(timingSafeEqualStr('token', 'token'), true);
    assert.equal(timingSafeEqualStr('token', 'tokeN'), false);
    assert.equal(timingSafeEqualStr('token', 'token-longer'), false);
  });

  it('seals secrets with AES-256-GCM as v1:base64(iv|tag|ct) and opens them', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = sealSecret('server token secret', key);
    assert.match(sealed, /^v1:[A-Za-z0-9+/]+=*$/);
    assert.equal(Buffer.from(sealed.slice(3), 'base64').length, 12 + 16 + 'server token secret'.length);
    assert.equal(openSealed(sealed, key).toString(), 'server token secret');
    assert.notEqual(sealSecret('server token secret', key), sealed); // fresh IV each time
    assert.throws(() => openSealed(sealed, Buffer.alloc(32, 8)), (e: unknown) => e instanceof CryptoError && e.reason === 'bad-signature');
    assert.throws(() => openSealed(`v2:${sealed.slice(3)}`, key), (e: unknown) => e instanceof CryptoError && e.reason === 'malformed');
    assert.throws(() => sealSecret('x', Buffer.alloc(16)), (e: unknown) => e instanceof CryptoError && e.reason === 'bad-key');
  });

  it('writes PKCS#8 and SPKI PEM and reads them back, encrypted ones with a passphrase', async () => {
    const { privateKey, publicKey } = await generateRsaKeyPair();
    assert.match(keyToPem(privateKey), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(keyToPem(publicKey), /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal(keyToPem(privateKeyFromPem(keyToPem(privateKey))), keyToPem(privateKey));
    assert.equal(keyToPem(publicKeyFromPem(keyToPem(publicKey))), keyToPem(publicKey));
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pp' }) as string;
    assert.equal(keyToPem(privateKeyFromPem(encrypted, 'pp')), keyToPem(privateKey));
    assert.throws(() => privateKeyFromPem('nonsense'), (e: unknown) => e instanceof CryptoError && e.reason === 'malformed');
  });
});
