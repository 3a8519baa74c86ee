import assert from 'node:assert/strict';
import { cmsDecrypt, cmsEnvelope, smimeDecode, smimeEncode } from '../../../src/crypto/cms.js';
import type { Identity } from '../../../src/crypto/types.js';
import { makePki, reasonOf, type Pki } from './openssl-helpers.js';

describe('S/MIME smime.p7m (DEP server token file)', () => {
  let pki: Pki;
  let server: Identity;
  // Apple's token decrypts to a MIME text entity wrapping the JSON; the wrapper is the caller's.
  const token = Buffer.from('Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n' +
    '-----BEGIN MESSAGE-----\r\n{"consumer_key":"CK_1"}\r\n-----END MESSAGE-----\r\n');

  before(() => {
    pki = makePki();
    server = pki.identity('server');
    pki.write('token.txt', token);
  });
  after(() => pki.cleanup());

  it('has the four headers, a blank line and 64-column base64, all with CRLF', () => {
    const der = cmsEnvelope(token, [server.cert]);
    const text = smimeEncode(der);
    const lines = text.split('\r\n');
    assert.deepEqual(lines.slice(0, 5), [
      'Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="smime.p7m"',
      'Content-Description: S/MIME Encrypted Message',
      '',
    ]);
    const body = lines.slice(5);
    assert.equal(body.pop(), ''); // ends with CRLF
    assert.ok(body.slice(0, -1).every((l) => l.length === 64));
    assert.ok(body[body.length - 1].length <= 64);
    assert.deepEqual(Buffer.from(body.join(''), 'base64'), der);
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false);
  });

  for (const eol of ['\r\n', '\n'] as const) {
    it(`openssl smime -decrypt reads it (${eol === '\n' ? 'LF' : 'CRLF'})`, () => {
      pki.write('smime.p7m', smimeEncode(cmsEnvelope(token, [server.cert]), { eol }));
      const out = pki.openssl(['smime', '-decrypt', '-binary', '-in', 'smime.p7m', '-inkey', 'server.key']);
      assert.deepEqual(out, token);
    });
  }

  it('smimeDecode reads openssl smime -encrypt output (with MIME-Version, LF)', () => {
    const text = pki.openssl(['smime', '-encrypt', '-binary', '-aes256', '-in', 'token.txt', 'server.pem']).toString();
    assert.match(text, /^MIME-Version: 1.0\n/);
    assert.deepEqual(cmsDecrypt(smimeDecode(text), server), token);
  });

  it('smimeDecode round-trips smimeEncode, both line endings', () => {
    const der = cmsEnvelope(token, [server.cert]);
    assert.deepEqual(smimeDecode(smimeEncode(der)), der);
    assert.deepEqual(smimeDecode(smimeEncode(der, { eol: '\n' })), der);
  });

  it('refuses text that is not a base64 pkcs7-mime entity', () => {
    assert.equal(reasonOf(() => smimeDecode('just text')), 'malformed');
    assert.equal(reasonOf(() => smimeDecode('Content-Type: text/plain\r\n\r\nAAAA')), 'malformed');
    assert.equal(reasonOf(() => smimeDecode('Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: 7bit\r\n\r\nAAAA')), 'malformed');
    assert.equal(reasonOf(() => smimeDecode('Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n\r\n*not*')), 'malformed');
  });
});
