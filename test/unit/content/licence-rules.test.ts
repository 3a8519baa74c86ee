// The licence rules as pure decisions (src/business/content/licence-rules.ts): given the reads of
// a location, each answers the rows to write and its result, writing nothing itself. Then the
// store's side: a change is applied whole, with one library version, or not at all.
import assert from 'node:assert/strict';
import { licenceDecisions as decide } from '../../../src/business/content/licence-rules.js';
import type { VppUser, VppUserStatus } from '../../../src/store/content-library.js';
import type { AssetRef, Holder, LicenceReads, VppEvent } from '../../../src/store/content-licences.js';
import type { ProductType } from '../../../src/store/content-purchasing.js';
import { buildTestOrchard } from '../../support/harness.js';
import { APPS } from '../../support/content.js';

const APP: AssetRef = { adamId: '111', pricingParam: 'STDQ' };
const BOOK: AssetRef = { adamId: '222', pricingParam: 'STDQ' };

/** An in-memory location: pools, assignments and users, read as the store reads them. */
function location(o: { totals?: Record<string, number>; assigned?: Array<AssetRef & Holder>; users?: Record<string, VppUserStatus> } = {}): LicenceReads {
  const type = (a: AssetRef): ProductType => (a.adamId === BOOK.adamId ? 'Book' : 'App');
  const same = (x: AssetRef & Partial<Holder>, a: AssetRef, to: Holder) =>
    x.adamId === a.adamId && x.pricingParam === a.pricingParam && x.serialNumber === to.serialNumber && x.clientUserId === to.clientUserId;
  const assigned = o.assigned ?? [];
  return {
    total: (a) => o.totals?.[a.adamId] ?? 0,
    assignedCount: (a) => assigned.filter((x) => x.adamId === a.adamId).length,
    isAssigned: (a, to) => assigned.some((x) => same(x, a, to)),
    user: (id) => (o.users?.[id] ? ({ clientUserId: id, status: o.users[id] } as VppUser) : undefined),
    assignmentsOf: (to) => assigned.filter((x) => x.serialNumber === to.serialNumber && x.clientUserId === to.clientUserId)
      .map((x) => ({ adamId: x.adamId, pricingParam: x.pricingParam, productType: type(x) })),
  };
}

describe('licence rules (pure decisions)', () => {
  it('partial uses licences in request order, devices then users; a name given twice takes one licence', () => {
    const d = decide.associate('L', [APP], { serialNumbers: ['A', 'A', 'B'], clientUserIds: ['u1'] }, 'partial')(location({ totals: { 111: 2 }, users: { u1: 'Registered' } }));
    assert.deepEqual(d.changes.assign, [{ ...APP, serialNumber: 'A' }, { ...APP, serialNumber: 'B' }]);
    assert.deepEqual(d.result.failures, [{ code: 'not_enough_licences', assets: [APP], serialNumbers: [], clientUserIds: ['u1'] }]);
    assert.deepEqual(d.changes.events, [{ type: 'content.licences_assigned', payload: { location_id: 'L', assignments: d.changes.assign } }]);
  });

  it('all-or-nothing writes nothing for an asset short of licences; retired and unknown users fail', () => {
    const d = decide.associate('L', [APP], { serialNumbers: ['A', 'B'], clientUserIds: ['gone', 'nobody'] }, 'all-or-nothing')(location({ totals: { 111: 1 }, users: { gone: 'Retired' } }));
    assert.deepEqual(d.changes.assign, []);
    assert.deepEqual(d.changes.events, []);
    assert.deepEqual(d.result.failures, [
      { code: 'user_not_found', clientUserIds: ['gone', 'nobody'] },
      { code: 'not_enough_licences', assets: [APP], serialNumbers: ['A', 'B'], clientUserIds: [] },
    ]);
  });

  it('retiring a user revokes its app licences and leaves its books', () => {
    const reads = location({ users: { u1: 'Associated' }, assigned: [{ ...APP, clientUserId: 'u1' }, { ...BOOK, clientUserId: 'u1' }] });
    const d = decide.retireUsers('L', ['u1', 'u1', 'nobody'])(reads);
    assert.deepEqual(d.changes.retire, ['u1']);
    assert.deepEqual(d.changes.unassign, [{ ...APP, clientUserId: 'u1' }]);
    assert.deepEqual(d.result.failures, [{ code: 'user_not_found', clientUserIds: ['u1', 'nobody'] }]);
    assert.deepEqual(d.changes.events.map((e) => e.type), ['content.licences_unassigned']);
  });

  it('a retired user is registered again with a new invite code; an active one exists already', () => {
    let n = 0;
    const d = decide.createUsers('L', [{ clientUserId: 'old' }, { clientUserId: 'on' }, { clientUserId: 'new', email: 'n@x.test' }], () => `code${++n}`)(
      location({ users: { old: 'Retired', on: 'Registered' } }));
    assert.deepEqual(d.changes.register, [{ clientUserId: 'old', inviteCode: 'code1' }, { clientUserId: 'new', email: 'n@x.test', inviteCode: 'code2' }]);
    assert.deepEqual(d.result.failures, [{ code: 'user_exists', clientUserIds: ['on'] }]);
  });

  it('only a Registered user accepts an invitation', () => {
    for (const status of ['Associated', 'Retired'] as const) {
      const d = decide.acceptInvitation('hash')({ clientUserId: 'u', status } as VppUser, location());
      assert.deepEqual([d.result, d.changes.associate], [undefined, []]);
    }
    const ok = decide.acceptInvitation('hash')({ clientUserId: 'u', status: 'Registered' } as VppUser, location());
    assert.deepEqual(ok.changes.associate, [{ clientUserId: 'u', idHash: 'hash' }]);
  });

  it('an event is COMPLETE when nothing failed and FAILED otherwise', () => {
    const event = (request: VppEvent['request']): VppEvent => ({
      id: 'e', locationId: 'L', eventType: 'ASSOCIATE', status: 'PENDING', request, numRequested: 1, numCompleted: 0, failures: [], createdAt: new Date(0),
    });
    const reads = location({ totals: { 111: 1 } });
    const ok = decide.event(() => 'c')(event({ assets: [APP], serialNumbers: ['A'], clientUserIds: [] }), reads);
    assert.deepEqual(ok.outcome, { status: 'COMPLETE', numCompleted: 1, failures: [] });
    const short = decide.event(() => 'c')(event({ assets: [APP], serialNumbers: ['A', 'B'], clientUserIds: [] }), reads);
    assert.deepEqual([short.outcome.status, short.outcome.numCompleted, short.changes.assign], ['FAILED', 0, []]);
  });
});

