// POST /profile, GET /profile, PUT and DELETE /profile/devices (define-profile, fetch-profile,
// assign-profile, clear-device-profile; the Profile object).
import assert from 'node:assert/strict';
import { addDevices, at, createDepServer, depCall, openSession, serverKeyPair, T0, type DepServerFixture } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

const certB64 = () => serverKeyPair().cert.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

describe('DEP profiles', () => {
  let t: TestOrchard;
  let srv: DepServerFixture;
  let call: ReturnType<typeof depCall>;
  beforeEach(async () => {
    t = await buildTestOrchard();
    t.clock.freeze(T0);
    srv = await createDepServer(t, 'Profiles MDM');
    call = depCall(t, await openSession(t, srv.secrets));
  });
  const json = (res: { text: string }) => JSON.parse(res.text);

  it('defines a profile with every field, assigns devices at once, and answers it back from GET', async () => {
    const [mine] = await addDevices(t, t.orgId, srv.id, 1);
    const other = await createDepServer(t, 'Other MDM');
    const [theirs] = await addDevices(t, t.orgId, other.id, 1);
    const profile = {
      profile_name: 'Staff iPhones', url: 'https://mdm.example.com/enroll', configuration_web_url: 'https://mdm.example.com/web',
      allow_pairing: false, is_supervised: true, is_multi_user: false, is_mandatory: true, await_device_configured: true,
      is_mdm_removable: false, auto_advance_setup: true, do_not_use_profile_from_backup: true, is_return_to_service: false,
      support_phone_number: '+1 555 0100', support_email_address: 'help@example.com', org_magic: 'magic-42',
      department: 'IT', language: 'en', region: 'US', anchor_certs: [certB64()], supervising_host_certs: [certB64()],
      skip_setup_items: ['AppleID', 'Siri', 'TOS'],
    };
    const res = await call('post', '/profile', { ...profile, devices: [mine, theirs] });
    assert.equal(res.status, 200);
    const body = json(res);
    assert.match(body.profile_uuid, /^[0-9A-F]{32}$/);
    assert.deepEqual(body, { profile_uuid: body.profile_uuid, devices: { [mine!]: 'SUCCESS', [theirs!]: 'NOT_ACCESSIBLE' } });
    const got = await call('get', `/profile?profile_uuid=${body.profile_uuid}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'application/json;charset=UTF8');
    assert.deepEqual(json(got), { profile_uuid: body.profile_uuid, ...profile });
    const d = json(await call('post', '/devices', { devices: [mine] })).devices[mine!];
    assert.equal(d.profile_status, 'assigned');
    assert.equal(d.profile_uuid, body.profile_uuid);
    assert.equal(d.profile_assign_time, at());
  });

  it('fills Apple\'s defaults for omitted flags', async () => {
    const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'Minimal', url: 'https://mdm.example.com/enroll' }));
    assert.deepEqual(json(await call('get', `/profile?profile_uuid=${profile_uuid}`)), {
      profile_uuid, profile_name: 'Minimal', url: 'https://mdm.example.com/enroll', allow_pairing: true, is_supervised: false,
      is_multi_user: false, is_mandatory: false, await_device_configured: false, is_mdm_removable: true, auto_advance_setup: false,
      do_not_use_profile_from_backup: false, is_return_to_service: false, anchor_certs: [], supervising_host_certs: [],
      skip_setup_items: [],
    });
  });

  const url = 'https://mdm.example.com/enroll';
  const cases: Array<[string, Record<string, unknown> | string, string]> = [
    ['no name', { url }, 'CONFIG_NAME_REQUIRED'],
    ['a name over 125 characters', { profile_name: 'x'.repeat(126), url }, 'CONFIG_NAME_INVALID'],
    ['no url', { profile_name: 'P' }, 'CONFIG_URL_REQUIRED'],
    ['a url that is not a URL', { profile_name: 'P', url: 'not a url' }, 'CONFIG_URL_INVALID'],
    ['a javascript: url', { profile_name: 'P', url: 'javascript:alert(1)' }, 'CONFIG_URL_INVALID'],
    ['an ftp: configuration_web_url', { profile_name: 'P', url, configuration_web_url: 'ftp://x.example.com/' }, 'CONFIG_URL_INVALID'],
    ['a url over 2000 characters', { profile_name: 'P', url: `https://x.example.com/${'a'.repeat(2000)}` }, 'CONFIG_URL_INVALID'],
    ['a department over 125 characters', { profile_name: 'P', url, department: 'd'.repeat(126) }, 'DEPARTMENT_INVALID'],
    ['is_mdm_removable false without supervision', { profile_name: 'P', url, is_mdm_removable: false }, 'FLAGS_INVALID'],
    ['a bad language', { profile_name: 'P', url, language: 'English' }, 'LOCALE_INVALID'],
    ['a bad region', { profile_name: 'P', url, region: 'usa' }, 'LOCALE_INVALID'],
    ['org_magic over 256 characters', { profile_name: 'P', url, org_magic: 'm'.repeat(257) }, 'MAGIC_INVALID'],
    ['a support email over 250 characters', { profile_name: 'P', url, support_email_address: `${'e'.repeat(245)}@x.com` }, 'SUPPORT_EMAIL_INVALID'],
    ['a support email without @', { profile_name: 'P', url, support_email_address: 'help' }, 'SUPPORT_EMAIL_INVALID'],
    ['a support phone over 50 characters', { profile_name: 'P', url, support_phone_number: '5'.repeat(51) }, 'SUPPORT_PHONE_INVALID'],
    ['an unknown skip key', { profile_name: 'P', url, skip_setup_items: ['AppleID', 'MakeCoffee'] }, 'SKIP_ITEMS_INVALID'],
    ['an anchor cert that is not a certificate', { profile_name: 'P', url, anchor_certs: ['bm90IGEgY2VydA=='] }, 'ANCHOR_CERTS_INVALID'],
    ['a supervising host cert that is not base64', { profile_name: 'P', url, supervising_host_certs: ['%%%'] }, 'SUPERVISING_HOST_CERTS_INVALID'],
    ['a flag that is not a boolean', { profile_name: 'P', url, is_supervised: 'yes' }, 'MALFORMED_REQUEST_BODY'],
    ['a body that is not JSON', '{"profile_name":', 'MALFORMED_REQUEST_BODY'],
  ];
  for (const [what, body, code] of cases) {
    it(`answers 400 ${code} for ${what}`, async () => {
      const res = await call('post', '/profile', body);
      assert.deepEqual([res.status, res.text], [400, code]);
    });
  }

  it('answers GET /profile without profile_uuid with 400 PROFILE_UUID_REQUIRED, an unknown one with 400 NOT_FOUND', async () => {
    let res = await call('get', '/profile');
    assert.deepEqual([res.status, res.text], [400, 'PROFILE_UUID_REQUIRED']);
    res = await call('get', '/profile?profile_uuid=0123456789ABCDEF0123456789ABCDEF');
    assert.deepEqual([res.status, res.text], [400, 'NOT_FOUND']);
  });

  it('does not show one server\'s profile to another', async () => {
    const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'Mine', url }));
    const other = await createDepServer(t, 'Other MDM');
    const res = await depCall(t, await openSession(t, other.secrets))('get', `/profile?profile_uuid=${profile_uuid}`);
    assert.deepEqual([res.status, res.text], [400, 'NOT_FOUND']);
  });

  describe('PUT /profile/devices', () => {
    it('assigns per device: SUCCESS for the server\'s devices, NOT_ACCESSIBLE for others', async () => {
      const [a, b] = await addDevices(t, t.orgId, srv.id, 2);
      const foreign = await t.otherOrg();
      const [x] = await addDevices(t, foreign.orgId, undefined, 1);
      const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'P', url }));
      const res = await call('put', '/profile/devices', { profile_uuid, devices: [a, b, x] });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), { profile_uuid, devices: { [a!]: 'SUCCESS', [b!]: 'SUCCESS', [x!]: 'NOT_ACCESSIBLE' } });
    });

    it('answers 400 PROFILE_UUID_REQUIRED, 400 DEVICE_ID_REQUIRED and 404 PROFILE_NOT_FOUND', async () => {
      const [a] = await addDevices(t, t.orgId, srv.id, 1);
      let res = await call('put', '/profile/devices', { devices: [a] });
      assert.deepEqual([res.status, res.text], [400, 'PROFILE_UUID_REQUIRED']);
      const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'P', url }));
      res = await call('put', '/profile/devices', { profile_uuid, devices: [] });
      assert.deepEqual([res.status, res.text], [400, 'DEVICE_ID_REQUIRED']);
      res = await call('put', '/profile/devices', { profile_uuid: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', devices: [a] });
      assert.deepEqual([res.status, res.text], [404, 'PROFILE_NOT_FOUND']);
    });

    it('records the assignment for sync as a modified op', async () => {
      const [a] = await addDevices(t, t.orgId, srv.id, 1);
      const { cursor } = json(await call('post', '/server/devices', {}));
      const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'P', url }));
      t.clock.advance(30_000);
      await call('put', '/profile/devices', { profile_uuid, devices: [a] });
      const synced = json(await call('post', '/devices/sync', { cursor })).devices;
      assert.equal(synced.length, 1);
      assert.deepEqual(
        { s: synced[0].serial_number, op: synced[0].op_type, at: synced[0].op_date, st: synced[0].profile_status, p: synced[0].profile_uuid },
        { s: a, op: 'modified', at: at(30_000), st: 'assigned', p: profile_uuid },
      );
    });
  });

  describe('DELETE /profile/devices', () => {
    it('removes the profile (status removed) and answers per device', async () => {
      const [a, b] = await addDevices(t, t.orgId, srv.id, 2);
      const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'P', url, devices: [a] }));
      const res = await call('delete', '/profile/devices', { profile_uuid, devices: [a, b, 'NOSUCHSERIAL'] });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), { devices: { [a!]: 'SUCCESS', [b!]: 'FAILED', NOSUCHSERIAL: 'NOT_ACCESSIBLE' } });
      const d = json(await call('post', '/devices', { devices: [a] })).devices[a!];
      assert.equal(d.profile_status, 'removed');
      assert.equal(d.profile_uuid, undefined);
    });

    it('answers 400 DEVICE_ID_REQUIRED without devices', async () => {
      const res = await call('delete', '/profile/devices', {});
      assert.deepEqual([res.status, res.text], [400, 'DEVICE_ID_REQUIRED']);
    });
  });

  describe('markPushed (the device fetched its profile)', () => {
    it('sets profile_status pushed and profile_push_time, and sync sees a modified op', async () => {
      const [a] = await addDevices(t, t.orgId, srv.id, 1);
      const { profile_uuid } = json(await call('post', '/profile', { profile_name: 'P', url, devices: [a] }));
      const { cursor } = json(await call('post', '/server/devices', {}));
      t.clock.advance(120_000);
      assert.deepEqual(await t.deps.services.depProfiles.markPushed(a!), { serverId: srv.id, profileUuid: profile_uuid });
      const synced = json(await call('post', '/devices/sync', { cursor })).devices;
      assert.deepEqual(synced.map((d: any) => [d.op_type, d.profile_status, d.profile_push_time, d.op_date]), [
        ['modified', 'pushed', at(120_000), at(120_000)],
      ]);
    });

    it('does nothing for a device without a profile', async () => {
      const [a] = await addDevices(t, t.orgId, srv.id, 1);
      assert.equal(await t.deps.services.depProfiles.markPushed(a!), undefined);
    });
  });
});
