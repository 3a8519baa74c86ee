// An external MDM drives Apps and Books through /vpp/mdm/v2 with a downloaded content token:
// buy 3 → token → associate to 3 serials → a 4th is refused (9709 in status) → disassociate → counts back.
import assert from 'node:assert/strict';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { APPS, buy, contentToken, credit, locationId, vpp } from '../../support/content.js';

describe('Apps and Books API: an external MDM assigns device licences', () => {
  let t: TestOrchard;
  let hq: string;
  let api: ReturnType<typeof vpp>;
  let uId: string;
  let exp: string;

  before(async () => {
    t = await buildTestOrchard();
    hq = await locationId(t, 'Headquarters');
    await credit(t, hq, 'VPPUSD-DEMO-0100-A1B2');
    const bought = await buy(t, hq, APPS.ledgerPro, 3);
    assert.equal(bought.status, 201);
    const sToken = await contentToken(t, hq);
    const file = JSON.parse(Buffer.from(sToken, 'base64').toString('utf8'));
    assert.deepEqual(Object.keys(file).sort(), ['expDate', 'orgName', 'token']);
    assert.equal(file.orgName, 'Orchard Demo Company');
    api = vpp(t, sToken);
    const cfg = await api.get('/client/config').expect(200);
    uId = cfg.body.uId;
    exp = cfg.body.tokenExpirationDate;
    assert.equal(exp, file.expDate);
  });

  const asset = () => ({ adamId: APPS.ledgerPro, pricingParam: 'STDQ' });
  const counts = async () => (await api.get(`/assets?adamId=${APPS.ledgerPro}`).expect(200)).body.assets[0];

  it('binds the MDM with mdmInfo and reports it in client config', async () => {
    const res = await api.post('/client/config', { mdmInfo: { id: 'ext-mdm-1', name: 'Other MDM', metadata: '4.2' } }).expect(200);
    assert.deepEqual(res.body, {
      countryISO2ACode: 'US', defaultPlatform: 'volumestore', locationName: 'Headquarters', subscribedNotificationTypes: [],
      websiteURL: t.deps.config.baseUrl, tokenExpirationDate: exp, uId, mdmInfo: { id: 'ext-mdm-1', name: 'Other MDM', metadata: '4.2' },
    });
  });

  it('lists the bought asset with its counts', async () => {
    const res = await api.get('/assets').expect(200);
    assert.deepEqual(res.body.assets, [{
      adamId: APPS.ledgerPro, assignedCount: 0, availableCount: 3, deviceAssignable: true, pricingParam: 'STDQ', productType: 'App',
      retiredCount: 0, revocable: true, supportedPlatforms: ['iOS', 'macOS'], totalCount: 3,
    }]);
    assert.equal(res.body.currentPageIndex, 0);
    assert.equal(res.body.size, 1);
    assert.equal(res.body.totalPages, 1);
    assert.equal(res.body.nextPageIndex, undefined);
    assert.match(res.body.versionId, /^[0-9a-f]{8}-[0-9a-f]{4}-1000-8000-[0-9a-f]{12}$/);
  });

  it('associates to three serials: eventId, then COMPLETE 3/3', async () => {
    const res = await api.post('/assets/associate', { assets: [asset()], serialNumbers: ['SIPHONE0001', 'SIPAD00001', 'SMAC000001'] }).expect(200);
    assert.deepEqual(Object.keys(res.body).sort(), ['eventId', 'mdmInfo', 'tokenExpirationDate', 'uId']);
    const status = await api.status(res.body.eventId);
    assert.deepEqual(status.body, {
      eventStatus: 'COMPLETE', eventType: 'ASSOCIATE', numCompleted: 3, numRequested: 3, tokenExpirationDate: exp, uId,
      mdmInfo: { id: 'ext-mdm-1', name: 'Other MDM', metadata: '4.2' },
    });
    const a = await counts();
    assert.equal(a.assignedCount, 3);
    assert.equal(a.availableCount, 0);
  });

  it('refuses a fourth serial asynchronously with 9709', async () => {
    const res = await api.post('/assets/associate', { assets: [asset()], serialNumbers: ['SIPHONE0002'] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventStatus, 'FAILED');
    assert.equal(status.body.numCompleted, 0);
    assert.equal(status.body.numRequested, 1);
    assert.deepEqual(status.body.failures, [{
      errorNumber: 9709, errorMessage: 'There are not enough licenses for this app or book available to assign to the selected group.',
      errorInfo: { assets: [asset()], serialNumbers: ['SIPHONE0002'] },
    }]);
    assert.equal((await counts()).assignedCount, 3);
  });

  it('re-associating an assigned serial uses no licence (counted once per device)', async () => {
    const res = await api.post('/assets/associate', { assets: [asset()], serialNumbers: ['SIPAD00001'] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventStatus, 'COMPLETE');
    assert.equal((await counts()).assignedCount, 3);
  });

  it('lists assignments, and only the changes since a versionId', async () => {
    const all = await api.get('/assignments').expect(200);
    assert.deepEqual(all.body.assignments, [
      { adamId: APPS.ledgerPro, pricingParam: 'STDQ', serialNumber: 'SIPHONE0001' },
      { adamId: APPS.ledgerPro, pricingParam: 'STDQ', serialNumber: 'SIPAD00001' },
      { adamId: APPS.ledgerPro, pricingParam: 'STDQ', serialNumber: 'SMAC000001' },
    ]);
    const since = await api.get(`/assignments?sinceVersionId=${all.body.versionId}`).expect(200);
    assert.deepEqual(since.body.assignments, []);
    assert.equal(since.body.size, 0);
    const one = await api.get('/assignments?serialNumber=SMAC000001').expect(200);
    assert.deepEqual(one.body.assignments, [{ adamId: APPS.ledgerPro, pricingParam: 'STDQ', serialNumber: 'SMAC000001' }]);
  });

  it('disassociates the Mac and the licence comes back', async () => {
    const res = await api.post('/assets/disassociate', { assets: [asset()], serialNumbers: ['SMAC000001'] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventStatus, 'COMPLETE');
    assert.equal(status.body.eventType, 'DISASSOCIATE');
    const a = await counts();
    assert.equal(a.assignedCount, 2);
    assert.equal(a.availableCount, 1);
  });

  it('then the fourth serial can be associated', async () => {
    const res = await api.post('/assets/associate', { assets: [asset()], serialNumbers: ['SIPHONE0002'] }).expect(200);
    assert.equal((await api.status(res.body.eventId)).body.eventStatus, 'COMPLETE');
    assert.equal((await counts()).availableCount, 0);
  });

  it('revoke frees every app licence of a device', async () => {
    const res = await api.post('/assets/revoke', { serialNumbers: ['SIPHONE0001', 'SIPHONE0002'] }).expect(200);
    const status = await api.status(res.body.eventId);
    assert.equal(status.body.eventType, 'REVOKE');
    assert.equal(status.body.eventStatus, 'COMPLETE');
    assert.equal(status.body.numRequested, 2);
    assert.equal((await counts()).assignedCount, 1);
  });
});
