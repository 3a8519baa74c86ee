// Upgrading from the old separate programmes (issue 16): an old DEP/VPP account's export
// (fixtures/upgrade-export.sample.json, docs/upgrade-import.md) imported into the demo
// organisation through POST /api/v1/organisation/upgrade-imports, then read back through the API
// (servers and their tokens, devices and orders, licences, the sToken, the outbox's invitations).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import request from 'supertest';
import { readFixture } from '../../../src/fixtures.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey, tokenJson, type ServerKey } from '../../support/mdm-server-cert.js';
import { assertMatchesContract } from '../../support/openapi.js';
import { latestMail, linkIn } from '../../support/outbox.js';
import { asOperator } from '../../support/signup.js';
import { storeSnapshot } from '../../support/store-snapshot.js';

const PATH = '/api/v1/organisation/upgrade-imports';
const sample = () => readFixture<any>('upgrade-export.sample.json');

describe('upgrade import of an old DEP/VPP account (issue 16)', function () {
  this.timeout(120_000);
  let t: TestOrchard;
  let key: ServerKey;
  before(() => { key = makeServerKey(); });
  beforeEach(async () => { t = await buildTestOrchard(); });
  const as = (r: request.Test, token = t.adminToken) => r.set('Authorization', `Bearer ${token}`);
  /** The sample with the servers' certificate replaced by one whose key the test holds. */
  const exportWithKey = () => {
    const doc = sample();
    for (const s of doc.device_enrollment.servers) s.public_key = key.certPem;
    return doc;
  };
  const refusedUnchanged = async (doc: unknown, status: number, code: string, pointers?: string[], token?: string, query = '') => {
    const before = storeSnapshot(t.db);
    const r = await as(request(t.app).post(`${PATH}${query}`), token).send(doc as object);
    assert.deepEqual([r.status, r.body.error?.code], [status, code], JSON.stringify(r.body));
    if (pointers) assert.deepEqual(r.body.error.details.errors.map((e: any) => e.pointer), pointers);
    assert.equal(storeSnapshot(t.db), before, 'nothing changed');
    return r.body.error;
  };

  it('imports servers with new tokens, devices with their orders and servers, licences, the sToken, and invites the remaining purchasers', async () => {
    const r = await as(request(t.app).post(PATH)).send(exportWithKey());
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.headers.location, `${PATH}/${r.body.id}`);
    assert.deepEqual(r.body.counts, { servers: 2, devices: 5, orders: 2, purchases: 3, licences: 40, content_tokens: 1, invitations: 2, existing_accounts: 1 });
    assert.deepEqual([r.body.account_name, r.body.imported_by], ['Orchard Demo Company (DEP + VPP, 2019)', 'admin@demo.orchard.test']);
    assert.match(r.body.source_digest, /^[0-9a-f]{64}$/);
    assertMatchesContract('post', '/organisation/upgrade-imports', r);

    // Servers, each with a token that only its key opens.
    const servers = (await as(request(t.app).get('/api/v1/mdm-servers')).expect(200)).body.items;
    const legacy = servers.find((s: any) => s.name === 'Legacy MDM');
    const mac = servers.find((s: any) => s.name === 'Legacy Mac MDM');
    assert.ok(legacy && mac, JSON.stringify(servers.map((s: any) => s.name)));
    assert.equal(legacy.device_count, 3);
    const p7m = await as(request(t.app).get(`/api/v1/mdm-servers/${legacy.id}/token`)).expect(200);
    assert.match(tokenJson(key.decrypt(p7m.text ?? p7m.body)).consumer_key, /^CK_[0-9a-f]{128}$/);

    // Devices on their servers, from their orders.
    const devices = (await as(request(t.app).get('/api/v1/devices?order_number=DEP-2019-0042')).expect(200)).body.items;
    assert.deepEqual(devices.map((d: any) => [d.serial_number, d.family, d.mdm_server_name, d.order_number]).sort(), [
      ['UPGRD0000001', 'iPhone', 'Legacy MDM', 'DEP-2019-0042'], ['UPGRD0000002', 'iPhone', 'Legacy MDM', 'DEP-2019-0042'], ['UPGRD0000003', 'iPad', 'Legacy MDM', 'DEP-2019-0042'],
    ]);
    const tv = (await as(request(t.app).get('/api/v1/devices?q=UPGRD0000005')).expect(200)).body.items;
    assert.deepEqual(tv.map((d: any) => [d.model, d.mdm_server_id]), [['Apple TV 4K', null]]);
    const orders = (await as(request(t.app).get('/api/v1/orders?order_number=DEP-2020-0007')).expect(200)).body.items;
    assert.deepEqual(orders.map((o: any) => [o.order_number, o.order_date]), [['DEP-2020-0007', '2020-02-11T00:00:00.000Z']]);
    // Default servers per family.
    const defaults = (await as(request(t.app).get('/api/v1/mdm-server-defaults')).expect(200)).body;
    assert.deepEqual([defaults.iPhone?.id, defaults.iPad?.id, defaults.Mac?.id], [legacy.id, legacy.id, mac.id]);

    // Licences in their locations.
    const locations = (await as(request(t.app).get('/api/v1/locations')).expect(200)).body.items;
    const hq = locations.find((l: any) => l.name === 'Headquarters');
    const berlin = locations.find((l: any) => l.name === 'Berlin Office');
    const licences = async (id: string) => (await as(request(t.app).get(`/api/v1/locations/${id}/licences`)).expect(200)).body.items
      .map((l: any) => [l.adam_id, l.product_type, l.total, l.available]).sort();
    assert.deepEqual(await licences(hq.id), [['1500000007', 'App', 25, 25], ['1500000203', 'Book', 10, 10]]);
    assert.deepEqual(await licences(berlin.id), [['1500000014', 'App', 5, 5]]);

    // The old sToken keeps working with the Apps and Books API, for its location.
    const sToken = sample().volume_purchase.locations[0].s_token;
    const assets = await request(t.app).get('/vpp/mdm/v2/assets').set('Authorization', `Bearer ${sToken}`);
    assert.equal(assets.status, 200, JSON.stringify(assets.body));
    assert.deepEqual(assets.body.assets.map((a: any) => a.adamId).sort(), ['1500000007', '1500000203']);

    // Invitations: the two purchasers without an account, as Content Managers of their location.
    const accounts = (await as(request(t.app).get('/api/v1/accounts')).expect(200)).body.items;
    const vera = accounts.find((a: any) => a.email === 'vera@demo.orchard.test');
    const bruno = accounts.find((a: any) => a.email === 'bruno@demo.orchard.test');
    assert.deepEqual([vera.roles, vera.location_id, vera.contact_email, bruno.location_id], [['ContentManager'], hq.id, 'vera.volume@example.net', berlin.id]);
    const mail = await latestMail(t.deps, 'vera.volume@example.net', 'invitation');
    assert.match(mail.body, /Your Managed Apple ID is vera@demo\.orchard\.test/);
    const link = linkIn(mail, /\/portal\/invitation#token=/);
    assert.ok(fs.readdirSync(`${t.dataDir}/outbox`).some((f) => fs.readFileSync(`${t.dataDir}/outbox/${f}`, 'utf8').includes('vera.volume@example.net')), 'the .eml file was written');
    await latestMail(t.deps, 'bruno@demo.orchard.test', 'invitation');
    await assert.rejects(latestMail(t.deps, 'content@demo.orchard.test', 'invitation'), 'the existing account is not invited');
    // The invitation works: the purchaser sets a password and signs in.
    const token = new URLSearchParams(link.hash.slice(1)).get('token');
    await request(t.app).post('/api/v1/invitations/accept').send({ token, password: 'an upgraded volume purchaser' }).expect(200);
    await request(t.app).post('/api/v1/session').send({ email: 'vera@demo.orchard.test', password: 'an upgraded volume purchaser' }).expect(200);

    // The record, its list, and the audit log.
    const one = await as(request(t.app).get(`${PATH}/${r.body.id}`)).expect(200);
    assert.deepEqual(one.body, r.body);
    assertMatchesContract('get', '/organisation/upgrade-imports/{id}', one);
    assert.deepEqual((await as(request(t.app).get(PATH)).expect(200)).body, { items: [r.body], next_cursor: null });
    const audit = (await as(request(t.app).get('/api/v1/audit')).expect(200)).body.items;
    const entry = audit.find((e: any) => e.action === 'upgrade_import');
    assert.deepEqual([entry.target, entry.outcome, entry.detail.devices, entry.detail.digest, entry.detail.source], [r.body.id, 'success', 5, r.body.source_digest, 'api']);

    // The same file again (even re-indented, keys reordered) is refused and changes nothing.
    const reversed = (v: any): any => Array.isArray(v) ? v.map(reversed)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const again = reversed(exportWithKey());
    assert.notEqual(JSON.stringify(again), JSON.stringify(exportWithKey()));
    const err = await refusedUnchanged(again, 409, 'upgrade_already_imported');
    assert.equal(err.details.import_id, r.body.id);
  });

  it('the sample file imports cleanly into the demo organisation as shipped', async () => {
    const dry = await as(request(t.app).post(`${PATH}?dry_run=true`)).send(sample()).expect(200);
    assert.deepEqual(dry.body.refusals, []);
    const r = await as(request(t.app).post(PATH)).send(sample());
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.source_digest, dry.body.source_digest);
  });

  it('a dry run answers the plan with counts and every refusal, and writes nothing', async () => {
    const before = storeSnapshot(t.db);
    const ok = await as(request(t.app).post(`${PATH}?dry_run=true`)).send(exportWithKey()).expect(200);
    assert.deepEqual(ok.body.counts, { servers: 2, devices: 5, orders: 2, purchases: 3, licences: 40, content_tokens: 1, invitations: 2, existing_accounts: 1 });
    assert.deepEqual([ok.body.dry_run, ok.body.refusals], [true, []]);
    assertMatchesContract('post', '/organisation/upgrade-imports', ok);
    const doc = exportWithKey();
    doc.volume_purchase.locations[1].purchases[0].adam_id = '999999';
    doc.device_enrollment.devices[1].mdm_server = 'Nowhere';
    const bad = await as(request(t.app).post(`${PATH}?dry_run=true`)).send(doc).expect(200);
    assert.deepEqual(bad.body.refusals.map((x: any) => [x.pointer, x.code]), [
      ['/body/device_enrollment/devices/1/mdm_server', 'server_unknown'], ['/body/volume_purchase/locations/1/purchases/0/adam_id', 'product_unknown'],
    ]);
    assert.equal(storeSnapshot(t.db), before, 'nothing written');
    assert.deepEqual((await as(request(t.app).get(PATH)).expect(200)).body.items, []);
    // dry_run takes only true or false: anything else is refused rather than read as an import.
    await refusedUnchanged(exportWithKey(), 400, 'invalid_request', ['/query/dry_run'], undefined, '?dry_run=1');
  });

  it('refuses a file not in the format with a pointer per problem, changing nothing', async () => {
    const doc = exportWithKey();
    doc.version = 2;
    delete doc.device_enrollment.devices[0].model;
    doc.device_enrollment.devices[2].device_family = 'Watch';
    doc.volume_purchase.purchasers[0].nickname = 'V';
    await refusedUnchanged(doc, 400, 'invalid_request', [
      '/body/version', '/body/device_enrollment/devices/0/model', '/body/device_enrollment/devices/2/device_family', '/body/volume_purchase/purchasers/0/nickname',
    ]);
    await refusedUnchanged({ format: 'dep-export' }, 400, 'invalid_request');
  });

  it('refuses, changing nothing: serials of another organisation, unknown products, duplicate and taken server names, unknown locations', async () => {
    const other = await t.otherOrg();
    // A serial another organisation owns: added there by hand (Apple Configurator's addition).
    await as(request(t.app).post('/api/v1/devices'), other.token).send({ serial_number: 'UPGRD0000004', family: 'Mac', model: 'MacBook Air (M2)' }).expect(201);
    const taken = await refusedUnchanged(exportWithKey(), 409, 'serial_taken', ['/body/device_enrollment/devices/3/serial_number']);
    assert.match(taken.message, /UPGRD0000004 belongs to another organisation/);

    const doc = exportWithKey();
    doc.device_enrollment.devices.splice(3, 1);
    doc.volume_purchase.locations[0].purchases[1].adam_id = '42';
    await refusedUnchanged(doc, 400, 'product_unknown', ['/body/volume_purchase/locations/0/purchases/1/adam_id']);

    const dup = exportWithKey();
    dup.device_enrollment.devices.splice(3, 1);
    dup.device_enrollment.servers[1].name = 'Legacy MDM';
    await refusedUnchanged(dup, 400, 'server_name_duplicate', ['/body/device_enrollment/servers/1/name']);

    await as(request(t.app).post('/api/v1/mdm-servers')).send({ name: 'Legacy Mac MDM', public_key: key.certPem }).expect(201);
    const exists = exportWithKey();
    exists.device_enrollment.devices.splice(3, 1);
    await refusedUnchanged(exists, 409, 'server_name_taken', ['/body/device_enrollment/servers/1/name']);

    const several = exportWithKey();
    several.device_enrollment.devices.splice(3, 1);
    several.device_enrollment.servers[1].name = 'Another Mac MDM';
    several.device_enrollment.devices[3].mdm_server = 'Another Mac MDM';
    several.volume_purchase.locations[1].name = 'Paris Office';
    several.volume_purchase.purchasers[0].managed_apple_id = 'vera@unverified.example';
    const e = await refusedUnchanged(several, 400, 'upgrade_import_refused', ['/body/volume_purchase/locations/1/name', '/body/volume_purchase/purchasers/0/managed_apple_id']);
    assert.deepEqual(e.details.refusals.map((x: any) => x.code), ['location_unknown', 'managed_apple_id_domain_unverified']);
  });

  it('is one transaction: a serial another organisation takes between the plan and the write leaves nothing behind', async () => {
    const other = await t.otherOrg();
    await as(request(t.app).post('/api/v1/devices'), other.token).send({ serial_number: 'UPGRD0000005', family: 'AppleTV', model: 'Apple TV 4K' }).expect(201);
    // The plan's read misses it (as if it were taken a moment later); the write, after the servers, orders and first devices, finds it.
    const orders = t.deps.store.orders;
    const serialHolder = orders.serialHolder;
    orders.serialHolder = async () => undefined;
    try {
      const e = await refusedUnchanged(exportWithKey(), 409, 'serial_taken');
      assert.equal(e.details.serial_number, 'UPGRD0000005');
    } finally {
      orders.serialHolder = serialHolder;
    }
    assert.deepEqual((await as(request(t.app).get('/api/v1/devices?q=UPGRD')).expect(200)).body.items, []);
    assert.ok(!(await as(request(t.app).get('/api/v1/mdm-servers')).expect(200)).body.items.some((s: any) => s.name === 'Legacy MDM'));
    await assert.rejects(latestMail(t.deps, 'vera.volume@example.net', 'invitation'), 'no invitation mail');

    // A server name taken between the plan and the write: the store's constraint refuses, and the whole import rolls back.
    await as(request(t.app).post('/api/v1/mdm-servers')).send({ name: 'Legacy Mac MDM', public_key: key.certPem }).expect(201);
    const servers = t.deps.store.mdmServers;
    const getByName = servers.getByName;
    servers.getByName = async () => undefined;
    try {
      const doc = exportWithKey();
      doc.device_enrollment.devices.splice(4, 1);
      await refusedUnchanged(doc, 409, 'upgrade_import_conflict');
    } finally {
      servers.getByName = getByName;
    }
  });

  it('another organisation does not see the import; only an Administrator may import or read imports; the terms gate applies', async () => {
    const r = await as(request(t.app).post(PATH)).send(exportWithKey()).expect(201);
    const other = await t.otherOrg();
    assert.deepEqual((await as(request(t.app).get(PATH), other.token).expect(200)).body.items, []);
    assert.equal((await as(request(t.app).get(`${PATH}/${r.body.id}`), other.token)).body.error.code, 'upgrade_import_not_found');

    for (const role of ['PeopleManager', 'DeviceManager', 'ContentManager', 'Staff']) {
      const token = await t.tokenFor([role]);
      const doc = sample();
      doc.account_name = `by ${role}`;
      await refusedUnchanged(doc, 403, 'forbidden', undefined, token);
      assert.equal((await as(request(t.app).get(PATH), token)).status, 403, role);
    }

    await asOperator(t, request(t.app).post('/api/v1/operator/terms')).send({ summary: 'v2' }).expect(201);
    const doc = sample();
    doc.account_name = 'after new terms';
    await refusedUnchanged(doc, 403, 'terms_not_accepted');
  });
});
