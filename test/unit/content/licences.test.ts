// Licence rules (the content domain's decisions, applied by the store in one transaction): counts, all-or-nothing vs partial, once per device or user,
// asynchronous events persisted and resumed after a restart, paging.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createContentServices } from '../../../src/business/content/index.js';
import type { CatalogFixture } from '../../../src/business/content/catalog.js';
import { AdjustableClock, randomIds } from '../../../src/clock.js';
import { readFixture } from '../../../src/fixtures.js';
import { openDb } from '../../../src/store/db.js';
import { createSqliteStore } from '../../../src/store/index.js';
import { buildTestOrchard, tempDir, type TestOrchard } from '../../support/harness.js';
import { APPS } from '../../support/content.js';

const admin = (orgId: string) => ({ accountId: 'acct', orgId, email: 'a@x.test', roles: ['Administrator' as const], via: 'api-token' as const });

describe('content: licence counting', () => {
  let t: TestOrchard;
  let loc: string;
  const asset = { adamId: APPS.meetingTimer, pricingParam: 'STDQ' };
  before(async () => {
    t = await buildTestOrchard();
    loc = (await t.deps.services.organisations.listLocations(t.orgId)).find((l) => l.name === 'Headquarters')!.id;
    await t.deps.services.content.purchases.purchase(admin(t.orgId), { locationId: loc, adamId: APPS.meetingTimer, quantity: 2 });
  });
  const repo = () => t.deps.services.content.licences;

  it('all-or-nothing assigns none when the asset lacks licences for all targets', async () => {
    const out = await repo().associate(t.orgId, loc, [asset], { serialNumbers: ['A', 'B', 'C'], clientUserIds: [] }, new Date(), 'all-or-nothing');
    assert.equal(out.added.length, 0);
    assert.deepEqual(out.failures, [{ code: 'not_enough_licences', assets: [asset], serialNumbers: ['A', 'B', 'C'], clientUserIds: [] }]);
  });
  it('partial uses licences in order and reports the rest', async () => {
    const out = await repo().associate(t.orgId, loc, [asset], { serialNumbers: ['A', 'B', 'C'], clientUserIds: [] }, new Date(), 'partial');
    assert.deepEqual(out.added.map((a) => a.serialNumber), ['A', 'B']);
    assert.deepEqual(out.failures, [{ code: 'not_enough_licences', assets: [asset], serialNumbers: ['C'], clientUserIds: [] }]);
    assert.equal(out.numCompleted, 2);
  });
  it('an assigned device completes without a licence; disassociating what is not assigned is a no-op', async () => {
    const again = await repo().associate(t.orgId, loc, [asset], { serialNumbers: ['A'], clientUserIds: [] }, new Date(), 'all-or-nothing');
    assert.deepEqual([again.numCompleted, again.added.length, again.failures.length], [1, 0, 0]);
    const off = await repo().disassociate(t.orgId, loc, [asset], { serialNumbers: ['Z', 'A'], clientUserIds: [] }, new Date());
    assert.deepEqual(off.removed.map((r) => r.serialNumber), ['A']);
    assert.equal(off.numCompleted, 2);
  });
  it('the pool counts follow the changes', async () => {
    const pool = await t.deps.store.content.purchasing.pool(loc, APPS.meetingTimer, 'STDQ');
    assert.deepEqual([pool!.totalCount, pool!.assignedCount], [2, 1]);
  });
});

describe('content: asynchronous events survive a restart', () => {
  it('an event left PENDING is applied by the next process', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'orchard.sqlite');
    const clock = new AdjustableClock();
    const catalog = readFixture<CatalogFixture>('app-store-catalog.json');
    // First process: an org, a location, licences, and an event written but never processed.
    const secretsKey = randomBytes(32); // the data dir's key, the same for both processes
    const store1 = createSqliteStore(openDb(file), { secretsKey });
    const org = { id: 'ORG-1', name: 'Restart Ltd', orgId: '1234567', email: '', phone: '', address: '', orgType: 'org' as const, orgVersion: 'v2', consentText: '', brandColor: '#000', termsVersionRequired: 1, termsVersionAccepted: 1, createdAt: clock.now(),
      // Issue 16: the Apps and Books terms and billing come before a purchase.
      contentTermsAcceptedAt: clock.now(), billing: { name: 'Restart Ltd', email: 'billing@restart.test', address: '1 Main St' } };
    await store1.organisations.create(org);
    await store1.locations.create({ id: 'LOC-1', orgId: 'ORG-1', name: 'HQ', address: '', country: 'US', currency: 'USD', createdAt: clock.now() });
    const c1 = createContentServices(store1, clock, randomIds, catalog);
    await c1.purchases.purchase(admin('ORG-1'), { locationId: 'LOC-1', adamId: APPS.meetingTimer, quantity: 1 });
    await store1.content.licences.createEvent({
      id: 'ev-1', locationId: 'LOC-1', eventType: 'ASSOCIATE', status: 'PENDING', numRequested: 1, numCompleted: 0, failures: [], createdAt: clock.now(),
      request: { assets: [{ adamId: APPS.meetingTimer, pricingParam: 'STDQ' }], serialNumbers: ['S1'], clientUserIds: [] },
    });
    store1.close();
    // Second process: the worker picks it up.
    const store2 = createSqliteStore(openDb(file), { secretsKey });
    const c2 = createContentServices(store2, clock, randomIds, catalog);
    c2.events.kick();
    await c2.events.whenIdle();
    const e = await store2.content.licences.getEvent('LOC-1', 'ev-1');
    assert.deepEqual([e!.status, e!.numCompleted], ['COMPLETE', 1]);
    assert.equal((await store2.content.purchasing.pool('LOC-1', APPS.meetingTimer, 'STDQ'))!.assignedCount, 1);
    store2.close();
    const raw = openDb(file);
    const types = (raw.prepare("SELECT type FROM events WHERE org_id = 'ORG-1' ORDER BY id").all() as Array<{ type: string }>).map((r) => r.type);
    raw.close();
    // Purchases and licence changes are written to the outbox in the same transaction.
    assert.deepEqual(types, ['content.purchased', 'content.licences_assigned']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('content: paging', () => {
  it('pages assignments by pageIndex with nextPageIndex until the last page', async () => {
    const t = await buildTestOrchard();
    const loc = (await t.deps.services.organisations.listLocations(t.orgId))[0]!.id;
    const c = createContentServices(t.deps.store, t.clock, randomIds, readFixture<CatalogFixture>('app-store-catalog.json'), { pageSize: 2 });
    await c.purchases.purchase(admin(t.orgId), { locationId: loc, adamId: APPS.meetingTimer, quantity: 5 });
    await c.licences.associate(t.orgId, loc, [{ adamId: APPS.meetingTimer, pricingParam: 'STDQ' }],
      { serialNumbers: ['S1', 'S2', 'S3', 'S4', 'S5'], clientUserIds: [] }, new Date(), 'partial');
    const p0 = await c.libraries.assignments(loc, {}, 0);
    const p2 = await c.libraries.assignments(loc, {}, 2);
    assert.deepEqual([p0.items.length, p0.totalPages, p0.nextPageIndex], [2, 3, 1]);
    assert.deepEqual([p2.items.map((a) => a.serialNumber), p2.nextPageIndex], [['S5'], undefined]);
    await assert.rejects(c.libraries.assignments(loc, {}, 3));
  });
});
