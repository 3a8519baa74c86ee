import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { certificateFacts, fingerprintOf, parseCertificate, verifyIssuedBy } from '../../../src/crypto/certificates.js';
import { generateRsaKeyPair } from '../../../src/crypto/keys.js';
import { ChallengeIssuer } from '../../../src/business/scep/challenges.js';
import { fetchScepCa, scepEnrol, ScepEnrolmentError } from '../../../src/sim/scep-client.js';
import { buildTestOrchard, tempDir, type TestOrchard } from '../../support/harness.js';
import { listenOnLoopback } from '../../support/listen.js';

const run = promisify(execFile);

describe('SCEP face /scep (RFC 8894)', () => {
  let t: TestOrchard;
  let server: { url: string; close(): Promise<void> };
  let issuer: ChallengeIssuer;
  let keys: Awaited<ReturnType<typeof generateRsaKeyPair>>;
  before(async () => {
    t = await buildTestOrchard();
    server = await listenOnLoopback(t.app);
    issuer = new ChallengeIssuer(t.deps.store.scepChallenges, t.clock);
    keys = await generateRsaKeyPair(2048);
  });
  after(() => server.close());
  const url = () => `${server.url}/scep`;

  describe('GetCACaps', () => {
    it('lists the capabilities one per line as text/plain', async () => {
      const res = await request(t.app).get('/scep?operation=GetCACaps');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^text\/plain/);
      assert.deepEqual(res.text.split('\n').sort(), ['AES', 'DES3', 'POSTPKIOperation', 'Renewal', 'SCEPStandard', 'SHA-1', 'SHA-256']);
    });
  });

  describe('GetCACert', () => {
    it('answers the CA certificate as bare DER with application/x-x509-ca-cert', async () => {
      const res = await request(t.app).get('/scep?operation=GetCACert').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-x509-ca-cert');
      assert.deepEqual(res.body, t.deps.pki.ca.cert.raw);
    });
  });

  describe('operation errors', () => {
    it('refuses an unknown operation with 400', async () => {
      const res = await request(t.app).get('/scep?operation=GetNothing');
      assert.equal(res.status, 400);
    });
    it('refuses a PKIOperation body that is not a signed pkiMessage with 400', async () => {
      const res = await request(t.app).post('/scep?operation=PKIOperation').set('content-type', 'application/x-pki-message').send(Buffer.from('not der'));
      assert.equal(res.status, 400);
      assert.match(res.text, /bad pkiMessage/);
    });
  });

  describe('PKIOperation PKCSReq', () => {
    it('issues a client-auth identity for a valid one-time challenge and records its organisation', async () => {
      const { challenge } = await issuer.issue({ orgId: t.orgId, purpose: 'manual' });
      const id = await scepEnrol({ url: url(), challenge, subject: { CN: 'sim-device-1', O: 'Orchard Demo Company' }, keys, now: t.clock.now() });
      assert.ok(verifyIssuedBy(id.cert, t.deps.pki.ca.cert));
      assert.equal(certificateFacts(id.cert).subject.CN, 'sim-device-1');
      assert.ok(id.cert.checkPrivateKey(keys.privateKey));
      const recorded = await t.deps.store.mdmIdentities.get(fingerprintOf(id.cert));
      assert.equal(recorded?.orgId, t.orgId);
    });

    it('answers CertRep FAILURE badRequest when the challenge is reused', async () => {
      const { challenge } = await issuer.issue({ orgId: t.orgId, purpose: 'manual' });
      await scepEnrol({ url: url(), challenge, subject: { CN: 'first' }, keys, now: t.clock.now() });
      await assert.rejects(scepEnrol({ url: url(), challenge, subject: { CN: 'second' }, keys, now: t.clock.now() }),
        (e: ScepEnrolmentError) => e.failInfo === 'badRequest');
    });

    it('answers CertRep FAILURE badRequest for a wrong or missing challenge', async () => {
      await assert.rejects(scepEnrol({ url: url(), challenge: 'not-a-challenge', subject: { CN: 'x' }, keys, now: t.clock.now() }),
        (e: ScepEnrolmentError) => e.failInfo === 'badRequest');
      await assert.rejects(scepEnrol({ url: url(), subject: { CN: 'x' }, keys, now: t.clock.now() }),
        (e: ScepEnrolmentError) => e.failInfo === 'badRequest');
    });

    it('answers CertRep FAILURE badRequest for an expired challenge', async () => {
      const { challenge } = await issuer.issue({ orgId: t.orgId, purpose: 'manual' });
      t.clock.advance(61 * 60 * 1000);
      try {
        await assert.rejects(scepEnrol({ url: url(), challenge, subject: { CN: 'late' }, keys, now: t.clock.now() }),
          (e: ScepEnrolmentError) => e.failInfo === 'badRequest');
      } finally {
        t.clock.advance(-61 * 60 * 1000);
      }
    });

    it('refuses a challenge bound to one device when another UDID asks (Subject CN)', async () => {
      const { challenge } = await issuer.issue({ orgId: t.orgId, purpose: 'dep', serialNumber: 'C02BOUND0001', udid: 'UDID-BOUND' });
      await assert.rejects(scepEnrol({ url: url(), challenge, subject: { CN: 'UDID-OTHER' }, keys, now: t.clock.now() }),
        (e: ScepEnrolmentError) => e.failInfo === 'badRequest');
      // The refusal did not spend it: the right device still enrols.
      const id = await scepEnrol({ url: url(), challenge, subject: { CN: 'UDID-BOUND' }, keys, now: t.clock.now() });
      const recorded = await t.deps.store.mdmIdentities.get(fingerprintOf(id.cert));
      assert.equal(recorded?.serialNumber, 'C02BOUND0001');
      assert.equal(recorded?.udid, 'UDID-BOUND');
    });

    it('checks the CA against the payload CAFingerprint', async () => {
      const wrong = Buffer.alloc(20, 1);
      await assert.rejects(fetchScepCa(url(), fetch, wrong), /CAFingerprint/);
    });
  });

  describe('interoperability: micromdm scepclient', () => {
    const scepclient = async (dir: string, challenge: string, cn: string) => {
      const key = path.join(dir, `${cn}.key`);
      const out = path.join(dir, `${cn}.pem`);
      const r = await run('scepclient', ['-server-url', url(), '-challenge', challenge, '-private-key', key, '-certificate', out, '-cn', cn], { timeout: 30_000 })
        .then((x) => ({ ok: true, ...x }), (e) => ({ ok: false, stdout: e.stdout as string, stderr: e.stderr as string }));
      return { ...r, out, key };
    };

    it('gets an identity with the challenge; a reused challenge gets FAILURE badRequest', async function () {
      const dir = tempDir('orchard-scepclient-');
      const { challenge } = await issuer.issue({ orgId: t.orgId, purpose: 'manual' });
      const first = await scepclient(dir, challenge, 'scepclient-one');
      assert.ok(first.ok, `scepclient failed: ${first.stdout}\n${first.stderr}`);
      const cert = parseCertificate(fs.readFileSync(first.out));
      assert.ok(verifyIssuedBy(cert, t.deps.pki.ca.cert));
      assert.equal(certificateFacts(cert).subject.CN, 'scepclient-one');
      const caFile = path.join(dir, 'ca.pem');
      fs.writeFileSync(caFile, t.deps.pki.ca.cert.toString());
      const verified = await run('openssl', ['verify', '-CAfile', caFile, '-purpose', 'sslclient', first.out]);
      assert.match(verified.stdout, /: OK/);

      const again = await scepclient(dir, challenge, 'scepclient-two');
      assert.equal(again.ok, false);
      assert.match(again.stdout + again.stderr, /badRequest|failInfo|FAILURE/i);
      assert.equal(fs.existsSync(again.out), false);
    });
  });
});
