// The admin API's answers on a populated organisation match the OpenAPI document: an enrolled
// device that answered a command, a webhook and the event log, purchases on credit and by card, a
// licence transfer, a content assignment, accounts and tokens. Each answer goes through
// assertMatchesContract (documented status, body valid against the closed schema), so a field a
// view gains or loses without the document fails here.
import assert from 'node:assert/strict';
import request from 'supertest';
import { APPS, locationId } from '../../support/content.js';
import { IPHONE } from '../../support/mdm.js';
import { assertMatchesContract } from '../../support/openapi.js';
import { mdmTest, type MdmTest } from '../mdm/setup.js';

describe('admin API contract: answers on a populated organisation match the document', () => {
  let t: MdmTest;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  /** Calls the route and checks the answer against the document; returns the body. */
  async function call(method: 'get' | 'post' | 'put' | 'patch' | 'delete', template: string, path: string, status: number, body?: object) {
    const res = await request(t.app)[method](`/api/v1${path}`).set(auth()).send(body);
    assert.equal(res.status, status, `${method.toUpperCase()} ${path}: ${JSON.stringify(res.body).slice(0, 300)}`);
    assertMatchesContract(method, template, res);
    return res.body;
  }

  before(async () => { t = await mdmTest(); });

  it('MDM: enrolments, a command with its response, the queue, pushes, webhooks and events', async () => {
    await call('post', '/webhooks', '/webhooks', 201, { url: 'https://hooks.example.test/orchard' });
    const f = IPHONE();
    const d = await t.enrolled(f);
    const queued = await call('post', '/commands', '/commands', 201, { udids: [f.udid], command: { RequestType: 'DeviceInformation', Queries: ['OSVersion', 'DeviceName'] } });
    await d.client.connectLoop();
    const command = await call('get', '/commands/{uuid}', `/commands/${queued.command_uuid}`, 200);
    assert.equal(command.targets[0].state, 'acknowledged');
    assert.ok(command.targets[0].response, 'the device answered');
    const later = await call('post', '/commands', '/commands', 201, { udids: [f.udid], command: { RequestType: 'SecurityInfo' }, not_before: '2099-01-01T00:00:00Z' });
    await call('get', '/mdm/devices', '/mdm/devices', 200);
    const one = await call('get', '/mdm/devices/{id}', `/mdm/devices/${f.udid}`, 200);
    assert.equal(one.queue.length, 1);
    assert.ok(one.history.length >= 1);
    await call('get', '/mdm/devices/{id}/pushes', `/mdm/devices/${f.udid}/pushes`, 200);
    await call('post', '/commands/{uuid}/cancel', `/commands/${later.command_uuid}/cancel`, 200, {});
    await call('delete', '/mdm/devices/{id}/queue', `/mdm/devices/${f.udid}/queue`, 200);
    const events = await call('get', '/events', '/events', 200);
    assert.ok(events.items.length > 0, 'the check-ins and the command result are in the event log');
    await call('get', '/webhooks', '/webhooks', 200);
  });

  it('content: credit and card purchases, summary, transfer, licences, assignment and settings', async () => {
    const hq = await locationId(t, 'Headquarters');
    const berlin = await locationId(t, 'Berlin Office');
    await call('post', '/locations/{id}/credit/redeem', `/locations/${hq}/credit/redeem`, 200, { code: 'VPPUSD-DEMO-0100-A1B2' });
    const onCredit = await call('post', '/purchases', '/purchases', 201, { location_id: hq, adam_id: APPS.ledgerPro, quantity: 2 });
    assert.ok(onCredit.credit_balance, 'paid with credit: the balance left');
    const card = await call('post', '/cards', '/cards', 201, { label: 'Finance', last4: '1005' });
    const byCard = await call('post', '/purchases', '/purchases', 201, { location_id: hq, adam_id: APPS.ledgerPro, quantity: 1, card_id: card.id });
    assert.equal(byCard.card_id, card.id);
    await call('post', '/licence-transfers', '/licence-transfers', 201, { from_location_id: hq, to_location_id: berlin, adam_id: APPS.ledgerPro, quantity: 1 });
    for (const [template, path] of [
      ['/purchases', '/purchases'], ['/purchases/summary', '/purchases/summary'], ['/licence-transfers', '/licence-transfers'],
      ['/locations/{id}/licences', `/locations/${hq}/licences`], ['/locations/{id}/credit', `/locations/${hq}/credit`], ['/cards', '/cards'],
      ['/content/install-settings', '/content/install-settings'], ['/catalog', '/catalog?media=books'], ['/catalog/{adamId}', `/catalog/${APPS.ledgerPro}?location_id=${berlin}`],
      ['/locations/{id}/content-token/status', `/locations/${hq}/content-token/status`],
    ] as const) await call('get', template, path, 200);
    const assigned = await call('post', '/content/assignments', '/content/assignments', 200, {
      location_id: hq, adam_id: APPS.ledgerPro, serial_numbers: ['DMOPH0000001'], users: [{ client_user_id: 'contract-user', email: 'user@demo.test' }],
    });
    assert.equal(assigned.results.length, 2);
    await call('put', '/content/install-settings', '/content/install-settings', 200, { revocation_grace_period_days: 3 });
  });

  it('organisation, accounts, tokens, devices, orders and the audit log', async () => {
    const account = await call('post', '/accounts', '/accounts', 201, { email: 'contract@demo.orchard.test', given_name: 'Con', family_name: 'Tract', password: 'a long passphrase', roles: ['DeviceManager'] });
    await call('patch', '/accounts/{id}', `/accounts/${account.id}`, 200, { given_name: 'Contract' });
    const me = await call('get', '/me', '/me', 200);
    await call('post', '/accounts/{id}/api-tokens', `/accounts/${me.id}/api-tokens`, 201, { name: 'contract', expires_in_days: 30 });
    await call('get', '/accounts/{id}/api-tokens', `/accounts/${me.id}/api-tokens`, 200);
    await call('patch', '/organisation', '/organisation', 200, { phone: '+44 20 7946 0000' });
    const order = (await call('get', '/orders', '/orders', 200)).items[0];
    await call('get', '/orders/{number}', `/orders/${order.order_number}`, 200);
    await call('patch', '/devices/{serial}', '/devices/DMOPH0000001', 200, { asset_tag: 'A-1' });
    await call('post', '/devices', '/devices', 201, { serial_number: 'C02CONTRACT1', family: 'Mac', model: 'MacBook Air' });
    await call('get', '/assignments', '/assignments?limit=5', 200);
    const audit = await call('get', '/audit', '/audit?limit=20', 200);
    assert.ok(audit.items.length > 5);
  });
});
