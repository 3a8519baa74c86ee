// Issue 16: domains proven by a DNS TXT record (through a loopback DNS stub), Managed Apple IDs
// only in verified domains of the organisation, the personal Apple ID registry, one owner a domain.
import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { startDnsStub, type DnsStub } from '../../support/dns-stub.js';

describe('admin API: domains for Managed Apple IDs', () => {
  let t: TestOrchard;
  let dns: DnsStub;
  let other: { orgId: string; token: string };
  const as = (token: string) => ({
    get: (p: string) => request(t.app).get(p).set('Authorization', `Bearer ${token}`),
    post: (p: string, b?: object) => request(t.app).post(p).set('Authorization', `Bearer ${token}`).send(b),
    del: (p: string) => request(t.app).delete(p).set('Authorization', `Bearer ${token}`),
  });
  before(async () => {
    dns = await startDnsStub();
    t = await buildTestOrchard({ dnsServers: [dns.server] });
    other = await t.otherOrg();
  });
  after(() => dns.close());

  it('lists the demo organisation\'s seeded domain as verified', async () => {
    const res = await as(t.adminToken).get('/api/v1/domains');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items.map((d: { name: string; status: string }) => [d.name, d.status]), [['demo.orchard.test', 'verified']]);
    assert.equal(res.body.next_cursor, null);
  });

  it('adds a domain, refuses to verify it until the TXT record is published, then verifies it', async () => {
    const admin = as(t.adminToken);
    const added = await admin.post('/api/v1/domains', { name: 'Blossom.Test.' });
    assert.equal(added.status, 201);
    assert.equal(added.headers.location, `/api/v1/domains/${added.body.id}`);
    assert.equal(added.body.name, 'blossom.test');
    assert.equal(added.body.status, 'pending');
    assert.equal(added.body.verified_at, null);
    const value: string = added.body.txt_record.value;
    assert.match(value, /^orchard-domain-verification=[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(added.body.txt_record, { name: 'blossom.test', type: 'TXT', value });

    // An account in a pending domain is refused.
    const early = await admin.post('/api/v1/accounts', { email: 'robin@blossom.test', roles: ['Staff'] });
    assert.deepEqual([early.status, early.body.error.code, early.body.error.details.domain], [400, 'managed_apple_id_domain_unverified', 'blossom.test']);

    // Nothing published: refused, with what to publish; the domain stays pending.
    const missing = await admin.post(`/api/v1/domains/${added.body.id}/verify`);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'domain_txt_missing');
    assert.deepEqual(missing.body.error.details, { record_name: 'blossom.test', expected_value: value, found: [] });
    // A wrong token published: still refused, and the answer shows what was found.
    dns.txt.set('blossom.test', [['v=spf1 -all'], ['orchard-domain-verification=not-this-one']]);
    const wrong = await admin.post(`/api/v1/domains/${added.body.id}/verify`);
    assert.deepEqual([wrong.status, wrong.body.error.details.found], [400, ['orchard-domain-verification=not-this-one']]);
    assert.equal((await admin.get(`/api/v1/domains/${added.body.id}`)).body.status, 'pending');
    assert.ok(dns.queries.includes('blossom.test'), 'the lookup went to the configured DNS server');

    // Published (split in two strings, as long TXT values are): verified.
    dns.txt.set('blossom.test', [['v=spf1 -all'], [value.slice(0, 20), value.slice(20)]]);
    const ok = await admin.post(`/api/v1/domains/${added.body.id}/verify`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'verified');
    assert.ok(ok.body.verified_at);

    const robin = await admin.post('/api/v1/accounts', { email: 'robin@blossom.test', given_name: 'Robin', middle_name: 'Q', family_name: 'Blossom', roles: ['Staff'] });
    assert.equal(robin.status, 201);
    assert.equal(robin.body.middle_name, 'Q');

    // A domain with Managed Apple IDs in it cannot be removed.
    const inUse = await admin.del(`/api/v1/domains/${added.body.id}`);
    assert.deepEqual([inUse.status, inUse.body.error.code, inUse.body.error.details], [409, 'domain_in_use', { accounts: 1 }]);
    assert.equal((await admin.del(`/api/v1/accounts/${robin.body.id}`)).status, 204);
    assert.equal((await admin.del(`/api/v1/domains/${added.body.id}`)).status, 204);
    assert.equal((await admin.get(`/api/v1/domains/${added.body.id}`)).status, 404);
  });

  it('refuses a Managed Apple ID of the personal Apple ID registry, or one that exists anywhere in Orchard', async () => {
    const admin = as(t.adminToken);
    const personal = await admin.post('/api/v1/accounts', { email: 'Pat.Personal@demo.orchard.test', roles: ['Staff'] });
    assert.deepEqual([personal.status, personal.body.error.code], [409, 'personal_apple_id_conflict']);
    const taken = await admin.post('/api/v1/accounts', { email: 'staff@demo.orchard.test', roles: ['Staff'] });
    assert.deepEqual([taken.status, taken.body.error.code], [409, 'email_taken']);
    const accounts = await admin.get('/api/v1/accounts');
    assert.ok(!JSON.stringify(accounts.body).toLowerCase().includes('pat.personal'));
  });

  it('lets one organisation only verify a domain; the other is refused and its claim stays pending', async () => {
    const mine = as(t.adminToken);
    const theirs = as(other.token);
    // The demo's verified domain cannot be added by another organisation at all.
    const demo = await theirs.post('/api/v1/domains', { name: 'demo.orchard.test' });
    assert.deepEqual([demo.status, demo.body.error.code], [409, 'domain_claimed']);
    // Both add a domain no one has verified; the first to verify it owns it.
    const a = await mine.post('/api/v1/domains', { name: 'shared.test' });
    const b = await theirs.post('/api/v1/domains', { name: 'shared.test' });
    assert.deepEqual([a.status, b.status], [201, 201]);
    dns.txt.set('shared.test', [[a.body.txt_record.value], [b.body.txt_record.value]]);
    assert.equal((await mine.post(`/api/v1/domains/${a.body.id}/verify`)).status, 200);
    const late = await theirs.post(`/api/v1/domains/${b.body.id}/verify`);
    assert.deepEqual([late.status, late.body.error.code], [409, 'domain_claimed']);
    assert.equal((await theirs.get(`/api/v1/domains/${b.body.id}`)).body.status, 'pending');
    // One organisation never sees another's domains.
    assert.equal((await theirs.get(`/api/v1/domains/${a.body.id}`)).status, 404);
    assert.ok(!(await theirs.get('/api/v1/domains')).body.items.some((d: { id: string }) => d.id === a.body.id));
    // The same organisation cannot add a name twice.
    const twice = await mine.post('/api/v1/domains', { name: 'SHARED.test' });
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'domain_exists']);
  });

  it('refuses a malformed name, and only an Administrator manages domains', async () => {
    const admin = as(t.adminToken);
    for (const name of ['localhost', 'exa mple.com', '-bad.test', 'a..test', '1.2.3.4', 'x'.repeat(64) + '.test']) {
      const res = await admin.post('/api/v1/domains', { name });
      assert.deepEqual([res.status, res.body.error.code], [400, 'domain_invalid'], name);
    }
    const people = as(await t.tokenFor(['PeopleManager']));
    assert.equal((await people.get('/api/v1/domains')).status, 200);
    assert.equal((await people.post('/api/v1/domains', { name: 'people.test' })).status, 403);
  });

  it('answers 503 dns_unavailable when the DNS server does not answer, and changes nothing', async () => {
    const closed = await startDnsStub();
    await closed.close();
    const t2 = await buildTestOrchard({ dnsServers: [closed.server] });
    const admin = { post: (p: string, b?: object) => request(t2.app).post(p).set('Authorization', `Bearer ${t2.adminToken}`).send(b) };
    const added = await admin.post('/api/v1/domains', { name: 'quiet.test' });
    const res = await admin.post(`/api/v1/domains/${added.body.id}/verify`);
    assert.deepEqual([res.status, res.body.error.code], [503, 'dns_unavailable']);
  });
});
