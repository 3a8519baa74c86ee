// Synchronous refusals of the Apps and Books API: exact errorNumber, errorMessage and status
// (developer.apple.com/documentation/devicemanagement/handling-error-responses).
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { APPS, buy, contentToken, credit, locationId, vpp } from '../../support/content.js';
import { ERRORS } from '../../../src/vpp/wire.js';

const body = (n: number) => ({ errorNumber: n, errorMessage: ERRORS[n]!.message });
const DAY = 24 * 60 * 60 * 1000;

describe('Apps and Books API: synchronous errors', () => {
  let t: TestOrchard;
  let hq: string;
  let sToken: string;
  let api: ReturnType<typeof vpp>;

  before(async () => {
    t = await buildTestOrchard();
    hq = await locationId(t, 'Headquarters');
    await credit(t, hq, 'VPPUSD-DEMO-0500-C3D4');
    assert.equal((await buy(t, hq, APPS.ledgerPro, 2)).status, 201);
    assert.equal((await buy(t, hq, APPS.fieldGuide, 2)).status, 201);
    sToken = await contentToken(t, hq);
    api = vpp(t, sToken);
  });

  describe('GET service/config (no authentication)', () => {
    it('lists error codes, limits, notification types and URLs', async () => {
      const res = await request(t.app).get('/vpp/mdm/v2/service/config').expect(200);
      assert.deepEqual(res.body.limits, {
        maxAssets: 25, maxUsers: 100, maxNotificationLength: 512, maxRevokeClientUserIds: 100, maxClientUserIds: 1000, maxSerialNumbers: 1000,
        maxRevokeSerialNumbers: 100, maxMdmNameLength: 100, maxMdmMetadataLength: 255, maxMdmIdLength: 100,
      });
      assert.deepEqual(res.body.errorCodes.find((e: { errorNumber: number }) => e.errorNumber === 9601), { errorMessage: 'Login required.', errorNumber: 9601 });
      assert.equal(res.body.urls.associateAssets, `${t.deps.config.baseUrl}/vpp/mdm/v2/assets/associate`);
      assert.deepEqual(res.body.notificationTypes, ['ASSET_MANAGEMENT', 'USER_MANAGEMENT', 'USER_ASSOCIATED', 'ASSET_COUNT']);
    });
  });

  describe('authentication', () => {
    it('9722 without a Bearer header', async () => {
      const res = await request(t.app).get('/vpp/mdm/v2/assets').expect(401);
      assert.deepEqual(res.body, body(9722));
      await request(t.app).get('/vpp/mdm/v2/assets').set('Authorization', `Basic ${sToken}`).expect(401, body(9722));
    });
    it('9601 for a token Orchard never issued', async () => {
      const forged = Buffer.from(JSON.stringify({ token: 'bm9wZQ==', expDate: '2030-01-01T00:00:00+0000', orgName: 'x' })).toString('base64');
      await request(t.app).get('/vpp/mdm/v2/assets').set('Authorization', `Bearer ${forged}`).expect(401, body(9601));
      await request(t.app).get('/vpp/mdm/v2/assets').set('Authorization', 'Bearer not-base64-json').expect(401, body(9601));
    });
    it('9625 once the token is regenerated, and the new one works', async () => {
      const t2 = await buildTestOrchard();
      const loc = await locationId(t2, 'Headquarters');
      const first = await contentToken(t2, loc);
      const second = await contentToken(t2, loc);
      await vpp(t2, first).get('/client/config').expect(401, body(9625));
      await vpp(t2, second).get('/client/config').expect(200);
    });
    it('9621 after one year', async () => {
      const t2 = await buildTestOrchard();
      const loc = await locationId(t2, 'Headquarters');
      const tok = await contentToken(t2, loc);
      t2.clock.advance(364 * DAY);
      await vpp(t2, tok).get('/client/config').expect(200);
      t2.clock.advance(2 * DAY);
      await vpp(t2, tok).get('/client/config').expect(401, body(9621));
    });
  });

  describe('methods and content types', () => {
    it('9726 for an unsupported method on a known path', async () => {
      await api.post('/assets', {}).expect(405, body(9726));
      await request(t.app).delete('/vpp/mdm/v2/users').set('Authorization', `Bearer ${sToken}`).expect(405, body(9726));
    });
    it('9727 for a POST that is not JSON', async () => {
      await request(t.app).post('/vpp/mdm/v2/assets/associate').set('Authorization', `Bearer ${sToken}`).type('text/plain').send('x').expect(415, body(9727));
    });
    it('9602 for malformed JSON', async () => {
      await request(t.app).post('/vpp/mdm/v2/assets/associate').set('Authorization', `Bearer ${sToken}`).type('application/json').send('{').expect(400, body(9602));
    });
  });

  describe('POST assets/associate', () => {
    const a = { adamId: APPS.ledgerPro, pricingParam: 'STDQ' };
    it('9718 without assets', async () => {
      await api.post('/assets/associate', { serialNumbers: ['S1'] }).expect(400, body(9718));
    });
    it('9700 over 25 assets', async () => {
      const assets = Array.from({ length: 26 }, (_, i) => ({ adamId: String(1000 + i) }));
      await api.post('/assets/associate', { assets, serialNumbers: ['S1'] }).expect(400, body(9700));
    });
    it('9703 for duplicate assets', async () => {
      await api.post('/assets/associate', { assets: [a, { adamId: APPS.ledgerPro }], serialNumbers: ['S1'] }).expect(400, body(9703));
    });
    it('9719 without users or serials', async () => {
      await api.post('/assets/associate', { assets: [a] }).expect(400, body(9719));
    });
    it('9702 over 1000 serials, 9705 for duplicates', async () => {
      const serials = Array.from({ length: 1001 }, (_, i) => `S${i}`);
      await api.post('/assets/associate', { assets: [a], serialNumbers: serials }).expect(400, body(9702));
      await api.post('/assets/associate', { assets: [a], serialNumbers: ['S1', 'S1'] }).expect(400, { ...body(9705), errorInfo: { serialNumbers: ['S1'] } });
    });
    it('9707 for a book to a serial number', async () => {
      const res = await api.post('/assets/associate', { assets: [{ adamId: APPS.fieldGuide }], serialNumbers: ['S1'] }).expect(400);
      assert.deepEqual(res.body, { ...body(9707), errorInfo: { assets: [{ adamId: APPS.fieldGuide, pricingParam: 'STDQ' }] } });
    });
    it('9602 for an asset the location does not own', async () => {
      const res = await api.post('/assets/associate', { assets: [{ adamId: APPS.terminalDeck }], serialNumbers: ['S1'] }).expect(400);
      assert.deepEqual(res.body, { ...body(9602), errorInfo: { assets: [{ adamId: APPS.terminalDeck, pricingParam: 'STDQ' }] } });
    });
  });

  it('9706 disassociating a book (books are not revocable)', async () => {
    await api.post('/assets/disassociate', { assets: [{ adamId: APPS.fieldGuide }], clientUserIds: ['u1'] }).expect(400, {
      ...body(9706), errorInfo: { assets: [{ adamId: APPS.fieldGuide, pricingParam: 'STDQ' }] },
    });
  });

  it('9701/9702 use the revoke limits (100) on assets/revoke', async () => {
    const serials = Array.from({ length: 101 }, (_, i) => `S${i}`);
    await api.post('/assets/revoke', { serialNumbers: serials }).expect(400, body(9702));
  });

  it('9708 for an unknown eventId', async () => {
    await api.get('/status?eventId=00000000-0000-0000-0000-000000000000').expect(400, body(9708));
    await api.get('/status').expect(400, body(9708));
  });

  it('9650 for a page index past the last page', async () => {
    await api.get('/assets?pageIndex=1').expect(400, body(9650));
    await api.get('/users?pageIndex=-1').expect(400, body(9650));
  });

  it('9721 for a versionId not from this library', async () => {
    await api.get('/assignments?sinceVersionId=nonsense').expect(400, body(9721));
    await api.get('/users?sinceVersionId=00000000-0000-1000-8000-000000000000').expect(400, body(9721));
  });

  describe('POST client/config', () => {
    it('9723 for incomplete mdmInfo, 9724/9725/9713 for long fields', async () => {
      await api.post('/client/config', { mdmInfo: { id: 'x', name: 'y' } }).expect(400, body(9723));
      await api.post('/client/config', { mdmInfo: { id: 'x'.repeat(101), name: 'y', metadata: '' } }).expect(400, body(9724));
      await api.post('/client/config', { mdmInfo: { id: 'x', name: 'y'.repeat(101), metadata: '' } }).expect(400, body(9725));
      await api.post('/client/config', { mdmInfo: { id: 'x', name: 'y', metadata: 'z'.repeat(256) } }).expect(400, body(9713));
    });
    it('9710 for a URL without a token, 9712 for http, 9711 for too long', async () => {
      await api.post('/client/config', { notificationUrl: 'https://mdm.example/n' }).expect(400, body(9710));
      await api.post('/client/config', { notificationUrl: 'http://mdm.example/n', notificationAuthToken: 's' }).expect(400, body(9712));
      await api.post('/client/config', { notificationUrl: 'https://mdm.example/' + 'n'.repeat(520), notificationAuthToken: 's' }).expect(400, body(9711));
    });
    it('stores the notification settings', async () => {
      const res = await api.post('/client/config', { notificationUrl: 'https://mdm.example/n', notificationAuthToken: 'secret', notificationTypes: ['ASSET_MANAGEMENT'] }).expect(200);
      assert.equal(res.body.notificationUrl, 'https://mdm.example/n');
      assert.equal(res.body.notificationAuthToken, 'secret');
      assert.deepEqual(res.body.subscribedNotificationTypes, ['ASSET_MANAGEMENT']);
    });
  });

  describe('users', () => {
    it('9720 without users, 9714 over 100, 9715 duplicates, 9717 bad email', async () => {
      await api.post('/users/create', {}).expect(400, body(9720));
      await api.post('/users/create', { users: Array.from({ length: 101 }, (_, i) => ({ clientUserId: `u${i}` })) }).expect(400, body(9714));
      await api.post('/users/create', { users: [{ clientUserId: 'u1' }, { clientUserId: 'u1' }] }).expect(400, body(9715));
      await api.post('/users/create', { users: [{ clientUserId: 'u1', email: 'not-an-email' }] }).expect(400, body(9717));
    });
  });
});
