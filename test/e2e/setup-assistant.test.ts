// End to end on a loopback Orchard: an admin assigns a device to Orchard's MDM, the built-in MDM
// assigns its ADE profile through the Device Assignment API (OAuth 1.0a, its own server token),
// and the simulated device walks Setup Assistant to a verified, installed profile.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cmsDecrypt, smimeDecode } from '../../src/crypto/cms.js';
import { fingerprintOf, verifyIssuedBy } from '../../src/crypto/certificates.js';
import { loadConfig } from '../../src/config.js';
import { BUILTIN_SERVER_NAME } from '../../src/business/enrollment/builtin-mdm.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { SimulatedDevice } from '../../src/sim/device.js';
import { KeyPool } from '../../src/sim/keys.js';
import { depAuthorization, type ServerTokenSecrets } from '../support/dep-oauth.js';
import { tempDir } from '../support/harness.js';
import { deviceKey } from '../support/sim-device.js';

describe('e2e: Setup Assistant with Orchard\'s MDM', function () {
  let orchard: RunningOrchard;
  let token: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${orchard.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  let dep: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

  before(async () => {
    const config = { ...loadConfig({ ORCHARD_DATA_DIR: tempDir('orchard-e2e-'), ORCHARD_LOG_LEVEL: 'silent' }), port: 0, depPort: 0, testControls: true };
    orchard = await startOrchard(config, { logger: silentLogger });
    token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
  });
  after(() => orchard?.close());

  it('enrols an iPhone assigned to Orchard\'s MDM and reports profile_status pushed', async () => {
    // The built-in MDM server is registered like any other.
    const servers = await api('GET', '/mdm-servers');
    assert.equal(servers.status, 200);
    const builtin = servers.body.items.find((s: any) => s.name === BUILTIN_SERVER_NAME);
    assert.ok(builtin, 'Orchard MDM is listed');

    // An admin adds a device and assigns it to Orchard's MDM.
    const serial = 'F2LXQ0ABCDEF';
    const added = await api('POST', '/devices', { serial_number: serial, family: 'iPhone', model: 'iPhone 15' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const assigned = await api('POST', `/mdm-servers/${builtin.id}/devices`, { serial_numbers: [serial] });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));

    // Orchard's MDM, as a DEP client: its own token (enveloped to the key Orchard holds), a session, the profile assignment.
    const { deps } = orchard;
    const tokenFile = await deps.services.servers.downloadToken(orchard.bootstrap.orgId!, builtin.id);
    const secrets = JSON.parse(cmsDecrypt(smimeDecode(tokenFile.body), deps.pki.signing).toString('utf8').split(/\r?\n/).find((l) => l.startsWith('{'))!) as ServerTokenSecrets;
    const sessionUrl = `${orchard.url}/dep/session`;
    const session = await fetch(sessionUrl, { headers: { authorization: depAuthorization(secrets, sessionUrl), 'user-agent': 'orchard-e2e/1.0' } });
    assert.equal(session.status, 200);
    const sessionToken = ((await session.json()) as any).auth_session_token;
    dep = async (method, path, body) => {
      const res = await fetch(`${orchard.url}/dep${path}`, {
        method, body: body ? JSON.stringify(body) : undefined,
        headers: { 'x-adm-auth-session': sessionToken, 'x-server-protocol-version': '7', 'user-agent': 'orchard-e2e/1.0', 'content-type': 'application/json;charset=UTF8' },
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    };
    const { profileUuid } = (await deps.store.builtinMdm.find(orchard.bootstrap.orgId!))!;
    const profile = await dep('GET', `/profile?profile_uuid=${profileUuid}`);
    assert.equal(profile.status, 200);
    assert.equal(profile.body.url, `${orchard.url}/enroll/dep`);
    const assign = await dep('PUT', '/profile/devices', { profile_uuid: profileUuid, devices: [serial] });
    assert.deepEqual(assign.body.devices, { [serial]: 'SUCCESS' });
    assert.equal((await dep('POST', '/devices', { devices: [serial] })).body.devices[serial].profile_status, 'assigned');

    // The device: identity from the factory, then Setup Assistant.
    const device = new SimulatedDevice({ serial, family: 'iPhone', keys: KeyPool.of([await deviceKey()]) });
    await device.obtainIdentity(orchard.url, token);
    const outcome = await device.enrol({ orchardUrl: orchard.url });
    assert.equal(outcome.state, 'enrolled');
    assert.equal(device.profileVerified, true);
    assert.equal(device.cloudConfig?.ConfigurationURL, `${orchard.url}/enroll/dep`);
    assert.deepEqual(device.mdm && { ...device.mdm, topic: undefined, identityCertificateUuid: undefined }, {
      serverUrl: `${orchard.url}/mdm/connect`, checkInUrl: `${orchard.url}/mdm/checkin`, topic: undefined, signMessage: true,
      accessRights: 8191, identityCertificateUuid: undefined,
    });
    assert.equal(device.mdm?.topic, await deps.pushTopic.currentPushTopic(orchard.bootstrap.orgId!));
    assert.ok(verifyIssuedBy(device.mdmIdentity!.cert, deps.pki.ca.cert));
    const recorded = await deps.store.mdmIdentities.get(fingerprintOf(device.mdmIdentity!.cert));
    assert.deepEqual([recorded?.orgId, recorded?.serialNumber, recorded?.udid], [orchard.bootstrap.orgId, serial, device.udid]);

    // Ready to check in: Orchard's MDM accepts the SCEP identity at Authenticate and TokenUpdate.
    const mdm = device.mdmClient();
    assert.equal((await mdm.authenticate()).status, 200);
    assert.equal((await mdm.tokenUpdate()).status, 200);

    // The DEP API tells the MDM server the profile was pushed.
    const details = await dep('POST', '/devices', { devices: [serial] });
    assert.equal(details.body.devices[serial].profile_status, 'pushed');
    assert.match(details.body.devices[serial].profile_push_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('a device in no organisation\'s ADE ends Setup Assistant unmanaged', async () => {
    const device = new SimulatedDevice({ serial: 'DMPZZ0000001', family: 'iPad', keys: KeyPool.of([await deviceKey()]) });
    // No organisation holds the serial: only the server operator's simulated factory certifies it.
    await assert.rejects(device.obtainIdentity(orchard.url, token), /HTTP 404/);
    await device.obtainIdentity(orchard.url, fs.readFileSync(orchard.operatorTokenFile, 'utf8').trim());
    const outcome = await device.enrol({ orchardUrl: orchard.url });
    assert.equal(outcome.state, 'not-enrolled');
    assert.equal(device.mdmIdentity, undefined);
  });

  it('enrols through an enrolment URL directly (as with another MDM), skipping activation', async () => {
    const servers = await api('GET', '/mdm-servers');
    const builtin = servers.body.items.find((s: any) => s.name === BUILTIN_SERVER_NAME);
    const serial = 'C02MACDIRECT';
    assert.equal((await api('POST', '/devices', { serial_number: serial, family: 'Mac', model: 'MacBook Air' })).status, 201);
    await api('POST', `/mdm-servers/${builtin.id}/devices`, { serial_numbers: [serial] });
    const { profileUuid } = (await orchard.deps.store.builtinMdm.find(orchard.bootstrap.orgId!))!;
    await dep('PUT', '/profile/devices', { profile_uuid: profileUuid, devices: [serial] });
    const mac = new SimulatedDevice({ serial, family: 'Mac', keys: KeyPool.of([await deviceKey()]) });
    await mac.obtainIdentity(orchard.url, token);
    const outcome = await mac.enrol({ enrolUrl: `${orchard.url}/enroll/dep`, anchors: [orchard.deps.pki.ca.cert] });
    assert.equal(outcome.state, 'enrolled');
    assert.equal(mac.profileVerified, true);
    assert.equal(mac.cloudConfig, undefined);
    assert.ok(mac.mdmIdentity);
  });
});
