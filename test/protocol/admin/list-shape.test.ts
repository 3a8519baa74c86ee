import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import type { SqliteDeviceRepository } from '../../../src/store/devices.js';

// Every list answers {items, next_cursor}; a cursor walks a list exactly once, in order, for every
// sort; a tampered cursor, or one from another sort, answers 400 at /query/cursor.
describe('admin API: one list shape, keyset paging and sorts', () => {
  let t: TestOrchard;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const get = (path: string) => request(t.app).get(`/api/v1${path}`).set(auth());
  const FAMILIES = ['iPhone', 'iPad', 'Mac', 'AppleTV'] as const;

  /** Every page of a list, following next_cursor. */
  async function walk(path: string, limit: number): Promise<{ items: any[]; pages: number }> {
    const items: any[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['items', 'next_cursor']);
      assert.ok(res.body.items.length <= limit);
      items.push(...res.body.items);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }

  before(async () => {
    t = await buildTestOrchard();
    // 250 devices more, in three batches added at different times (created_at), over four models.
    const base = t.clock.now().getTime();
    for (let batch = 0; batch < 3; batch++) {
      const now = new Date(base - (3 - batch) * 60_000);
      const lines = Array.from({ length: batch === 2 ? 50 : 100 }, (_, i) => {
        const n = batch * 100 + i;
        const family = FAMILIES[n % 4]!;
        return { serialNumber: `LS${String((n * 7919) % 1000).padStart(4, '0')}X${String(n).padStart(3, '0')}`, deliveryNumber: 'D1', assetTag: '', family, model: `${family} model ${n % 3}`, description: '', color: '', os: '' };
      });
      await t.deps.store.orders.apply([{ kind: 'create', order: { id: `ls-${batch}`, orgId: t.orgId, orderNumber: `LS-${batch}`, orderDate: now, orderType: 'OR', customerId: '', poNumber: '', source: 'fixture', receivedAt: now, availableAt: now }, lines }], now);
    }
    assert.equal((await get('/devices?limit=1')).status, 200); // delivers the orders that are due
  });

  const keyOf = (sort: string) => (d: any) => d[sort.replace(/^-/, '')] as string;
  const ordered = (items: any[], sort: string) => {
    const key = keyOf(sort);
    const dir = sort.startsWith('-') ? -1 : 1;
    return [...items].sort((a, b) => dir * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.serial_number < b.serial_number ? -1 : a.serial_number > b.serial_number ? 1 : 0));
  };

  for (const sort of ['serial_number', '-serial_number', 'created_at', '-created_at', 'model', '-model', 'family', '-family']) {
    it(`pages every device exactly once, in order, sorted by ${sort}`, async () => {
      const total = await t.deps.store.devices.count(t.orgId);
      assert.ok(total >= 300, `${total} devices`);
      const { items, pages } = await walk(`/devices?sort=${sort}`, 100);
      assert.equal(pages, Math.ceil(total / 100));
      assert.equal(items.length, total);
      assert.equal(new Set(items.map((d) => d.serial_number)).size, total, 'no device twice');
      assert.deepEqual(items.map((d) => d.serial_number), ordered(items, sort).map((d) => d.serial_number));
    });
  }

  it('pages every order exactly once, in order, for each sort (keyset in SQL, ties on one date broken by number)', async () => {
    // 150 orders more over 30 dates (five on each), received in another order than their dates.
    const base = t.clock.now().getTime();
    const writes = Array.from({ length: 150 }, (_, i) => {
      const orderDate = new Date(base - (1 + (i % 30)) * 86_400_000);
      const receivedAt = new Date(base - (1 + ((i * 37) % 150)) * 60_000);
      return { kind: 'create' as const, order: { id: `lo-${i}`, orgId: t.orgId, orderNumber: `LO-${String((i * 53) % 1000).padStart(3, '0')}-${i}`, orderDate, orderType: 'OR' as const, customerId: '', poNumber: '', source: 'fixture' as const, receivedAt, availableAt: receivedAt }, lines: [] };
    });
    await t.deps.store.orders.apply(writes, t.clock.now());
    const all = (await t.deps.store.orders.search(t.orgId, { visibleAt: t.clock.now(), limit: 5000 })).length;
    assert.ok(all >= 150, `${all} orders`);
    for (const sort of ['order_number', '-order_number', 'order_date', '-order_date', 'received_at', '-received_at']) {
      const { items, pages } = await walk(`/orders?sort=${sort}`, 40);
      assert.equal(items.length, all, sort);
      assert.equal(pages, Math.ceil(all / 40), sort);
      assert.equal(new Set(items.map((o) => o.order_number)).size, all, `${sort}: no order twice`);
      const key = (o: any) => o[sort.replace(/^-/, '')] as string;
      const dir = sort.startsWith('-') ? -1 : 1;
      const expected = [...items].sort((a, b) => dir * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.order_number < b.order_number ? -1 : a.order_number > b.order_number ? 1 : 0));
      assert.deepEqual(items.map((o) => o.order_number), expected.map((o) => o.order_number), sort);
    }
    const first = await get('/orders?limit=5');
    assert.deepEqual(first.body.items.map((o: any) => o.order_date), [...first.body.items.map((o: any) => o.order_date)].sort().reverse(), 'newest order date first by default');
    const filtered = await walk('/orders?order_number=LO-053-1', 1);
    assert.deepEqual(filtered.items.map((o) => o.order_number), ['LO-053-1']);
  });

  it('pages a filtered list the same way (family and model filters, descending)', async () => {
    const ipads = await walk('/devices?family=iPad&sort=-created_at', 17);
    assert.ok(ipads.items.length > 60 && ipads.items.every((d) => d.family === 'iPad'));
    assert.equal(new Set(ipads.items.map((d) => d.serial_number)).size, ipads.items.length);
    assert.deepEqual(ipads.items, ordered(ipads.items, '-created_at'));
    const model = await walk(`/devices?model=${encodeURIComponent('Mac model 1')}&sort=model`, 5);
    assert.ok(model.items.length > 10 && model.items.every((d) => d.model === 'Mac model 1'));
    const prefix = await walk('/devices?q=ls0', 10);
    assert.ok(prefix.items.length > 0 && prefix.items.every((d) => d.serial_number.startsWith('LS0')));
  });

  it('answers 400 at /query/cursor to a tampered cursor or one from another sort, and at /query/limit or /query/sort to bad values', async () => {
    const first = await get('/devices?limit=10&sort=model');
    const cursor = first.body.next_cursor as string;
    assert.ok(cursor);
    const [body, sum] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['model', 'zzz', 'ZZZ']), 'utf8').toString('base64url');
    for (const bad of [`${body}x.${sum}`, `${forged}.${sum}`, 'nonsense', `${body}.`]) {
      const res = await get(`/devices?limit=10&sort=model&cursor=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, 'invalid_request');
      assert.deepEqual(res.body.error.details.errors.map((e: any) => [e.pointer, e.problem]), [['/query/cursor', 'invalid_value']]);
    }
    const otherSort = await get(`/devices?limit=10&sort=-model&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(otherSort.status, 400);
    assert.equal(otherSort.body.error.details.errors[0].pointer, '/query/cursor');
    for (const limit of ['0', '1001', 'x']) {
      const res = await get(`/devices?limit=${limit}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.details.errors[0].pointer, '/query/limit');
    }
    const sort = await get('/devices?sort=colour');
    assert.equal(sort.status, 400);
    assert.equal(sort.body.error.details.errors[0].pointer, '/query/sort');
  });

  it('pages the small lists through the same helper (locations, accounts, audit) by 1', async () => {
    for (const path of ['/locations', '/accounts', '/audit', '/mdm-servers', '/cards', '/catalog']) {
      const all = await get(`${path}?limit=1000`);
      assert.equal(all.status, 200, path);
      assert.equal(all.body.next_cursor, null, path);
      const paged = await walk(path, 1);
      assert.deepEqual(paged.items, all.body.items, path);
    }
  });

  it('reads an index for each device filter with each sort (EXPLAIN QUERY PLAN), never a scan of the table', async () => {
    const repo = t.deps.store.devices as SqliteDeviceRepository;
    const filters = [{}, { family: 'iPad' as const }, { model: 'iPad model 1' }, { profileStatus: 'empty' }, { orderNumbers: ['LS-1'] }, { mdmServer: 'none' }, { serialPrefix: 'LS0' }];
    for (const f of filters) {
      for (const by of ['serial_number', 'created_at', 'model', 'family'] as const) {
        for (const descending of [false, true]) {
          const plan = repo.explainList(t.orgId, { ...f, sort: { by, descending, after: ['LS', 'LS0000X000'] }, limit: 101 });
          const reads = plan.filter((l) => /^(SCAN|SEARCH)/.test(l));
          assert.ok(reads.length > 0 && reads.every((l) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING PRIMARY KEY/.test(l)),
            `${JSON.stringify(f)} by ${by}${descending ? ' desc' : ''}: ${plan.join(' | ')}`);
        }
      }
    }
  });
});
