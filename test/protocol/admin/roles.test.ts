import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

// A sample of routes per permission, and which roles may call them.
const SAMPLE: Array<{ method: 'get' | 'post' | 'patch'; path: string; body?: object; allowed: string[] }> = [
  { method: 'get', path: '/api/v1/organisation', allowed: ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager'] },
  { method: 'patch', path: '/api/v1/organisation', body: { phone: '+1 555 0100' }, allowed: ['Administrator'] },
  { method: 'post', path: '/api/v1/organisation/terms', allowed: ['Administrator'] },
  { method: 'get', path: '/api/v1/accounts', allowed: ['Administrator', 'PeopleManager'] },
  { method: 'get', path: '/api/v1/audit', allowed: ['Administrator'] },
  { method: 'get', path: '/api/v1/locations', allowed: ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager'] },
];

describe('admin API: the role matrix', () => {
  let t: TestOrchard;
  const tokens: Record<string, string> = {};
  before(async () => {
    t = await buildTestOrchard();
    for (const role of ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager', 'Staff']) tokens[role] = await t.tokenFor([role]);
  });

  for (const route of SAMPLE) {
    for (const role of ['Administrator', 'PeopleManager', 'DeviceManager', 'ContentManager', 'Staff']) {
      const ok = route.allowed.includes(role);
      it(`${route.method.toUpperCase()} ${route.path} as ${role} → ${ok ? '2xx' : '403'}`, async () => {
        const res = await request(t.app)[route.method](route.path).set('Authorization', `Bearer ${tokens[role]}`).send(route.body as object);
        if (ok) assert.ok(res.status >= 200 && res.status < 300, `status ${res.status} ${JSON.stringify(res.body)}`);
        else {
          assert.equal(res.status, 403);
          assert.equal(res.body.error.code, 'forbidden');
        }
      });
    }
  }

  it('a People Manager creates accounts but cannot make anyone Administrator', async () => {
    const pm = tokens.PeopleManager;
    const ok = await request(t.app).post('/api/v1/accounts').set('Authorization', `Bearer ${pm}`).send({ email: 'new.dm@demo.orchard.test', roles: ['DeviceManager'] });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.body.roles, ['DeviceManager']);
    const no = await request(t.app).post('/api/v1/accounts').set('Authorization', `Bearer ${pm}`).send({ email: 'new.admin@demo.orchard.test', roles: ['Administrator'] });
    assert.equal(no.status, 403);
    assert.equal(no.body.error.code, 'administrator_required');
    const promote = await request(t.app).patch(`/api/v1/accounts/${ok.body.id}`).set('Authorization', `Bearer ${pm}`).send({ roles: ['Administrator'] });
    assert.equal(promote.status, 403);
    const list = await request(t.app).get('/api/v1/accounts').set('Authorization', `Bearer ${t.adminToken}`);
    assert.ok(!list.body.items.some((a: any) => a.email === 'new.admin@demo.orchard.test'), 'refused account was not created');
  });

  it('an Administrator transfers responsibilities: roles move and the old account is deactivated', async () => {
    const a = await request(t.app).post('/api/v1/accounts').set('Authorization', `Bearer ${t.adminToken}`).send({ email: 'leaving@demo.orchard.test', roles: ['DeviceManager', 'ContentManager'] });
    const b = await request(t.app).post('/api/v1/accounts').set('Authorization', `Bearer ${t.adminToken}`).send({ email: 'staying@demo.orchard.test', roles: ['Staff'] });
    const res = await request(t.app).post(`/api/v1/accounts/${a.body.id}/transfer`).set('Authorization', `Bearer ${t.adminToken}`).send({ to_account_id: b.body.id });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.to.roles, ['ContentManager', 'DeviceManager', 'Staff']);
    assert.equal(res.body.from.active, false);
    assert.deepEqual(res.body.from.roles, ['Staff']);
  });

  it('Staff has no admin rights anywhere', async () => {
    const res = await request(t.app).get('/api/v1/accounts').set('Authorization', `Bearer ${tokens.Staff}`);
    assert.equal(res.status, 403);
  });

  it('writes every admin action to the audit log, refusals included', async () => {
    await request(t.app).patch('/api/v1/organisation').set('Authorization', `Bearer ${tokens.Staff}`).send({ phone: 'x' });
    await request(t.app).patch('/api/v1/organisation').set('Authorization', `Bearer ${t.adminToken}`).send({ phone: '+1 408 555 0199' });
    const res = await request(t.app).get('/api/v1/audit?limit=50').set('Authorization', `Bearer ${t.adminToken}`);
    const patches = res.body.items.filter((e: any) => e.action === 'PATCH /api/v1/organisation');
    assert.ok(patches.some((e: any) => e.outcome === 'denied'));
    const ok = patches.find((e: any) => e.outcome === 'success');
    assert.equal(ok.actor_email, 'admin@demo.orchard.test');
    assert.ok(!Number.isNaN(Date.parse(ok.created_at)));
  });
});
