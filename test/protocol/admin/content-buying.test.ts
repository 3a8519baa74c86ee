// Buying content through the admin API: catalogue, VPP credit and cards, purchases, consolidated
// history, transfers between locations, and the content token download.
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { APPS, buy, credit, locationId } from '../../support/content.js';

describe('Admin API: buying apps and books', () => {
  let t: TestOrchard;
  let hq: string;
  let berlin: string;
  const get = (path: string, token = t.adminToken) => request(t.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
  const post = (path: string, body: object, token = t.adminToken) => request(t.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body);

  before(async () => {
    t = await buildTestOrchard();
    hq = await locationId(t, 'Headquarters');
    berlin = await locationId(t, 'Berlin Office');
  });

  it('searches the catalogue by media, platform and name', async () => {
    const mac = await get('/catalog?media=apps&platform=macOS&q=terminal').expect(200);
    assert.deepEqual(mac.body.items, [{
      adam_id: APPS.terminalDeck, name: 'Terminal Deck', media: 'app', category: 'Developer Tools', bundle_id: 'com.orchardfixtures.terminaldeck',
      author: null, platforms: ['macOS'], ios_devices: [], universal: false, min_os: { macOS: '13.0' }, device_assignable: true,
      countries: ['US', 'CA', 'GB', 'DE', 'FR', 'JP', 'AU'], price: { amount: '19.99', currency: 'USD', country: 'US' }, custom: false,
    }]);
    const books = await get('/catalog?media=books').expect(200);
    assert.ok(books.body.items.length >= 5 && books.body.items.every((i: { media: string; device_assignable: boolean }) => i.media === 'book' && !i.device_assignable));
    const de = await get(`/catalog/${APPS.ledgerPro}?location_id=${berlin}`).expect(200);
    assert.deepEqual(de.body.price, { amount: '10.99', currency: 'EUR', country: 'DE' });
    assert.equal((await get(`/catalog/${APPS.ledgerPro}`).expect(200)).body.universal, true);
    await get('/catalog?media=films').expect(400);
  });

  it('refuses a paid purchase without credit, then buys with credit from a code', async () => {
    const refused = await buy(t, hq, APPS.ledgerPro, 3);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'insufficient_credit');
    const c = await credit(t, hq, 'VPPUSD-DEMO-0100-A1B2');
    assert.deepEqual(c.body, { location_id: hq, balance: { amount: '100.00', currency: 'USD' } });
    await post(`/locations/${hq}/credit/redeem`, { code: 'VPPUSD-DEMO-0100-A1B2' }).expect(409);
    await post(`/locations/${berlin}/credit/redeem`, { code: 'VPPUSD-DEMO-0500-C3D4' }).expect(400);
    const res = await buy(t, hq, APPS.ledgerPro, 3);
    assert.equal(res.status, 201);
    assert.equal(res.body.payment_method, 'vpp_credit');
    assert.deepEqual(res.body.total, { amount: '29.97', currency: 'USD' });
    assert.deepEqual(res.body.credit_balance, { amount: '70.03', currency: 'USD' });
    assert.deepEqual((await get(`/locations/${hq}/credit`).expect(200)).body.balance, { amount: '70.03', currency: 'USD' });
  });

  it('pays by a recorded company card (label and last four digits only)', async () => {
    await post('/cards', { label: 'Corporate Amex', last4: '4242 4242' }).expect(400);
    const card = await post('/cards', { label: 'Corporate Amex', last4: '1005' }).expect(201);
    assert.deepEqual(Object.keys(card.body).sort(), ['created_at', 'id', 'label', 'last4']);
    const res = await post('/purchases', { location_id: hq, adam_id: APPS.terminalDeck, quantity: 2, card_id: card.body.id }).expect(201);
    assert.equal(res.body.payment_method, 'card');
    assert.equal(res.body.card_id, card.body.id);
    assert.deepEqual((await get(`/locations/${hq}/credit`).expect(200)).body.balance, { amount: '70.03', currency: 'USD' });
  });

  it('gets free apps without payment, and refuses items not sold in the location\'s country', async () => {
    const free = await buy(t, hq, APPS.meetingTimer, 50);
    assert.equal(free.status, 201);
    assert.equal(free.body.payment_method, 'free');
    const jp = await buy(t, hq, APPS.japanTransit, 1);
    assert.equal(jp.status, 400);
    assert.equal(jp.body.error.code, 'not_available_in_country');
    assert.equal((await buy(t, hq, APPS.ledgerPro, 0)).status, 400);
    assert.equal((await buy(t, hq, '999', 1)).status, 404);
  });

  it('needs content.manage to buy; content.read sees the history', async () => {
    const staff = await t.tokenFor(['Staff']);
    const devices = await t.tokenFor(['DeviceManager']);
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1, staff)).status, 403);
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1, devices)).status, 403);
    await get('/purchases', devices).expect(200);
    const content = await t.tokenFor(['ContentManager']);
    assert.equal((await buy(t, hq, APPS.meetingTimer, 1, content)).status, 201);
  });

  it('transfers unassigned licences to another location, never more than are free', async () => {
    await post('/licence-transfers', { from_location_id: hq, to_location_id: berlin, adam_id: APPS.ledgerPro, quantity: 4 }).expect(409);
    const t1 = await post('/licence-transfers', { from_location_id: hq, to_location_id: berlin, adam_id: APPS.ledgerPro, quantity: 1 }).expect(201);
    assert.equal(t1.body.quantity, 1);
    const summary = await get('/purchases/summary').expect(200);
    const ledger = summary.body.items.find((i: { adam_id: string }) => i.adam_id === APPS.ledgerPro);
    assert.deepEqual(ledger, {
      adam_id: APPS.ledgerPro, name: 'Ledger Pro', product_type: 'App', purchased: 3, in_use: 0, available: 3,
      locations: [{ location_id: berlin, total: 1, in_use: 0 }, { location_id: hq, total: 2, in_use: 0 }],
    });
    const history = await get('/purchases').expect(200);
    assert.equal(history.body.items.length, 4);
    assert.equal((await get('/licence-transfers').expect(200)).body.items.length, 1);
    const lic = await get(`/locations/${berlin}/licences`).expect(200);
    assert.deepEqual(lic.body.items.map((l: { adam_id: string; total: number }) => [l.adam_id, l.total]), [[APPS.ledgerPro, 1]]);
  });

  it('downloads the content token as an attachment', async () => {
    const res = await get(`/locations/${hq}/content-token`).expect(200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="Headquarters.vpptoken"');
    assert.equal(res.headers['cache-control'], 'no-store');
    const status = await get(`/locations/${hq}/content-token/status`).expect(200);
    assert.equal(status.body.active, true);
    const reader = await t.tokenFor(['DeviceManager']);
    await get(`/locations/${hq}/content-token`, reader).expect(403);
  });
});
