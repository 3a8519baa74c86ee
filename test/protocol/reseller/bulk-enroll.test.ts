import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey } from '../../support/mdm-server-cert.js';

const DAY = 86_400_000;
const ctx = { shipTo: '0000742682', timeZone: '420', langCode: 'en' };

describe('reseller API: bulk-enroll-devices, check-transaction-status, show-order-details', () => {
  let t: TestOrchard;
  let basic: string;
  const admin = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const post = (p: string, body: unknown) => request(t.app).post(`/reseller/${p}`).set('Authorization', basic).send(body as object);
  const order = (orderNumber: string, devices: object[], extra: object = {}) => ({
    orderNumber, orderDate: '2025-06-01T10:00:00Z', orderType: 'OR', customerId: '98765432', poNumber: 'PO-1',
    deliveries: [{ deliveryNumber: 'D1', shipDate: '2025-06-02T10:00:00Z', devices }], ...extra,
  });
  const enroll = (orders: object[], transactionId?: string) =>
    post('bulk-enroll-devices', { requestContext: ctx, transactionId, depResellerId: 'R100123', orders });

  beforeEach(async () => {
    t = await buildTestOrchard();
    basic = `Basic ${Buffer.from(fs.readFileSync(path.join(t.dataDir, 'reseller-credential'), 'utf8').trim()).toString('base64')}`;
  });

  it('refuses a missing or wrong credential with 401 UNAUTHORIZED', async () => {
    const none = await request(t.app).post('/reseller/bulk-enroll-devices').send({});
    assert.equal(none.status, 401);
    assert.deepEqual(none.body.errorCode, 'UNAUTHORIZED');
    const wrong = await request(t.app).post('/reseller/bulk-enroll-devices').set('Authorization', `Basic ${Buffer.from('R100123:nope').toString('base64')}`).send({});
    assert.equal(wrong.status, 401);
  });

  it('an order shows up after 24 hours, its devices assigned to the family default server', async () => {
    const key = makeServerKey();
    const srv = await request(t.app).post('/api/v1/mdm-servers').set(admin()).send({ name: 'Phones', public_key: key.certPem });
    await request(t.app).put('/api/v1/mdm-server-defaults').set(admin()).send({ iPhone: srv.body.id });
    const res = await enroll([order('RS-1001', [{ deviceId: 'RSPH00000001', assetTag: 'T-1', productCode: 'MTP03LL/A' }, { deviceId: 'RSPO00000001', productCode: 'MVHV2LL/A' }, { deviceId: 'RSMC00000001', deviceFamily: 'Mac', model: 'Mac Studio (2023)' }])], 'tx-1');
    assert.equal(res.status, 200);
    assert.equal(res.body.deviceEnrollmentTransactionId, 'R100123_tx-1');
    assert.equal(res.body.enrollDevicesResponse.statusCode, 'SUCCESS');
    assert.deepEqual(res.body.orders, [{ orderNumber: 'RS-1001', orderPostStatus: 'COMPLETE' }]);

    assert.equal((await request(t.app).get('/api/v1/orders?order_number=RS-1001').set(admin())).body.items.length, 0);
    assert.equal((await request(t.app).get('/api/v1/devices/RSPH00000001').set(admin())).status, 404);
    t.clock.advance(DAY - 60_000);
    assert.equal((await request(t.app).get('/api/v1/devices/RSPH00000001').set(admin())).status, 404);
    t.clock.advance(60_000);
    const found = await request(t.app).get('/api/v1/orders?order_number=RS-1001').set(admin());
    assert.equal(found.body.items.length, 1);
    assert.deepEqual({ n: found.body.items[0].device_count, r: found.body.items[0].reseller_id }, { n: 3, r: 'R100123' });
    const phone = await request(t.app).get('/api/v1/devices/RSPH00000001').set(admin());
    assert.deepEqual({ family: phone.body.family, model: phone.body.model, asset: phone.body.asset_tag, server: phone.body.mdm_server_id, by: phone.body.assigned_by },
      { family: 'iPhone', model: 'iPhone 15', asset: 'T-1', server: srv.body.id, by: 'system' });
    assert.equal((await request(t.app).get('/api/v1/devices/RSPO00000001').set(admin())).body.mdm_server_id, srv.body.id, 'an iPod follows the iPhone default');
    assert.equal((await request(t.app).get('/api/v1/devices/RSMC00000001').set(admin())).body.mdm_server_id, null);
    const ops = (await t.deps.store.devices.opsAfter(srv.body.id, 0, 10)).map((o) => `${o.opType} ${o.serialNumber}`);
    assert.deepEqual(ops.sort(), ['added RSPH00000001', 'added RSPO00000001']);

    const status = await post('check-transaction-status', { requestContext: ctx, depResellerId: 'R100123', deviceEnrollmentTransactionId: 'R100123_tx-1' });
    assert.equal(status.body.statusCode, 'COMPLETE');
    // Orders are searchable by serial and by date.
    assert.equal((await request(t.app).get('/api/v1/orders?serial_number=RSMC00000001').set(admin())).body.items[0].order_number, 'RS-1001');
    const byDate = await request(t.app).get('/api/v1/orders?from=2025-06-01&to=2025-06-01').set(admin());
    assert.deepEqual(byDate.body.items.map((o: any) => o.order_number), ['RS-1001']);
  });

  it('refuses, per order and changing nothing, an unknown organisation, a taken serial, a bad date and an unknown product', async () => {
    const res = await enroll([
      order('RS-2001', [{ deviceId: 'RSPH00000002', productCode: 'MTP03LL/A' }], { customerId: '55555555' }),
      order('RS-2002', [{ deviceId: 'DMOPH0000001', productCode: 'MTP03LL/A' }]),
      order('RS-2003', [{ deviceId: 'RSPH00000003', productCode: 'MTP03LL/A' }], { orderDate: '2011-02-28T23:00:00Z' }),
      order('RS-2004', [{ deviceId: 'RSPH00000004', productCode: 'NOPE' }]),
      order('RS-2005', [{ deviceId: 'RSPH00000005', productCode: 'MTP03LL/A' }]),
    ], 'tx-2');
    assert.deepEqual(res.body.orders.map((o: any) => `${o.orderNumber} ${o.orderPostStatus} ${o.errorCode ?? ''}`.trim()), [
      'RS-2001 ERROR CUSTOMER_NOT_FOUND', 'RS-2002 ERROR DEVICE_NOT_AVAILABLE', 'RS-2003 ERROR ORDER_DATE_INVALID',
      'RS-2004 ERROR PRODUCT_CODE_UNKNOWN', 'RS-2005 COMPLETE',
    ]);
    const status = await post('check-transaction-status', { requestContext: ctx, deviceEnrollmentTransactionId: 'R100123_tx-2' });
    assert.equal(status.body.statusCode, 'COMPLETE_WITH_ERRORS');
    t.clock.advance(DAY);
    const orders = (await request(t.app).get('/api/v1/orders?from=2011-03-01').set(admin())).body.items.map((o: any) => o.order_number);
    assert.ok(orders.includes('RS-2005') && !orders.some((n: string) => ['RS-2001', 'RS-2002', 'RS-2003', 'RS-2004'].includes(n)));
    assert.equal((await request(t.app).get('/api/v1/devices?order_number=DEMO-2011-0001').set(admin())).body.items.length, 4);
  });

  it('accepts an organisation ID as customerId only when the organisation lists the reseller', async () => {
    const org = await request(t.app).get('/api/v1/purchase-settings').set(admin());
    assert.deepEqual(org.body.reseller_ids, ['R100123']);
    const ok = await enroll([order('RS-3001', [{ deviceId: 'RSPD00000001', productCode: 'MPQ03LL/A' }], { customerId: org.body.organisation_id })]);
    assert.equal(ok.body.orders[0].orderPostStatus, 'COMPLETE');
    await request(t.app).patch('/api/v1/purchase-settings').set(admin()).send({ reseller_ids: [] });
    const refused = await enroll([order('RS-3002', [{ deviceId: 'RSPD00000002', productCode: 'MPQ03LL/A' }], { customerId: org.body.organisation_id })]);
    assert.equal(refused.body.orders[0].errorCode, 'CUSTOMER_NOT_FOUND');
  });

  it('voids and overrides orders; show-order-details reports them', async () => {
    await enroll([order('RS-4001', [{ deviceId: 'RSTV00000001', productCode: 'MN893LL/A' }, { deviceId: 'RSTV00000002', productCode: 'MN893LL/A' }])]);
    t.clock.advance(DAY);
    assert.equal((await request(t.app).get('/api/v1/devices?order_number=RS-4001').set(admin())).body.items.length, 2);
    const key = makeServerKey();
    const srv = await request(t.app).post('/api/v1/mdm-servers').set(admin()).send({ name: 'TV', public_key: key.certPem });
    await request(t.app).post(`/api/v1/mdm-servers/${srv.body.id}/devices`).set(admin()).send({ order_numbers: ['RS-4001'] });
    const ov = await enroll([order('RS-4001', [{ deviceId: 'RSTV00000001', productCode: 'MN893LL/A', assetTag: 'TV-1' }, { deviceId: 'RSTV00000003', productCode: 'MN893LL/A' }], { orderType: 'OV' })]);
    assert.equal(ov.body.orders[0].orderPostStatus, 'COMPLETE');
    const serials = (await request(t.app).get('/api/v1/devices?order_number=RS-4001').set(admin())).body.items.map((d: any) => d.serial_number);
    assert.deepEqual(serials, ['RSTV00000001', 'RSTV00000003']);
    const ops = (await t.deps.store.devices.opsAfter(srv.body.id, 0, 10)).map((o) => `${o.opType} ${o.serialNumber}`);
    assert.deepEqual(ops.slice(2), ['deleted RSTV00000002', 'modified RSTV00000001']);
    const vd = await enroll([order('RS-4001', [{ deviceId: 'RSTV00000001' }], { orderType: 'VD' })]);
    assert.equal(vd.body.orders[0].orderPostStatus, 'COMPLETE');
    assert.equal((await request(t.app).get('/api/v1/devices?order_number=RS-4001').set(admin())).body.items.length, 0);
    const details = await post('show-order-details', { requestContext: ctx, customerId: '98765432', orderNumbers: ['RS-4001', 'RS-NOPE'] });
    assert.equal(details.body.orders[0].orderStatus, 'VOIDED');
    assert.equal(details.body.orders[0].orderType, 'VD');
    assert.equal(details.body.orders[1].errorCode, 'ORDER_NOT_FOUND');
  });

  it('refuses malformed requests with 400 and searches before 1 March 2011 with 400', async () => {
    const noCtx = await post('bulk-enroll-devices', { orders: [] });
    assert.deepEqual({ s: noCtx.status, c: noCtx.body.errorCode }, { s: 400, c: 'REQUEST_CONTEXT_INVALID' });
    const noOrders = await post('bulk-enroll-devices', { requestContext: ctx, orders: [] });
    assert.equal(noOrders.body.errorCode, 'ORDERS_REQUIRED');
    const badJson = await request(t.app).post('/reseller/bulk-enroll-devices').set('Authorization', basic).set('Content-Type', 'application/json').send('{');
    assert.deepEqual({ s: badJson.status, c: badJson.body.errorCode }, { s: 400, c: 'MALFORMED_REQUEST' });
    const unknownTx = await post('check-transaction-status', { requestContext: ctx, deviceEnrollmentTransactionId: 'nope' });
    assert.equal(unknownTx.status, 404);
    const early = await request(t.app).get('/api/v1/orders?from=2011-02-28').set(admin());
    assert.deepEqual({ s: early.status, c: early.body.error.code }, { s: 400, c: 'date_out_of_range' });
  });

  it('refuses a depResellerId other than the authenticated reseller with 403 DEP_RESELLER_ID_MISMATCH on every endpoint, recording nothing', async () => {
    const mismatch = { errorCode: 'DEP_RESELLER_ID_MISMATCH', errorMessage: 'depResellerId is not the reseller that authenticated' };
    const bulk = await post('bulk-enroll-devices', {
      requestContext: ctx, transactionId: 'tx-other', depResellerId: 'R999999', orders: [order('RS-9001', [{ deviceId: 'RSPH00000009', productCode: 'MTP03LL/A' }])],
    });
    assert.deepEqual({ s: bulk.status, b: bulk.body }, { s: 403, b: mismatch });
    assert.equal(await t.deps.store.resellers.getTransaction('R100123_tx-other'), undefined);
    const status = await post('check-transaction-status', { requestContext: ctx, depResellerId: 'R999999', deviceEnrollmentTransactionId: 'R100123_tx-other' });
    assert.deepEqual({ s: status.status, b: status.body }, { s: 403, b: mismatch });
    const details = await post('show-order-details', { requestContext: ctx, depResellerId: 'R999999', customerId: '98765432', orderNumbers: ['RS-9001'] });
    assert.deepEqual({ s: details.status, b: details.body }, { s: 403, b: mismatch });
  });
});