describe('licence changes in the store', () => {
  const admin = (orgId: string) => ({ accountId: 'acct', orgId, email: 'a@x.test', roles: ['Administrator' as const], via: 'api-token' as const });

  it('writes a decision whole with one library version, or nothing when a write fails', async () => {
    const t = await buildTestOrchard();
    const loc = (await t.deps.services.organisations.listLocations(t.orgId))[0]!.id;
    await t.deps.services.content.purchases.purchase(admin(t.orgId), { locationId: loc, adamId: APPS.meetingTimer, quantity: 3 });
    const asset = { adamId: APPS.meetingTimer, pricingParam: 'STDQ' };
    const { licences, libraries } = t.deps.services.content;
    await licences.createUsers(t.orgId, loc, [{ clientUserId: 'u1' }], new Date());
    await licences.associate(t.orgId, loc, [asset], { serialNumbers: [], clientUserIds: ['u1'] }, new Date(), 'partial');
    const version = async () => (await t.deps.store.content.library.get(loc))!.version;
    const before = await version();
    // Retiring frees the user's app licence: both are one operation, one version.
    const out = await licences.retireUsers(t.orgId, loc, ['u1'], new Date());
    assert.deepEqual(out.removed, [{ ...asset, clientUserId: 'u1' }]);
    assert.equal(await version(), before + 1);
    assert.equal((await t.deps.store.content.library.getUser(loc, 'u1'))!.status, 'Retired');

    const events = async () => (await t.deps.store.events.list(t.orgId, { limit: 1000 })).length;
    const [eventsBefore, assignmentsBefore] = [await events(), (await libraries.assignments(loc, {}, 0)).items.length];
    // A decision whose second row breaks a constraint mid-way (the same device twice): the first
    // row, the version bump and the outbox event are rolled back with it.
    const broken = decide.associate(loc, [asset], { serialNumbers: ['S1'], clientUserIds: [] }, 'partial');
    await assert.rejects(t.deps.store.content.licences.change(t.orgId, loc, new Date(), (reads) => {
      const d = broken(reads);
      d.changes.assign.push(d.changes.assign[0]!);
      return d;
    }), /UNIQUE constraint failed/);
    assert.deepEqual([await version(), await events(), (await libraries.assignments(loc, {}, 0)).items.length], [before + 1, eventsBefore, assignmentsBefore]);
  });
});
