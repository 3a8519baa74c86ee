// The portal at the wire (issue 15): the page and its bundle under the portal's security
// headers, the session cookie's flags, GET /me's permissions, and the two reads the portal adds
// (GET /dashboard, GET /devices/{serial}/mdm): filtered by role, one organisation only.
import assert from 'node:assert/strict';
import request from 'supertest';
import { PORTAL_CSP } from '../../../src/http/security-headers.js';
import { PUBLIC_PAGE_PATHS } from '../../../src/portal/web/router.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey } from '../../support/mdm-server-cert.js';

const PASSWORD = 'a long passphrase 1';

describe('the web portal at the wire', () => {
  let t: TestOrchard;
  const auth = (r: request.Test, token = t.adminToken) => r.set('Authorization', `Bearer ${token}`);
  before(async () => {
    t = await buildTestOrchard();
  });

  describe('GET / and the bundle', () => {
    it('serves the page with the CSP, nosniff and same-origin referrer, and no inline script or style', async () => {
      const res = await request(t.app).get('/');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^text\/html/);
      assert.equal(res.headers['content-security-policy'],
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'same-origin');
      assert.match(res.text, /<script defer src="\/portal\/app\.js"><\/script>/);
      assert.match(res.text, /<link rel="stylesheet" href="\/portal\/app\.css">/);
      assert.doesNotMatch(res.text, /<script>|<script [^>]*>[^<]|<style|style="/, 'nothing inline');
    });
    it("serves the public pages (sign-up, mailed links, the operator's /operator) as the same page under the same headers", async () => {
      for (const path of PUBLIC_PAGE_PATHS) {
        const res = await request(t.app).get(path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers['content-type'], /^text\/html/, path);
        assert.equal(res.headers['content-security-policy'], PORTAL_CSP, path);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
        assert.equal(res.headers['referrer-policy'], 'same-origin', path);
        assert.equal(res.headers['cache-control'], 'no-cache', path);
        assert.match(res.text, /<script defer src="\/portal\/app\.js"><\/script>/, path);
        assert.equal(res.headers['set-cookie'], undefined, `${path} sets no cookie`);
      }
      assert.ok(PUBLIC_PAGE_PATHS.includes('/operator'));
      assert.ok(!(await request(t.app).get('/operator')).text.includes(t.operatorToken), 'the operator token is never in the page');
    });
    it('serves app.js and app.css, built from the sources, under the same headers', async () => {
      const js = await request(t.app).get('/portal/app.js');
      assert.equal(js.status, 200);
      assert.match(js.headers['content-type'], /^text\/javascript/);
      assert.equal(js.headers['content-security-policy'], PORTAL_CSP);
      assert.ok(js.text.length > 10_000 && js.text.includes('/api/v1'), 'the Preact app with Chart.js');
      const css = await request(t.app).get('/portal/app.css');
      assert.equal(css.status, 200);
      assert.match(css.headers['content-type'], /^text\/css/);
      assert.match(css.text, /:focus-visible/);
    });
    it('answers 304 to a revalidation while the bundle is unchanged', async () => {
      const js = await request(t.app).get('/portal/app.js');
      assert.match(js.headers.etag, /^"[0-9a-f]{32}"$/);
      assert.equal(js.headers['cache-control'], 'no-cache');
      const again = await request(t.app).get('/portal/app.js').set('If-None-Match', js.headers.etag);
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      assert.equal((await request(t.app).get('/portal/app.js').set('If-None-Match', '"other"')).status, 200);
    });
  });

  describe('the session cookie', () => {
    it('is HttpOnly, SameSite=Strict and not Secure when the base URL is http', async () => {
      const res = await request(t.app).post('/api/v1/session').send({ email: await newAccount(t, ['Staff']), password: PASSWORD });
      assert.equal(res.status, 200);
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /^orchard_session=[^;]+;/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Strict/);
      assert.doesNotMatch(cookie, /; Secure/);
    });
    it('is Secure as well when the base URL is https', async () => {
      const s = await buildTestOrchard({ baseUrl: 'https://orchard.example' });
      const res = await request(s.app).post('/api/v1/session').send({ email: await newAccount(s, ['Staff']), password: PASSWORD });
      assert.equal(res.status, 200);
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; SameSite=Strict/);
    });
    it('opens reads, and refuses a cookie write without X-Orchard-CSRF or the portal origin', async () => {
      const agent = request.agent(t.app);
      assert.equal((await agent.post('/api/v1/session').send({ email: await newAccount(t, ['Administrator']), password: PASSWORD })).status, 200);
      assert.equal((await agent.get('/api/v1/dashboard')).status, 200);
      const refused = await agent.post('/api/v1/locations').send({ name: 'Lyon' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'csrf_rejected');
      assert.equal((await agent.post('/api/v1/locations').set('X-Orchard-CSRF', '1').send({ name: 'Lyon' })).status, 201);
    });
  });

  describe('GET /me', () => {
    it("lists the permissions the caller's roles grant", async () => {
      const admin = await auth(request(t.app).get('/api/v1/me'));
      assert.ok(admin.body.permissions.includes('servers.manage') && admin.body.permissions.includes('audit.read'));
      const content = await auth(request(t.app).get('/api/v1/me'), await t.tokenFor(['ContentManager']));
      assert.deepEqual(content.body.permissions, ['org.read', 'devices.read', 'content.read', 'content.manage']);
      const staff = await auth(request(t.app).get('/api/v1/me'), await t.tokenFor(['Staff']));
      assert.deepEqual(staff.body.permissions, []);
    });
  });

  describe('GET /audit filters (the Activity page)', () => {
    it('filters by outcome and by text in who, what or target; refuses an unknown outcome', async () => {
      const email = `audit-${Math.random().toString(36).slice(2)}@demo.orchard.test`;
      const staff = await t.tokenFor(['Staff'], email);
      assert.equal((await auth(request(t.app).post('/api/v1/locations'), staff).send({ name: 'Nope' })).status, 403);
      assert.equal((await auth(request(t.app).post('/api/v1/locations')).send({ name: 'Audit filter site' })).status, 201);
      const denied = await auth(request(t.app).get('/api/v1/audit?outcome=denied'));
      assert.equal(denied.status, 200);
      const deniedItems: any[] = denied.body.items ?? denied.body.entries;
      assert.ok(deniedItems.length > 0 && deniedItems.every((e) => e.outcome === 'denied'));
      assert.ok(deniedItems.some((e) => e.actor_email === email));
      const byWho = await auth(request(t.app).get(`/api/v1/audit?q=${encodeURIComponent(email.toUpperCase())}`));
      const whoItems: any[] = byWho.body.items ?? byWho.body.entries;
      assert.deepEqual(whoItems.map((e) => [e.actor_email, e.action, e.outcome]), [[email, 'POST /api/v1/locations', 'denied']]);
      const both = await auth(request(t.app).get('/api/v1/audit?q=locations&outcome=success'));
      const bothItems: any[] = both.body.items ?? both.body.entries;
      assert.ok(bothItems.length > 0 && bothItems.every((e) => e.outcome === 'success' && /locations/i.test(`${e.action} ${e.target}`)));
      const bad = await auth(request(t.app).get('/api/v1/audit?outcome=maybe'));
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.errors[0].pointer, '/query/outcome');
    });
  });

  describe('GET /dashboard', () => {
    it('counts devices by family and server, enrolments, commands and licences, and lists what expires next', async () => {
      const created = await auth(request(t.app).post('/api/v1/mdm-servers')).send({ name: 'Dashboard server', public_key: makeServerKey().certPem });
      assert.equal(created.status, 201);
      const res = await auth(request(t.app).get('/api/v1/dashboard'));
      assert.deepEqual(res.body.expiring.find((e: any) => e.id === created.body.id),
        { kind: 'server_token', id: created.body.id, name: 'Dashboard server', expires_at: created.body.token.expires_at });
      assert.equal(res.status, 200);
      const devices = await auth(request(t.app).get('/api/v1/devices?limit=1000'));
      const list: any[] = devices.body.items ?? devices.body.devices;
      assert.equal(res.body.devices.total, list.length);
      const iphones = list.filter((d) => d.family === 'iPhone').length;
      assert.equal(res.body.devices.by_family.iPhone, iphones);
      assert.equal(res.body.devices.by_mdm_server.reduce((a: number, s: any) => a + s.count, 0), list.length);
      const names = res.body.licences.map((l: any) => l.name);
      assert.ok(names.includes('Berlin Office') && names.includes('Headquarters'), 'one entry per location');
      const dates = res.body.expiring.map((e: any) => e.expires_at);
      assert.deepEqual(dates, [...dates].sort(), 'soonest first');
    });
    it("leaves out what the caller's roles do not cover, and needs org.read", async () => {
      const content = await auth(request(t.app).get('/api/v1/dashboard'), await t.tokenFor(['PeopleManager']));
      assert.equal(content.status, 200);
      assert.equal(content.body.devices, null);
      assert.equal(content.body.commands_last_day, null);
      assert.equal(content.body.licences, null);
      assert.deepEqual(content.body.expiring, []);
      const staff = await auth(request(t.app).get('/api/v1/dashboard'), await t.tokenFor(['Staff']));
      assert.equal(staff.status, 403);
    });
    it("shows another organisation none of this one's devices", async () => {
      const other = await t.otherOrg();
      const res = await auth(request(t.app).get('/api/v1/dashboard'), other.token);
      assert.equal(res.status, 200);
      assert.equal(res.body.devices.total, 0);
    });
  });

  describe('GET /devices/{serial}/mdm', () => {
    it("gives a device's assignment history, newest first, and no channel before it enrols", async () => {
      const list = await auth(request(t.app).get('/api/v1/devices?family=iPad'));
      const serial = (list.body.items ?? list.body.devices)[0].serial_number;
      const created = await auth(request(t.app).post('/api/v1/mdm-servers')).send({ name: 'Portal history', public_key: makeServerKey().certPem });
      assert.equal(created.status, 201);
      const server = created.body;
      assert.equal((await auth(request(t.app).post(`/api/v1/mdm-servers/${server.id}/devices`)).set('Content-Type', 'text/csv').send(`${serial}\n`)).status, 200);
      assert.equal((await auth(request(t.app).delete(`/api/v1/mdm-servers/${server.id}/devices`)).set('Content-Type', 'text/csv').send(`${serial}\n`)).status, 200);
      const res = await auth(request(t.app).get(`/api/v1/devices/${serial}/mdm`));
      assert.equal(res.status, 200);
      assert.equal(res.body.serial_number, serial);
      assert.deepEqual(res.body.assignments.map((a: any) => [a.op, a.mdm_server_id]), [['deleted', server.id], ['added', server.id]]);
      assert.equal(res.body.enrollment, null);
      assert.deepEqual(res.body.queue, []);
      assert.equal(res.body.installed_apps, null);
    });
    it('GET /devices and GET /devices/{serial} carry each enrolment state (null: never enrolled)', async () => {
      const list = await auth(request(t.app).get('/api/v1/devices?family=Mac'));
      const items: any[] = list.body.items ?? list.body.devices;
      assert.ok(items.length > 0 && items.every((d) => d.enrolment_state === null));
      assert.equal((await auth(request(t.app).get(`/api/v1/devices/${items[0].serial_number}`))).body.enrolment_state, null);
    });
    it("is 404 for a serial that is not the caller's organisation's", async () => {
      const list = await auth(request(t.app).get('/api/v1/devices?family=Mac'));
      const serial = (list.body.items ?? list.body.devices)[0].serial_number;
      const other = await t.otherOrg();
      assert.equal((await auth(request(t.app).get(`/api/v1/devices/${serial}/mdm`), other.token)).status, 404);
      assert.equal((await auth(request(t.app).get('/api/v1/devices/NOSUCHSERIAL/mdm'))).status, 404);
    });
  });
});

async function newAccount(t: TestOrchard, roles: string[]): Promise<string> {
  const email = `portal-${Math.random().toString(36).slice(2)}@demo.orchard.test`;
  const res = await request(t.app).post('/api/v1/accounts').set('Authorization', `Bearer ${t.adminToken}`).send({ email, given_name: 'Pat', roles, password: PASSWORD });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return email;
}
