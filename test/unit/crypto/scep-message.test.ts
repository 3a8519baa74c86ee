import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { children, oidOf, parseDer } from '../../../src/crypto/der.js';
import { cmsVerify } from '../../../src/crypto/cms.js';
import {
  buildCertRep,
  buildPkcsReq,
  parseCertRep,
  parsePkiMessage,
  PkiMessageError,
  type PkiMessage,
} from '../../../src/crypto/scep-message.js';
import type { Identity } from '../../../src/crypto/types.js';
import { makePki, reasonOf, type Pki } from './openssl-helpers.js';

const MESSAGE_TYPE = '2.16.840.1.113733.1.9.2';
const PKI_STATUS = '2.16.840.1.113733.1.9.3';
const FAIL_INFO = '2.16.840.1.113733.1.9.4';
const SENDER_NONCE = '2.16.840.1.113733.1.9.5';
const RECIPIENT_NONCE = '2.16.840.1.113733.1.9.6';
const TRANSACTION_ID = '2.16.840.1.113733.1.9.7';
const printable = (s: string) => Buffer.concat([Buffer.from([0x13, s.length]), Buffer.from(s)]);

describe('SCEP pkiMessage (RFC 8894)', () => {
  let pki: Pki;
  let ca: Identity, otherCa: Identity, device: Identity;
  let csrDer: Buffer;
  const nonce = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

  before(() => {
    pki = makePki();
    ca = pki.identity('ca', { ca: true });
    otherCa = pki.identity('otherca', { ca: true });
    // The device: a key, a CSR with challengePassword, and a temporary self-signed cert (§2.3).
    pki.write('req.cnf', '[req]\nprompt=no\ndistinguished_name=dn\nattributes=attrs\n[dn]\nCN=device-1\n[attrs]\nchallengePassword=s3cret\n');
    pki.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'device.key']);
    pki.openssl(['req', '-new', '-config', 'req.cnf', '-key', 'device.key', '-outform', 'DER', '-out', 'device.csr']);
    pki.openssl(['req', '-x509', '-new', '-key', 'device.key', '-subj', '/CN=device-1 temporary', '-days', '1', '-out', 'device.pem']);
    csrDer = pki.read('device.csr');
    device = { cert: new X509Certificate(pki.read('device.pem')), key: createPrivateKey(pki.read('device.key')) };
  });
  after(() => pki.cleanup());

  const pkcsReq = (o: Partial<Parameters<typeof buildPkcsReq>[0]> = {}) =>
    buildPkcsReq({ csrDer, signer: device, caCert: ca.cert, transactionID: 'TX-1', senderNonce: nonce, ...o });

  function issue(request: PkiMessage): X509Certificate {
    pki.write('in.csr', request.csrDer!);
    pki.write('client.ext', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    pki.openssl(['x509', '-req', '-inform', 'DER', '-in', 'in.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
      '-CAcreateserial', '-days', '30', '-extfile', 'client.ext', '-out', 'issued.pem']);
    return new X509Certificate(pki.read('issued.pem'));
  }

  describe('PKCSReq → parsePkiMessage', () => {
    it('yields the type, transaction, nonce, signer and the decrypted CSR (AES-128, SHA-256)', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      assert.equal(req.messageType, 'PKCSReq');
      assert.equal(req.transactionID, 'TX-1');
      assert.deepEqual(req.senderNonce, nonce);
      assert.equal(req.signerCert.fingerprint256, device.cert.fingerprint256);
      assert.deepEqual(req.csrDer, csrDer);
      assert.equal(req.digestAlgorithm, 'sha256');
      assert.equal(req.contentEncryption, 'aes-128-cbc');
      pki.write('seen.csr', req.csrDer!);
      assert.match(pki.openssl(['req', '-inform', 'DER', '-in', 'seen.csr', '-noout', '-text']).toString(), /challengePassword\s*:\s*s3cret/);
    });
    it('carries the SCEP attributes as PrintableString/OCTET STRING, signed by the self-signed cert', () => {
      const v = cmsVerify(pkcsReq({ transactionID: 'abc' }), {});
      assert.deepEqual(v.signedAttributes.get(MESSAGE_TYPE), [printable('19')]);
      assert.deepEqual(v.signedAttributes.get(TRANSACTION_ID), [printable('abc')]);
      assert.deepEqual(v.signedAttributes.get(SENDER_NONCE), [Buffer.concat([Buffer.from([0x04, 16]), nonce])]);
      assert.deepEqual(v.certificates.map((c) => c.fingerprint256), [device.cert.fingerprint256]);
      // the content is the DER ContentInfo(EnvelopedData) with id-data inside
      const [ct, wrapped] = children(parseDer(v.content));
      assert.equal(oidOf(ct), '1.2.840.113549.1.7.3');
      assert.equal(oidOf(children(children(children(wrapped)[0])[2])[0]), '1.2.840.113549.1.7.1');
    });
    it('reports 3DES and SHA-1 when the client used them', () => {
      const req = parsePkiMessage(pkcsReq({ cipher: 'des-ede3-cbc', digest: 'sha1' }), ca);
      assert.equal(req.contentEncryption, 'des-ede3-cbc');
      assert.equal(req.digestAlgorithm, 'sha1');
      assert.deepEqual(req.csrDer, csrDer);
    });
    it('an envelope for another CA fails but still gives the header for a FAILURE reply', () => {
      let caught: unknown;
      try {
        parsePkiMessage(pkcsReq(), otherCa);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof PkiMessageError);
      assert.equal(caught.reason, 'not-for-recipient');
      assert.equal(caught.request.transactionID, 'TX-1');
      assert.deepEqual(caught.request.senderNonce, nonce);
    });
    it('a tampered request fails its signature check', () => {
      const der = Buffer.from(pkcsReq());
      der[der.length - 5] ^= 0x40;
      assert.equal(reasonOf(() => parsePkiMessage(der, ca)), 'bad-signature');
    });
  });

  describe('CertRep', () => {
    it('SUCCESS round-trips to the client with the issued cert', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      const issued = issue(req);
      const rep = buildCertRep({ ca, request: req, status: 'SUCCESS', issued });
      const parsed = parseCertRep(rep, { caCert: ca.cert, requester: device });
      assert.equal(parsed.status, 'SUCCESS');
      assert.equal(parsed.failInfo, undefined);
      assert.equal(parsed.transactionID, 'TX-1');
      assert.deepEqual(parsed.recipientNonce, nonce);
      assert.equal(parsed.senderNonce.length, 16);
      assert.notDeepEqual(parsed.senderNonce, nonce);
      assert.deepEqual(parsed.certificates.map((c) => c.fingerprint256), [issued.fingerprint256]);
    });
    it('SUCCESS opens with openssl: CA signature, envelope to the device, degenerate certs-only SignedData', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      const issued = issue(req);
      pki.write('rep.der', buildCertRep({ ca, request: req, status: 'SUCCESS', issued, chain: [ca.cert] }));
      pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'rep.der', '-CAfile', 'ca.pem',
        '-purpose', 'any', '-out', 'env.der']); // our test CA's keyUsage is keyCertSign only
      pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', 'env.der', '-inkey', 'device.key',
        '-recip', 'device.pem', '-out', 'certs.p7b']);
      const pem = pki.openssl(['pkcs7', '-inform', 'DER', '-in', 'certs.p7b', '-print_certs']).toString();
      const certs = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!;
      assert.deepEqual(certs.map((c) => new X509Certificate(c).fingerprint256), [issued.fingerprint256, ca.cert.fingerprint256]);
    });
    it('SUCCESS carries messageType 3, pkiStatus 0 and the nonces; AES-128 and SHA-256 like the request', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      const v = cmsVerify(buildCertRep({ ca, request: req, status: 'SUCCESS', issued: issue(req) }), {});
      assert.deepEqual(v.signedAttributes.get(MESSAGE_TYPE), [printable('3')]);
      assert.deepEqual(v.signedAttributes.get(PKI_STATUS), [printable('0')]);
      assert.deepEqual(v.signedAttributes.get(TRANSACTION_ID), [printable('TX-1')]);
      assert.deepEqual(v.signedAttributes.get(RECIPIENT_NONCE), [Buffer.concat([Buffer.from([0x04, 16]), nonce])]);
      assert.equal(v.signedAttributes.has(FAIL_INFO), false);
      assert.equal(v.digestAlgorithm, 'sha256');
      assert.equal(v.signer.fingerprint256, ca.cert.fingerprint256);
      const eci = children(children(children(parseDer(v.content))[1])[0])[2];
      assert.equal(oidOf(children(children(eci)[1])[0]), '2.16.840.1.101.3.4.1.2');
    });
    it('answers a 3DES/SHA-1 request with 3DES and SHA-1', () => {
      const req = parsePkiMessage(pkcsReq({ cipher: 'des-ede3-cbc', digest: 'sha1' }), ca);
      const rep = buildCertRep({ ca, request: req, status: 'SUCCESS', issued: issue(req) });
      const v = cmsVerify(rep, {});
      assert.equal(v.digestAlgorithm, 'sha1');
      const eci = children(children(children(parseDer(v.content))[1])[0])[2];
      assert.equal(oidOf(children(children(eci)[1])[0]), '1.2.840.113549.3.7');
      assert.equal(parseCertRep(rep, { caCert: ca.cert, requester: device }).certificates.length, 1);
    });
    it('FAILURE carries failInfo and no content', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      const rep = buildCertRep({ ca, request: req, status: 'FAILURE', failInfo: 'badRequest' });
      const encap = children(children(children(parseDer(rep))[1])[0])[2];
      assert.equal(children(encap).length, 1); // eContentType only
      const v = cmsVerify(rep, { detachedContent: Buffer.alloc(0) });
      assert.deepEqual(v.signedAttributes.get(PKI_STATUS), [printable('2')]);
      assert.deepEqual(v.signedAttributes.get(FAIL_INFO), [printable('2')]);
      const parsed = parseCertRep(rep, { caCert: ca.cert, requester: device });
      assert.equal(parsed.status, 'FAILURE');
      assert.equal(parsed.failInfo, 'badRequest');
      assert.deepEqual(parsed.certificates, []);
      assert.deepEqual(parsed.recipientNonce, nonce);
    });
    it('PENDING has neither failInfo nor content', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      const rep = buildCertRep({ ca, request: req, status: 'PENDING' });
      const parsed = parseCertRep(rep, { caCert: ca.cert, requester: device });
      assert.equal(parsed.status, 'PENDING');
      assert.equal(parsed.failInfo, undefined);
      assert.equal(children(children(children(children(parseDer(rep))[1])[0])[2]).length, 1); // no eContent
    });
    it('a CertRep from another CA is untrusted', () => {
      const req = parsePkiMessage(pkcsReq(), ca);
      const rep = buildCertRep({ ca: otherCa, request: req, status: 'PENDING' });
      assert.equal(reasonOf(() => parseCertRep(rep, { caCert: ca.cert, requester: device })), 'untrusted-chain');
    });
    it('a request is not taken for a CertRep', () => {
      assert.equal(reasonOf(() => parseCertRep(pkcsReq(), { caCert: device.cert, requester: device })), 'malformed');
    });
  });
});
