import assert from 'node:assert/strict';
import request from 'supertest';
import { cmsSign } from '../../../src/crypto/cms.js';
import { IPHONE, issueDeviceIdentity, recordIdentity } from '../../support/mdm.js';
import { mdmTest, plistDoc } from './setup.js';

describe('MDM check-in: MessageType=Authenticate', () => {
  it('returns 200 with an empty body, binds the identity and records the device facts', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.device(facts);
    const res = await client.authenticate();
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    const e = await t.deps.store.enrollments.get(facts.udid);
    assert.equal(e?.state, 'authenticated');
    assert.equal(e?.orgId, t.orgId);
    assert.equal(e?.platform, 'iOS');
    assert.equal(e?.family, 'iPhone');
    assert.equal(e?.serialNumber, facts.serialNumber);
    assert.equal(e?.osVersion, '17.5.1');
    assert.equal(e?.buildVersion, '21F90');
    assert.equal(e?.deviceName, "Alex's iPhone");
    const events = await t.deps.store.events.list(t.orgId, { type: 'mdm.Authenticate' });
    assert.equal(events.length, 1);
    const payload = JSON.parse(events[0]!.payload);
    assert.equal(payload.topic, 'mdm.Authenticate');
    assert.equal(payload.checkin_event.udid, facts.udid);
    assert.match(Buffer.from(payload.checkin_event.raw_payload, 'base64').toString(), /<string>Authenticate<\/string>/);
  });

  it('accepts a plist exactly as an iPhone sends it (Apple DOCTYPE, IMEI with spaces)', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const identity = await issueDeviceIdentity(t.ca, facts.udid);
    await recordIdentity(t.deps.store, identity, t.orgId, { udid: facts.udid });
    const body = Buffer.from(plistDoc(`\t<key>BuildVersion</key>\n\t<string>21F90</string>\n\t<key>IMEI</key>\n\t<string>35 392011 482915 3</string>
\t<key>MEID</key>\n\t<string>35392011482915</string>\n\t<key>MessageType</key>\n\t<string>Authenticate</string>
\t<key>Model</key>\n\t<string>iPhone15,2</string>\n\t<key>ModelName</key>\n\t<string>iPhone</string>
\t<key>OSVersion</key>\n\t<string>17.5.1</string>\n\t<key>ProductName</key>\n\t<string>iPhone15,2</string>
\t<key>SerialNumber</key>\n\t<string>${facts.serialNumber}</string>\n\t<key>Topic</key>\n\t<string>com.apple.mgmt.External.7f3a5c2e-1b4d-4e8f-9a6b-2c1d3e4f5a6b</string>
\t<key>UDID</key>\n\t<string>${facts.udid}</string>`));
    const res = await request(t.app).put('/mdm/checkin').set('Content-Type', 'application/x-apple-aspen-mdm-checkin')
      .set('Mdm-Signature', cmsSign(body, identity, { detached: true }).toString('base64')).send(body);
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assert.equal((await t.deps.store.enrollments.get(facts.udid))?.imei, '35 392011 482915 3');
  });

  it('refuses with 403 an identity issued by the CA but not recorded as issued by Orchard', async () => {
    const t = await mdmTest();
    const facts = IPHONE();
    const { client } = await t.device(facts);
    const stray = await issueDeviceIdentity(t.ca, 'stray');
    const res = await client.checkin({ MessageType: 'Authenticate', UDID: facts.udid, Topic: 'x' }, stray);
    assert.equal(res.status, 403);
    assert.match(res.body.toString(), /not issued by this server/);
    assert.equal(await t.deps.store.enrollments.get(facts.udid), undefined);
  });

  it('refuses with 403 an identity that was issued to another UDID', async () => {
    const t = await mdmTest();
    const a = await t.device(IPHONE());
    const b = IPHONE();
    const res = await a.client.checkin({ MessageType: 'Authenticate', UDID: b.udid, Topic: 'x' });
    assert.equal(res.status, 403);
    assert.match(res.body.toString(), /issued to another device/);
    assert.equal(await t.deps.store.enrollments.get(b.udid), undefined);
  });
});
