// POST /server/devices, /devices/sync, /devices, /devices/disown (fetch-devices, sync-devices,
// device-details, disown-devices).
import assert from 'node:assert/strict';
import { DAY_MS, isoSeconds } from '../../../src/clock.js';
import { addDevices, at, createDepServer, depCall, openSession, T0, type DepServerFixture } from '../../support/dep-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

describe('DEP devices', () => {
  let t: TestOrchard;
  let srv: DepServerFixture;
  let call: ReturnType<typeof depCall>;
  beforeEach(async () => {
    t = await buildTestOrchard();
    t.clock.freeze(T0);
    srv = await createDepServer(t, 'Devices MDM');
    call = depCall(t, await openSession(t, srv.secrets));
  });
  const json = (res: { text: string }) => JSON.parse(res.text);

  describe('POST /server/devices', () => {
    it('answers the Device objects of the server with cursor, more_to_follow and fetched_until', async () => {
      const [serial] = await addDevices(t, t.orgId, srv.id, 1);
      const res = await call('post', '/server/devices', {});
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json;charset=UTF8');
      const body = json(res);
      assert.deepEqual(Object.keys(body), ['devices', 'cursor', 'more_to_follow', 'fetched_until']);
      assert.deepEqual(body.devices, [{
        serial_number: serial, model: 'iPhone 15', description: 'IPHONE 15 BLACK 128GB', color: 'BLACK',
        profile_status: 'empty', device_assigned_date: at(), device_assigned_by: 'system',
        os: 'iOS', device_family: 'iPhone',
      }]);
      assert.equal(body.more_to_follow, false);
      assert.equal(body.fetched_until, at());
      assert.equal(typeof body.cursor, 'string');
    });

    it('pages with limit (default 100, capped at 1000) until more_to_follow is false, then EXHAUSTED_CURSOR', async () => {
      const serials = await addDevices(t, t.orgId, srv.id, 7);
      let body = json(await call('post', '/server/devices', { limit: 3 }));
      const seen = body.devices.map((d: any) => d.serial_number);
      assert.equal(body.more_to_follow, true);
      while (body.more_to_follow) {
        body = json(await call('post', '/server/devices', { limit: 3, cursor: body.cursor }));
        seen.push(...body.devices.map((d: any) => d.serial_number));
      }
      assert.deepEqual(seen, serials);
      const res = await call('post', '/server/devices', { cursor: body.cursor });
      assert.deepEqual([res.status, res.text], [400, 'EXHAUSTED_CURSOR']);
      assert.equal(json(await call('post', '/server/devices', { limit: 5000 })).devices.length, 7);
    });

    it('shows only the devices assigned to this server', async () => {
      const other = await createDepServer(t, 'Other MDM');
      await addDevices(t, t.orgId, other.id, 2);
      await addDevices(t, t.orgId, undefined, 2);
      const mine = await addDevices(t, t.orgId, srv.id, 1);
      assert.deepEqual(json(await call('post', '/server/devices', {})).devices.map((d: any) => d.serial_number), mine);
    });

    it('answers 400 INVALID_CURSOR for another server\'s cursor or a forged one', async () => {
      const other = await createDepServer(t, 'Other MDM');
      const theirs = json(await depCall(t, await openSession(t, other.secrets))('post', '/server/devices', {})).cursor;
      let res = await call('post', '/server/devices', { cursor: theirs });
      assert.deepEqual([res.status, res.text], [400, 'INVALID_CURSOR']);
      res = await call('post', '/server/devices', { cursor: 'MTIzNDU2Nzg5MA' });
      assert.deepEqual([res.status, res.text], [400, 'INVALID_CURSOR']);
    });

    it('answers 400 MALFORMED_REQUEST_BODY for a body that is not a JSON object', async () => {
      for (const bad of ['{not json', '[1,2]', '{"limit":"ten"}']) {
        const res = await call('post', '/server/devices', bad);
        assert.deepEqual([res.status, res.text], [400, 'MALFORMED_REQUEST_BODY'], bad);
      }
    });

    it('gates os/device_family by X-Server-Protocol-Version and says iPadOS from version 7', async () => {
      await addDevices(t, t.orgId, srv.id, 1, 'iPad');
      const s = await openSession(t, srv.secrets);
      assert.equal(json(await depCall(t, s, 7)('post', '/server/devices', {})).devices[0].os, 'iPadOS');
      assert.equal(json(await depCall(t, s, 6)('post', '/server/devices', {})).devices[0].os, 'iOS');
      const v1 = json(await depCall(t, s, 1)('post', '/server/devices', {})).devices[0];
      assert.equal(v1.os, undefined);
      assert.equal(v1.device_family, undefined);
    });
  });

  describe('POST /devices/sync', () => {
    it('answers the changes since the fetch cursor with op_type and op_date', async () => {
      const [kept, moved] = await addDevices(t, t.orgId, srv.id, 2);
      const fetched = json(await call('post', '/server/devices', {}));
      const other = await createDepServer(t, 'Other MDM');
      t.clock.advance(60_000);
      await t.deps.store.devices.assign(t.orgId, other.id, [moved!], t.clock.now(), 'admin@demo.orchard.test');
      const [added] = await addDevices(t, t.orgId, srv.id, 1);
      const res = await call('post', '/devices/sync', { cursor: fetched.cursor });
      assert.equal(res.status, 200);
      const body = json(res);
      assert.deepEqual(body.devices, [
        { serial_number: moved, op_type: 'deleted', op_date: at(60_000) },
        {
          serial_number: added, model: 'iPhone 15', description: 'IPHONE 15 BLACK 128GB', color: 'BLACK', profile_status: 'empty',
          device_assigned_date: at(60_000), device_assigned_by: 'system', os: 'iOS', device_family: 'iPhone',
          op_type: 'added', op_date: at(60_000),
        },
      ]);
      assert.equal(body.more_to_follow, false);
      assert.ok(kept);
      // Nothing new since: an empty page, and the new cursor continues from there.
      assert.deepEqual(json(await call('post', '/devices/sync', { cursor: body.cursor })).devices, []);
    });

    it('pages the op record with limit and more_to_follow', async () => {
      const fetched = json(await call('post', '/server/devices', {}));
      const serials = await addDevices(t, t.orgId, srv.id, 5);
      let body = json(await call('post', '/devices/sync', { cursor: fetched.cursor, limit: 2 }));
      const seen = body.devices.map((d: any) => d.serial_number);
      while (body.more_to_follow) {
        body = json(await call('post', '/devices/sync', { cursor: body.cursor, limit: 2 }));
        seen.push(...body.devices.map((d: any) => d.serial_number));
      }
      assert.deepEqual(seen, serials);
    });

    it('answers 400 CURSOR_REQUIRED without a cursor', async () => {
      const res = await call('post', '/devices/sync', {});
      assert.deepEqual([res.status, res.text], [400, 'CURSOR_REQUIRED']);
    });

    it('answers 400 EXPIRED_CURSOR for a cursor older than 7 days', async () => {
      const fetched = json(await call('post', '/server/devices', {}));
      t.clock.advance(7 * DAY_MS + 1000);
      const res = await depCall(t, await openSession(t, srv.secrets))('post', '/devices/sync', { cursor: fetched.cursor });
      assert.deepEqual([res.status, res.text], [400, 'EXPIRED_CURSOR']);
    });
  });

  describe('POST /devices (details)', () => {
    it('answers each serial with its Device and response_status; other servers\' and organisations\' are NOT_ACCESSIBLE', async () => {
      const [mine] = await addDevices(t, t.orgId, srv.id, 1);
      const other = await createDepServer(t, 'Other MDM');
      const [theirs] = await addDevices(t, t.orgId, other.id, 1);
      const foreignOrg = await t.otherOrg();
      const [foreign] = await addDevices(t, foreignOrg.orgId, undefined, 1);
      const res = await call('post', '/devices', { devices: [mine, theirs, foreign, 'NOSUCHSERIAL'] });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), {
        devices: {
          [mine!]: {
            serial_number: mine, model: 'iPhone 15', description: 'IPHONE 15 BLACK 128GB', color: 'BLACK', profile_status: 'empty',
            device_assigned_date: isoSeconds(t.clock.now()), device_assigned_by: 'system', os: 'iOS', device_family: 'iPhone',
            response_status: 'SUCCESS',
          },
          [theirs!]: { response_status: 'NOT_ACCESSIBLE' },
          [foreign!]: { response_status: 'NOT_ACCESSIBLE' },
          NOSUCHSERIAL: { response_status: 'NOT_ACCESSIBLE' },
        },
      });
    });

    it('answers 400 DEVICE_ID_REQUIRED without devices', async () => {
      for (const body of [{}, { devices: [] }]) {
        const res = await call('post', '/devices', body);
        assert.deepEqual([res.status, res.text], [400, 'DEVICE_ID_REQUIRED']);
      }
    });
  });

  describe('POST /devices/disown', () => {
    it('disowns the server\'s devices (SUCCESS) and refuses others (NOT_ACCESSIBLE)', async () => {
      const [mine] = await addDevices(t, t.orgId, srv.id, 1);
      const other = await createDepServer(t, 'Other MDM');
      const [theirs] = await addDevices(t, t.orgId, other.id, 1);
      const res = await call('post', '/devices/disown', { devices: [mine, theirs] });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), { devices: { [mine!]: 'SUCCESS', [theirs!]: 'NOT_ACCESSIBLE' } });
      assert.deepEqual(json(await call('post', '/server/devices', {})).devices, []);
    });
  });
});
