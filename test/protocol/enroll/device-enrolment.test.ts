import assert from 'node:assert/strict';
import request from 'supertest';
import { cmsVerify } from '../../../src/crypto/cms.js';
import { issueCertificate } from '../../../src/crypto/certificates.js';
import { ensureBuiltinMdm } from '../../../src/business/enrollment/builtin-mdm.js';
import { parsePlistDict } from '../../../src/plist/index.js';
import { signAsDevice } from '../../../src/sim/identity.js';
import { openProfile, payloadOfType } from '../../../src/sim/profile.js';
import { addDevices, createDepServer } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { plistlibRead, smimeVerify } from '../../support/openssl.js';
import { certifiedDevice, deviceKey, machineInfo, newUdid, signedMachineInfo } from '../../support/sim-device.js';

const binary = (r: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('Automated Device Enrolment: device-facing /enroll', () => {
  let t: TestOrchard;
  let builtin: Awaited<ReturnType<typeof ensureBuiltinMdm>>;
  before(async () => {
    t = await buildTestOrchard();
    builtin = await ensureBuiltinMdm(t.deps, t.orgId);
  });

  /** A device of the demo organisation, assigned to Orchard's MDM with its ADE profile. */
  async function assignedDevice(profileUuid = builtin.profileUuid) {
    const [serial] = await addDevices(t, t.orgId, builtin.serverId, 1);
    await t.deps.services.depProfiles.assign(builtin.serverId, profileUuid, [serial!]);
    return certifiedDevice(t, serial!);
  }
  const post = (path: string, body: Buffer, type = 'application/pkcs7-signature') =>
    request(t.app).post(path).set('Content-Type', type).send(body).buffer(true).parse(binary);
  const deliveries = () => t.deps.store.enrollmentDeliveries.count();

  describe('POST /enroll/cloud-config', () => {
    it('answers the signed cloud configuration from the ADE profile and marks the profile pushed', async () => {
      const d = await assignedDevice();
      const asked = t.clock.now();
      const res = await post('/enroll/cloud-config', signedMachineInfo(d));
      const answered = t.clock.now();
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/pkcs7-mime');
      const v = cmsVerify(res.body, { trustAnchors: [t.deps.pki.ca.cert], at: t.clock.now() });
      const c = await plistlibRead(v.content);
      assert.equal(c.ConfigurationURL, 'http://localhost:8080/enroll/dep');
      assert.equal(c.IsSupervised, true);
      assert.equal(c.IsMandatory, true);
      assert.equal(c.IsMDMUnremovable, false);
      assert.equal(c.AllowPairing, true);
      assert.deepEqual(c.SkipSetup, []);
      assert.equal(c.OrganizationName, 'Orchard Demo Company');
      assert.equal(c.OrganizationPhone, '+1 408 555 0100');
      assert.deepEqual(c.AnchorCertificates, [{ $data: t.deps.pki.ca.cert.raw.toString('base64') }]);
      assert.equal(c.ProfileUUID, builtin.profileUuid);
      const dev = await t.deps.store.devices.get(t.orgId, d.serial);
      assert.equal(dev?.profileStatus, 'pushed');
      const pushed = dev!.profilePushTime!.getTime();
      assert.ok(pushed >= asked.getTime() && pushed <= answered.getTime(), 'profile_push_time is the time of the request');
    });

    it('maps every ADE profile field a server can set', async () => {
      const { profile } = await t.deps.services.depProfiles.define({ serverId: builtin.serverId, orgId: t.orgId }, {
        profileName: 'Full', url: 'https://mdm.example.test/enroll', configurationWebUrl: 'https://mdm.example.test/web',
        allowPairing: false, isSupervised: true, isMultiUser: true, isMandatory: false, awaitDeviceConfigured: true, isMdmRemovable: false,
        autoAdvanceSetup: true, doNotUseProfileFromBackup: false, isReturnToService: false, supportPhoneNumber: '+1 555 0100',
        supportEmailAddress: 'help@demo.orchard.test', orgMagic: 'MAGIC-1', department: 'IT', language: 'en', region: 'US',
        anchorCerts: [], supervisingHostCerts: [t.deps.pki.ca.cert.raw.toString('base64')], skipSetupItems: ['Location', 'Siri'],
      });
      const d = await assignedDevice(profile.profileUuid);
      const res = await post('/enroll/cloud-config', signedMachineInfo(d));
      assert.equal(res.status, 200);
      const c = parsePlistDict(cmsVerify(res.body).content);
      assert.deepEqual(
        { ...c, SupervisorHostCertificates: undefined, OrganizationAddress: undefined },
        {
          ConfigurationURL: 'https://mdm.example.test/enroll', ConfigurationWebURL: 'https://mdm.example.test/web', IsSupervised: true,
          AllowPairing: false, IsMandatory: false, IsMDMUnremovable: true, IsMultiUser: true, AwaitDeviceConfigured: true,
          AutoAdvanceSetup: true, SkipSetup: ['Location', 'Siri'], AnchorCertificates: [], OrganizationName: 'Orchard Demo Company',
          OrganizationEmail: 'it@demo.orchard.test', OrganizationPhone: '+1 408 555 0100', ProfileUUID: profile.profileUuid,
          OrganizationMagic: 'MAGIC-1', OrganizationDepartment: 'IT', OrganizationSupportPhone: '+1 555 0100',
          OrganizationSupportEmail: 'help@demo.orchard.test', Language: 'en', Region: 'US',
          SupervisorHostCertificates: undefined, OrganizationAddress: undefined,
        },
      );
      assert.deepEqual((c.SupervisorHostCertificates as Uint8Array[]).map((b) => Buffer.from(b)), [t.deps.pki.ca.cert.raw]);
    });

    it('gives a device assigned to Orchard\'s MDM without a profile the built-in default profile, as an MDM sync would', async () => {
      const [serial] = await addDevices(t, t.orgId, builtin.serverId, 1);
      const d = await certifiedDevice(t, serial!);
      const res = await post('/enroll/cloud-config', signedMachineInfo(d));
      assert.equal(res.status, 200);
      assert.equal(parsePlistDict(cmsVerify(res.body).content).ProfileUUID, builtin.profileUuid);
      const dev = await t.deps.store.devices.get(t.orgId, serial!);
      assert.deepEqual([dev?.profileUuid, dev?.profileStatus], [builtin.profileUuid, 'pushed']);
    });

    it('says "not enrolled" (404, signed) for a device no server assigned a profile, and changes nothing', async () => {
      const elsewhere = await createDepServer(t, `Profile-less MDM ${newUdid()}`);
      const [serial] = await addDevices(t, t.orgId, elsewhere.id, 1);
      const d = await certifiedDevice(t, serial!);
      const res = await post('/enroll/cloud-config', signedMachineInfo(d));
      assert.equal(res.status, 404);
      const c = parsePlistDict(cmsVerify(res.body, { trustAnchors: [t.deps.pki.ca.cert], at: t.clock.now() }).content);
      assert.equal(c.Error, 'DeviceNotEnrolled');
      assert.equal((await t.deps.store.devices.get(t.orgId, serial!))?.profileStatus, 'empty');
    });

    it('refuses an unsigned request (400), a foreign signer (400) and a request for another serial (403)', async () => {
      const d = await assignedDevice();
      const unsigned = await post('/enroll/cloud-config', Buffer.from('<plist/>'));
      assert.equal(unsigned.status, 400);
      assert.equal(JSON.parse(unsigned.body.toString()).code, 'BAD_SIGNATURE');
      const other = await assignedDevice();
      const replay = await post('/enroll/cloud-config', signAsDevice(machineInfo(other.serial, other.udid), d.identity));
      assert.equal(replay.status, 403);
      assert.equal(JSON.parse(replay.body.toString()).code, 'DEVICE_MISMATCH');
      assert.equal((await t.deps.store.devices.get(t.orgId, other.serial))?.profileStatus, 'assigned');
    });
  });

  describe('POST /enroll/dep (MachineInfo)', () => {
    it('answers the signed enrolment profile for a device assigned to Orchard\'s MDM, whatever the content type', async () => {
      const d = await assignedDevice();
      const before = await deliveries();
      const res = await post('/enroll/dep', signedMachineInfo(d), 'application/octet-stream');
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-apple-aspen-config');
      const xml = await smimeVerify(res.body);
      const p = await plistlibRead(xml);
      const scep = p.PayloadContent.find((x: any) => x.PayloadType === 'com.apple.security.scep');
      assert.deepEqual(scep.PayloadContent.Subject, [[['O', 'Orchard Demo Company']], [['CN', d.udid]]]);
      const challenge = await t.deps.store.scepChallenges.get((await import('../../../src/crypto/random.js')).sha256Hex(scep.PayloadContent.Challenge));
      assert.equal(challenge?.serialNumber, d.serial);
      assert.equal(challenge?.udid, d.udid);
      assert.equal(challenge?.purpose, 'dep');
      assert.equal(await deliveries(), before + 1);
      const [rec] = await t.deps.store.enrollmentDeliveries.listBySerial(t.orgId, d.serial);
      assert.deepEqual([rec?.kind, rec?.udid, rec?.product, rec?.osBuild], ['dep', d.udid, 'iPhone15,4', '21F90']);
    });

    it('refuses unsigned, wrongly signed, replayed-for-another-serial and unassigned devices, recording nothing', async () => {
      const d = await assignedDevice();
      const before = await deliveries();
      const kp = await deviceKey();
      const now = t.clock.now();
      const selfSigned = await issueCertificate({ subject: { CN: d.udid, serialNumber: d.serial }, publicKey: kp.publicKey, signingKey: kp.privateKey, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 3_600_000) });
      const other = await assignedDevice();
      const [unassignedSerial] = await addDevices(t, t.orgId, undefined, 1);
      const unassigned = await certifiedDevice(t, unassignedSerial!);
      const [noProfileSerial] = await addDevices(t, t.orgId, builtin.serverId, 1);
      const noProfile = await certifiedDevice(t, noProfileSerial!);
      const elsewhere = await createDepServer(t, `Other MDM ${newUdid()}`);
      const [elsewhereSerial] = await addDevices(t, t.orgId, elsewhere.id, 1);
      const { profile } = await t.deps.services.depProfiles.define({ serverId: elsewhere.id, orgId: t.orgId }, {
        profileName: 'Theirs', url: 'https://other.example.test/enroll', allowPairing: true, isSupervised: false, isMultiUser: false, isMandatory: false,
        awaitDeviceConfigured: false, isMdmRemovable: true, autoAdvanceSetup: false, doNotUseProfileFromBackup: false, isReturnToService: false,
        anchorCerts: [], supervisingHostCerts: [], skipSetupItems: [],
      }, [elsewhereSerial!]);
      assert.ok(profile);
      const theirs = await certifiedDevice(t, elsewhereSerial!);

      const cases: Array<[string, Buffer, number, string]> = [
        ['unsigned plist', Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict/></plist>'), 400, 'BAD_SIGNATURE'],
        ['empty body', Buffer.alloc(0), 400, 'BAD_SIGNATURE'],
        ['self-signed device certificate', signAsDevice(machineInfo(d.serial, d.udid), { cert: selfSigned, key: kp.privateKey }), 400, 'BAD_SIGNATURE'],
        ['replayed for another serial', signAsDevice(machineInfo(other.serial, other.udid), d.identity), 403, 'DEVICE_MISMATCH'],
        ['same serial, another UDID', signAsDevice(machineInfo(d.serial, newUdid()), d.identity), 403, 'DEVICE_MISMATCH'],
        ['assigned to no server', signedMachineInfo(unassigned), 403, 'DEVICE_NOT_ASSIGNED'],
        ['assigned without a profile', signedMachineInfo(noProfile), 403, 'DEVICE_NOT_ASSIGNED'],
        ['assigned to another MDM server', signedMachineInfo(theirs), 403, 'DEVICE_NOT_ASSIGNED'],
      ];
      for (const [what, body, status, code] of cases) {
        const res = await post('/enroll/dep', body);
        assert.equal(res.status, status, what);
        assert.equal(JSON.parse(res.body.toString()).code, code, what);
      }
      assert.equal(await deliveries(), before);
    });

    it('refuses a tampered MachineInfo (signature over other bytes)', async () => {
      const d = await assignedDevice();
      const signed = signedMachineInfo(d);
      const at = signed.indexOf(Buffer.from('21F90'));
      signed.write('99Z99', at);
      const res = await post('/enroll/dep', signed);
      assert.equal(res.status, 400);
    });
  });

  describe('configuration_web_url: sign-in before the profile', () => {
    let webProfile: string;
    before(async () => {
      await t.deps.services.organisations.update({ accountId: 'x', orgId: t.orgId, email: 'admin@demo.orchard.test', roles: ['Administrator'], via: 'api-token' }, { brandColor: '#0a84ff' });
      webProfile = (await t.deps.services.depProfiles.define({ serverId: builtin.serverId, orgId: t.orgId }, {
        profileName: 'With sign-in', url: 'http://localhost:8080/enroll/dep', configurationWebUrl: 'http://localhost:8080/enroll/web',
        allowPairing: true, isSupervised: true, isMultiUser: false, isMandatory: true, awaitDeviceConfigured: false, isMdmRemovable: true,
        autoAdvanceSetup: false, doNotUseProfileFromBackup: false, isReturnToService: false, anchorCerts: [], supervisingHostCerts: [], skipSetupItems: [],
      })).profile.profileUuid;
    });

    it('sends the device to the web page instead of answering MachineInfo (403 AUTHENTICATION_REQUIRED)', async () => {
      const d = await assignedDevice(webProfile);
      const res = await post('/enroll/dep', signedMachineInfo(d));
      assert.equal(res.status, 403);
      assert.equal(JSON.parse(res.body.toString()).code, 'AUTHENTICATION_REQUIRED');
    });

    it('shows the organisation\'s branding and consent text to a device presenting x-apple-aspen-deviceinfo', async () => {
      const d = await assignedDevice(webProfile);
      const res = await request(t.app).get('/enroll/web').set('x-apple-aspen-deviceinfo', signedMachineInfo(d).toString('base64'));
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^text\/html/);
      assert.match(res.text, /<h1>Orchard Demo Company<\/h1>/);
      assert.match(res.text, /By enrolling this device you agree that Orchard Demo Company may manage it\./);
      assert.match(res.text, /#0a84ff/);
      assert.match(res.text, new RegExp(`serial number ${d.serial}`));
      assert.match(res.text, /<form method="post" action="http:\/\/localhost:8080\/enroll\/web">/);
    });

    it('refuses the page without (400) or with a forged (400) device info', async () => {
      assert.equal((await request(t.app).get('/enroll/web')).status, 400);
      assert.equal((await request(t.app).get('/enroll/web').set('x-apple-aspen-deviceinfo', Buffer.from('nope').toString('base64'))).status, 400);
    });

    it('serves the profile after a sign-in with a Managed Apple ID of the organisation, and only then', async () => {
      const d = await assignedDevice(webProfile);
      const info = signedMachineInfo(d).toString('base64');
      const password = 'correct horse battery staple';
      const account = await t.deps.services.accounts.create('system', t.orgId, { email: `staff-${d.serial}@demo.orchard.test`, roles: ['Staff'], password });
      const other = await t.otherOrg();
      const otherAccount = await t.deps.services.accounts.create('system', other.orgId, { email: `it-${d.serial}@apfelbaum.test`, roles: ['Staff'], password });
      const before = await deliveries();
      const form = (email: string, pw: string) => request(t.app).post('/enroll/web').type('form').send({ deviceinfo: info, email, password: pw }).buffer(true).parse(binary);

      const wrong = await form(account.email, 'wrong password');
      assert.equal(wrong.status, 401);
      assert.match(wrong.body.toString(), /wrong Managed Apple ID or password/);
      assert.equal((await form(otherAccount.email, password)).status, 401);
      assert.equal(await deliveries(), before);

      const ok = await form(account.email, password);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['content-type'], 'application/x-apple-aspen-config');
      const opened = openProfile(ok.body, [t.deps.pki.ca.cert], t.clock.now());
      assert.equal(opened.verified, true);
      assert.ok(payloadOfType(opened.profile, 'com.apple.mdm'));
      const [rec] = await t.deps.store.enrollmentDeliveries.listBySerial(t.orgId, d.serial);
      assert.deepEqual([rec?.kind, rec?.accountId], ['web', account.id]);
    });

    it('locks the web sign-in like the portal\'s (one check): after 5 failures the right password is refused too', async () => {
      const d = await assignedDevice(webProfile);
      const info = signedMachineInfo(d).toString('base64');
      const password = 'correct horse battery staple';
      const account = await t.deps.services.accounts.create('system', t.orgId, { email: `locked-${d.serial}@demo.orchard.test`, roles: ['Staff'], password });
      const form = (pw: string) => request(t.app).post('/enroll/web').type('form').send({ deviceinfo: info, email: account.email, password: pw }).buffer(true).parse(binary);
      for (let i = 0; i < 5; i++) assert.equal((await form(`wrong ${i}`)).status, 401);
      const locked = await form(password);
      assert.equal(locked.status, 401);
      assert.match(locked.body.toString(), /too many failed sign-ins: try again in 1 s/);
      const portal = await request(t.app).post('/api/v1/session').send({ email: account.email, password });
      assert.equal(portal.status, 429);
      t.clock.advance(1_000);
      assert.equal((await form(password)).status, 200);
    });
  });

  describe('POST /api/v1/sim/device-identities', () => {
    it('certifies a device key as serial (serialNumber) and UDID (CN), for Administrators only', async () => {
      const [serial] = await addDevices(t, t.orgId, undefined, 1);
      const d = await certifiedDevice(t, serial!, '00008101-000A1C2E0C30001E');
      assert.match(d.identity.cert.subject, /CN=00008101-000A1C2E0C30001E/);
      assert.match(d.identity.cert.subject, new RegExp(`serialNumber=${serial}`));
      assert.ok(d.identity.cert.verify(t.deps.pki.deviceAttestationCa.cert.publicKey));
      const dm = await t.tokenFor(['DeviceManager']);
      const res = await request(t.app).post('/api/v1/sim/device-identities').set('Authorization', `Bearer ${dm}`).send({ serial_number: 'C02SIMTEST02', udid: newUdid(), csr: 'AAAA' });
      assert.equal(res.status, 403);
      const bad = await request(t.app).post('/api/v1/sim/device-identities').set('Authorization', `Bearer ${t.adminToken}`).send({ serial_number: 'bad serial', udid: newUdid(), csr: 'AAAA' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'serial_number_invalid');
    });

    // Issue 17, finding 1: another organisation's Administrator asked the simulated factory for
    // the demo organisation's serial, got its identity and enrolled as that device.
    it("refuses another organisation's serial, and a serial no organisation holds, with the same 404", async () => {
      const [demoSerial] = await addDevices(t, t.orgId, builtin.serverId, 1);
      await t.deps.services.depProfiles.assign(builtin.serverId, builtin.profileUuid, [demoSerial!]);
      const other = await t.otherOrg();
      const kp = await deviceKey();
      const { createCsr } = await import('../../../src/crypto/csr.js');
      const udid = newUdid();
      const csr = (await createCsr({ subject: { CN: udid, serialNumber: demoSerial! }, privateKey: kp.privateKey, publicKey: kp.publicKey })).toString('base64');
      const ask = (token: string, serial: string) => request(t.app).post('/api/v1/sim/device-identities')
        .set('Authorization', `Bearer ${token}`).send({ serial_number: serial, udid, csr });
      const foreign = await ask(other.token, demoSerial!);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.error.code, 'device_not_found');
      assert.equal(foreign.body.certificate, undefined);
      const nowhere = await ask(other.token, 'NOSUCHSERIAL01');
      assert.equal(nowhere.status, 404);
      assert.deepEqual(nowhere.body, foreign.body);
      // The organisation that holds the device still gets its identity.
      const own = await ask(t.adminToken, demoSerial!);
      assert.equal(own.status, 201);
    });
  });
});
