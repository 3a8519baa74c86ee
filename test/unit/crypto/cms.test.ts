import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cmsSign, cmsVerify, degenerateCertificates, certificatesFromSignedData } from '../../../src/crypto/cms.js';
import { children, contentOf, oidOf, parseDer, smallIntOf } from '../../../src/crypto/der.js';
import type { Identity } from '../../../src/crypto/types.js';
import { makePki, reasonOf, type Pki } from './openssl-helpers.js';

const NOW = new Date('2030-01-01T00:00:00Z');

describe('CMS SignedData', () => {
  let pki: Pki;
  let root: Identity, inter: Identity, leaf: Identity, ecLeaf: Identity, stranger: Identity;
  const body = Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict><key>UDID</key><string>0000</string></dict></plist>\n');

  before(() => {
    pki = makePki();
    root = pki.identity('root', { ca: true, days: 3650 * 2 });
    inter = pki.identity('inter', { ca: true, issuer: 'root', days: 3650 * 2 });
    leaf = { ...pki.identity('leaf', { issuer: 'inter', days: 3650 * 2 }), chain: [inter.cert] };
    ecLeaf = pki.identity('ecleaf', { issuer: 'root', ec: true, days: 3650 * 2 });
    stranger = pki.identity('stranger', { ca: true });
    pki.write('body.bin', body);
  });
  after(() => pki.cleanup());

  describe('cmsSign → openssl cms -verify', () => {
    for (const digest of ['sha256', 'sha1'] as const) {
      it(`attached ${digest} verifies and yields the content`, () => {
        pki.write('att.der', cmsSign(body, leaf, { digest, signingTime: new Date() }));
        const out = pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'att.der', '-CAfile', 'root.pem']);
        assert.deepEqual(out, body);
      });
      it(`detached ${digest} verifies against -content`, () => {
        pki.write('det.der', cmsSign(body, leaf, { digest, detached: true }));
        const out = pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'det.der',
          '-content', 'body.bin', '-CAfile', 'root.pem']);
        assert.deepEqual(out, body);
      });
    }
    it('an EC key signs with ECDSA that openssl verifies', () => {
      pki.write('ec.der', cmsSign(body, ecLeaf));
      const out = pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'ec.der', '-CAfile', 'root.pem']);
      assert.deepEqual(out, body);
    });
    it('openssl rejects our signature over a different detached body', () => {
      pki.write('det.der', cmsSign(body, leaf, { detached: true }));
      pki.write('other.bin', 'something else');
      assert.throws(() => pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'det.der',
        '-content', 'other.bin', '-CAfile', 'root.pem']));
    });
  });

  describe('wire form of cmsSign', () => {
    it('is SignedData v1 with id-data, the certs, and a v1 issuerAndSerialNumber SignerInfo', () => {
      const der = cmsSign(body, leaf, { signingTime: new Date('2024-05-01T12:00:00Z') });
      const [ct, wrapped] = children(parseDer(der));
      assert.equal(oidOf(ct), '1.2.840.113549.1.7.2');
      const [version, digestAlgs, encap, certs, signerInfos] = children(children(wrapped)[0]);
      assert.equal(smallIntOf(version), 1);
      assert.equal(oidOf(children(children(digestAlgs)[0])[0]), '2.16.840.1.101.3.4.2.1');
      assert.equal(oidOf(children(encap)[0]), '1.2.840.113549.1.7.1');
      assert.deepEqual(contentOf(children(children(encap)[1])[0]), body);
      assert.equal(certs.tag, 0xa0);
      assert.deepEqual(children(certs).map((c) => c.buf.subarray(c.start, c.end)), [leaf.cert.raw, inter.cert.raw]);
      const [siVersion, sid, , signedAttrs, sigAlg] = children(children(signerInfos)[0]);
      assert.equal(smallIntOf(siVersion), 1);
      assert.equal(sid.tag, 0x30);
      assert.equal(signedAttrs.tag, 0xa0);
      assert.equal(oidOf(children(sigAlg)[0]), '1.2.840.113549.1.1.1');
      // signingTime as UTCTime 240501120000Z
      const r = cmsVerify(der);
      assert.deepEqual(r.signedAttributes.get('1.2.840.113549.1.9.5'), [Buffer.from('170d3234303530313132303030305a', 'hex')]);
    });
    it('a detached signature has no eContent', () => {
      const der = cmsSign(body, leaf, { detached: true });
      const encap = children(children(children(parseDer(der))[1])[0])[2];
      assert.equal(children(encap).length, 1);
    });
    it('carries extra signed attributes and only the certificates asked for', () => {
      const value = Buffer.from('13023139', 'hex'); // PrintableString "19"
      const der = cmsSign(body, leaf, {
        includeCertificates: [leaf.cert],
        extraSignedAttributes: [{ oid: '2.16.840.1.113733.1.9.2', valueDer: value }],
      });
      const r = cmsVerify(der);
      assert.deepEqual(r.signedAttributes.get('2.16.840.1.113733.1.9.2'), [value]);
      assert.deepEqual(r.certificates.map((c) => c.fingerprint256), [leaf.cert.fingerprint256]);
      assert.equal(r.signer.fingerprint256, leaf.cert.fingerprint256);
      assert.equal(r.signedAttributes.has('1.2.840.113549.1.9.5'), false); // no clock given
    });
  });

  describe('openssl cms -sign → cmsVerify', () => {
    const variants = [
      { name: 'attached sha1', args: ['-md', 'sha1', '-nodetach'], detached: false, digest: 'sha1' },
      { name: 'attached sha256', args: ['-md', 'sha256', '-nodetach'], detached: false, digest: 'sha256' },
      { name: 'detached sha1', args: ['-md', 'sha1'], detached: true, digest: 'sha1' },
      { name: 'detached sha256', args: ['-md', 'sha256'], detached: true, digest: 'sha256' },
      { name: 'attached sha1 -noattr', args: ['-md', 'sha1', '-nodetach', '-noattr'], detached: false, digest: 'sha1' },
      { name: 'detached sha256 -noattr', args: ['-md', 'sha256', '-noattr'], detached: true, digest: 'sha256' },
      { name: 'attached sha256 -keyid', args: ['-md', 'sha256', '-nodetach', '-keyid'], detached: false, digest: 'sha256' },
      { name: 'streamed (BER) attached sha256', args: ['-md', 'sha256', '-nodetach', '-stream'], detached: false, digest: 'sha256' },
    ];
    for (const v of variants) {
      it(`${v.name} verifies, chained to the root`, () => {
        const der = pki.openssl(['cms', '-sign', '-binary', ...v.args, '-in', 'body.bin', '-signer', 'leaf.pem',
          '-inkey', 'leaf.key', '-certfile', 'inter.pem', '-outform', 'DER']);
        const r = cmsVerify(der, { detachedContent: v.detached ? body : undefined, trustAnchors: [root.cert], at: NOW });
        assert.deepEqual(r.content, body);
        assert.equal(r.digestAlgorithm, v.digest);
        assert.equal(r.signer.fingerprint256, leaf.cert.fingerprint256);
        assert.equal(r.signedAttributes.size === 0, v.args.includes('-noattr'));
      });
    }
  });

  describe('failures', () => {
    let detached: Buffer, noattr: Buffer;
    before(() => {
      detached = pki.openssl(['cms', '-sign', '-binary', '-md', 'sha256', '-in', 'body.bin', '-signer', 'leaf.pem',
        '-inkey', 'leaf.key', '-certfile', 'inter.pem', '-outform', 'DER']);
      noattr = pki.openssl(['cms', '-sign', '-binary', '-md', 'sha256', '-noattr', '-in', 'body.bin', '-signer',
        'leaf.pem', '-inkey', 'leaf.key', '-outform', 'DER']);
    });
    const tampered = Buffer.concat([body.subarray(0, -2), Buffer.from('X\n')]);

    it('a tampered body fails the messageDigest check', () => {
      assert.equal(reasonOf(() => cmsVerify(detached, { detachedContent: tampered })), 'digest-mismatch');
    });
    it('a tampered body without signed attributes fails the signature', () => {
      assert.equal(reasonOf(() => cmsVerify(noattr, { detachedContent: tampered })), 'bad-signature');
    });
    it('a tampered signature fails', () => {
      const bad = Buffer.from(cmsSign(body, leaf, { detached: true }));
      bad[bad.length - 10] ^= 0x01; // the signature OCTET STRING ends the message
      assert.equal(reasonOf(() => cmsVerify(bad, { detachedContent: body })), 'bad-signature');
    });
    it('a tampered signed attribute fails the signature', () => {
      const der = cmsSign(body, leaf, { signingTime: new Date('2024-05-01T12:00:00Z') });
      const at = der.indexOf(Buffer.from('240501120000Z'));
      const bad = Buffer.from(der);
      bad[at] = 0x31; // 2024 → 1024... still a valid UTCTime digit
      assert.equal(reasonOf(() => cmsVerify(bad)), 'bad-signature');
    });
    it('a signer outside the trust anchors is untrusted', () => {
      assert.equal(reasonOf(() => cmsVerify(detached, { detachedContent: body, trustAnchors: [stranger.cert], at: NOW })),
        'untrusted-chain');
    });
    it('without the intermediate in the message the chain is untrusted', () => {
      const der = cmsSign(body, leaf, { includeCertificates: [leaf.cert] });
      assert.equal(reasonOf(() => cmsVerify(der, { trustAnchors: [root.cert], at: NOW })), 'untrusted-chain');
      cmsVerify(der, { trustAnchors: [inter.cert], at: NOW }); // an intermediate may be the anchor
    });
    it('an expired signer fails unless dates are ignored', () => {
      const later = new Date(Date.parse(leaf.cert.validTo) + 86400_000);
      assert.equal(reasonOf(() => cmsVerify(detached, { detachedContent: body, trustAnchors: [root.cert], at: later })),
        'expired');
      cmsVerify(detached, { detachedContent: body, trustAnchors: [root.cert], ignoreDates: true, at: later });
    });
    it('truncated or garbage input is malformed', () => {
      assert.equal(reasonOf(() => cmsVerify(detached.subarray(0, 100), { detachedContent: body })), 'malformed');
      assert.equal(reasonOf(() => cmsVerify(randomBytes(64), { detachedContent: body })), 'malformed');
    });
    it('a detached signature without detachedContent is malformed', () => {
      assert.equal(reasonOf(() => cmsVerify(detached, {})), 'malformed');
    });
  });

  describe('degenerateCertificates', () => {
    it('is a certs-only SignedData that openssl reads', () => {
      const der = degenerateCertificates([inter.cert, root.cert]);
      pki.write('certs.p7b', der);
      const pem = pki.openssl(['pkcs7', '-inform', 'DER', '-in', 'certs.p7b', '-print_certs']).toString();
      assert.equal(pem.match(/BEGIN CERTIFICATE/g)?.length, 2);
      assert.deepEqual(certificatesFromSignedData(der).map((c) => c.fingerprint256),
        [inter.cert.fingerprint256, root.cert.fingerprint256]);
      const [version, digestAlgs, encap, , signerInfos] = children(children(children(parseDer(der))[1])[0]);
      assert.equal(smallIntOf(version), 1);
      assert.equal(children(digestAlgs).length, 0);
      assert.equal(children(encap).length, 1);
      assert.equal(children(signerInfos).length, 0);
    });
  });
});
