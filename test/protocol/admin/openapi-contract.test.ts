// The admin API's OpenAPI document (src/portal/api/openapi/) against the running app: it is valid
// OpenAPI 3.1, it covers every route mounted under /api/v1 and no route that is not, every
// documented route answers (never the generic route_not_found), every answer matches the
// documented schemas, and every route that takes a JSON body refuses a wrong-typed or unknown
// field with 400 invalid_request naming the field, changing nothing.
import { storeSnapshot } from '../../support/store-snapshot.js';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { OPENAPI_DOCUMENT } from '../../../src/portal/api/openapi/document.js';
import { OPERATIONS, type Operation } from '../../../src/portal/api/openapi/operations.js';
import { MATRIX, PERMISSIONS, ROLES } from '../../../src/business/permissions.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeServerKey } from '../../support/mdm-server-cert.js';
import { mountedRoutes } from '../../support/mounted-routes.js';
import { assertMatchesContract } from '../../support/openapi.js';
import { readFixture } from '../../../src/fixtures.js';

type Schema = Record<string, any>;
const PREFIX = '/api/v1';
const key = (method: string, template: string) => `${method.toUpperCase()} ${template}`;
const expressToTemplate = (path: string) => path.slice(PREFIX.length).replace(/:(\w+)/g, '{$1}');

/** Every table but the audit log (which records refusals by design), for "nothing changed". */
const snapshot = (t: TestOrchard) => storeSnapshot(t.db);

describe('admin API contract: the OpenAPI 3.1 document', () => {
  let t: TestOrchard;
  /** Real ids of the demo organisation, so reads reach real resources. */
  let ids: Record<string, string>;

  before(async () => {
    t = await buildTestOrchard({ testControls: true });
    const get = async (path: string) => (await request(t.app).get(PREFIX + path).set('Authorization', `Bearer ${t.adminToken}`).expect(200)).body;
    const me = await get('/me');
    const server = await request(t.app).post(`${PREFIX}/mdm-servers`).set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'Contract', public_key: makeServerKey().certPem }).expect(201);
    const location = (await get('/locations')).items[0];
    await request(t.app).post(`${PREFIX}/cards`).set('Authorization', `Bearer ${t.adminToken}`).send({ label: 'Contract card', last4: '4242' }).expect(201);
    ids = {
      'account': me.id,
      'tokenId': (await get(`/accounts/${me.id}/api-tokens`)).items[0].id,
      'location': location.id,
      'server': server.body.id,
      'serial': (await get('/devices')).items[0].serial_number,
      'number': (await get('/orders')).items[0].order_number,
      'adamId': (await get('/catalog')).items[0].adam_id,
      'card': (await get('/cards')).items[0].id,
      'domain': (await get('/domains')).items[0].id,
    };
    const federation = await request(t.app).post(`${PREFIX}/federations`).set('Authorization', `Bearer ${t.adminToken}`)
      .send({ domain_id: ids.domain, issuer: 'https://idp.example', client_id: 'orchard', client_secret: 'contract' }).expect(201);
    ids.federation = federation.body.id;
    const upgrade = await request(t.app).post(`${PREFIX}/organisation/upgrade-imports`).set('Authorization', `Bearer ${t.adminToken}`)
      .send(readFixture('upgrade-export.sample.json')).expect(201);
    ids.upgradeImport = upgrade.body.id;
  });

  /** A concrete path for a template: real ids for reads, ids that match nothing for writes (so a drift call changes nothing). */
  function concrete(op: Operation, real: boolean): string {
    return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (!real) return 'no-such-id';
      const value = name === 'id'
        ? op.path.startsWith('/locations') ? ids.location
          : op.path.startsWith('/accounts') ? ids.account
            : op.path.startsWith('/mdm-servers') || op.path.startsWith('/test-controls') ? ids.server
              : op.path.startsWith('/cards') ? ids.card
                : op.path.startsWith('/domains') ? ids.domain
                  : op.path.startsWith('/federations') ? ids.federation
                    : op.path.startsWith('/organisation/upgrade-imports') ? ids.upgradeImport : undefined
        : ids[name];
      return encodeURIComponent(value ?? 'no-such-id');
    });
  }
  const tokenOf = (op: Operation) => (op.access === 'operator' ? t.operatorToken : t.adminToken);
  const call = (op: Operation, path: string) => request(t.app)[op.method](PREFIX + path).set('Authorization', `Bearer ${tokenOf(op)}`);

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const res = await validator.validate(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    assert.equal(validator.version, '3.1');
    assert.deepEqual(res.errors ?? [], []);
    assert.equal(res.valid, true);
  });

  it('is served at GET /api/v1/openapi.json without authentication', async () => {
    const res = await request(t.app).get(`${PREFIX}/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    assert.equal(res.body.openapi, '3.1.0');
  });

  it('documents every route the app mounts under /api/v1, and only those', () => {
    const mounted = new Set(mountedRoutes(t.app, PREFIX).map((r) => key(r.method, expressToTemplate(r.path))));
    const documented = new Set(Object.entries(OPENAPI_DOCUMENT.paths as Schema).flatMap(([path, item]) => Object.keys(item).map((m) => key(m, path))));
    assert.ok(mounted.size >= 90, `only ${mounted.size} routes found: the router walk is broken`);
    assert.deepEqual([...mounted].filter((r) => !documented.has(r)), [], 'mounted but not documented');
    assert.deepEqual([...documented].filter((r) => !mounted.has(r)), [], 'documented but not mounted');
  });

  it('names who may call each operation: a permission of the matrix, or public / account / operator access, said in the description too', () => {
    for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths as Schema)) {
      for (const [method, op] of Object.entries(item as Schema)) {
        const perm = op['x-orchard-permission'];
        const access = op['x-orchard-access'];
        assert.ok((perm === undefined) !== (access === undefined), `${method} ${path}: exactly one of x-orchard-permission, x-orchard-access`);
        if (perm) {
          assert.ok((PERMISSIONS as readonly string[]).includes(perm), `${method} ${path}: ${perm} is not a permission`);
          assert.match(op.description, new RegExp(`Needs the permission \`${perm.replace('.', '\\.')}\``));
        } else assert.ok(['public', 'account', 'operator', 'administrator-or-operator'].includes(access), `${method} ${path}: ${access}`);
      }
    }
    assert.equal((OPENAPI_DOCUMENT.paths as Schema)['/test-controls/clock'].post['x-orchard-access'], 'operator');
    assert.deepEqual((OPENAPI_DOCUMENT.paths as Schema)['/signup'].post.security, []);
  });

  it("names each route's real permission: a role without it gets the route's 403 naming exactly that permission, a role with it gets past", async () => {
    const tokens = new Map<string, string>();
    const tokenOfRole = async (role: string) => tokens.get(role) ?? tokens.set(role, await t.tokenFor([role])).get(role)!;
    for (const op of OPERATIONS) {
      if (typeof op.access !== 'object') continue;
      const permission = op.access.permission;
      const without = ROLES.find((r) => r !== 'Staff' && !MATRIX[r].includes(permission)) ?? 'Staff';
      const refused = await request(t.app)[op.method](PREFIX + concrete(op, false)).set('Authorization', `Bearer ${await tokenOfRole(without)}`).send(op.method === 'get' ? undefined : {});
      assert.equal(refused.status, 403, `${key(op.method, op.path)} as ${without}`);
      assert.deepEqual(refused.body, { error: { code: 'forbidden', message: `your roles do not allow this (needs ${permission})` } }, key(op.method, op.path));
      const withIt = ROLES.find((r) => r !== 'Administrator' && MATRIX[r].includes(permission)) ?? 'Administrator';
      const allowed = await request(t.app)[op.method](PREFIX + concrete(op, false)).set('Authorization', `Bearer ${await tokenOfRole(withIt)}`).send(op.method === 'get' ? undefined : {});
      assert.notEqual(allowed.body?.error?.code, 'forbidden', `${key(op.method, op.path)} as ${withIt}: ${JSON.stringify(allowed.body)}`);
    }
  });

  it('answers every documented route (never route_not_found), each answer matching the document', async () => {
    for (const op of OPERATIONS) {
      const read = op.method === 'get';
      const res = await call(op, concrete(op, read)).send(read ? undefined : {});
      assert.ok(!(res.status === 404 && res.body?.error?.code === 'route_not_found'), `${key(op.method, op.path)} is documented but not routed`);
      assertMatchesContract(op.method, op.path, res);
      // The applicant's view needs the status token of a mail; an application id exists only once applied.
      if (read && op.path !== '/push-certificate' && !op.path.startsWith('/mdm/devices/') && !op.path.startsWith('/commands/')
        && op.path !== '/signup/application' && !op.path.startsWith('/operator/signup-applications/')) {
        assert.equal(res.status, 200, `${key(op.method, op.path)}: ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
  });

  it('renders the document as reference docs at /api/docs: one page, no script, nothing from elsewhere', async () => {
    const page = await request(t.app).get('/api/docs/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.headers['content-security-policy'], /default-src 'none'; style-src 'self'/);
    assert.doesNotMatch(page.text, /<script|\b(src|href)="(https?:)?\/\//i);
    for (const op of OPERATIONS) assert.ok(page.text.includes(`<code>${PREFIX}${op.path}</code>`), `${op.path} missing from the page`);
    assert.equal((await request(t.app).get('/api/docs')).headers.location, '/api/docs/');
    const css = await request(t.app).get('/api/docs/docs.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'], /^text\/css/);
  });
});

describe('admin API contract: bad input is refused from the document, per route', () => {
  let t: TestOrchard;
  before(async () => { t = await buildTestOrchard({ testControls: true }); });

  /** A value of the wrong type for `schema`. */
  const wrongFor = (schema: Schema): unknown => {
    const types = new Set([schema.type].flat());
    return types.has('string') ? 12345 : 'not-a-number-or-list';
  };
  const deref = (s: Schema): Schema => (s.$ref ? (OPENAPI_DOCUMENT.components as Schema).schemas[s.$ref.split('/').pop()] : s);
  const firstField = (body: Schema): [string, Schema] => {
    body = deref(body);
    const props = Object.entries((body.properties ?? {}) as Record<string, Schema>).filter(([, s]) => s.type !== undefined);
    return props[0] ?? ['Mac', body.additionalProperties];
  };

  it('checks the query too: a wrong type or an unknown parameter answers 400 with its pointer; valid values pass', async () => {
    const get = (path: string) => request(t.app).get(PREFIX + path).set('Authorization', `Bearer ${t.adminToken}`);
    const bad = await get('/audit?limit=ten&colour=red');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      error: {
        code: 'invalid_request',
        message: 'the request does not match the API: /query/colour is not a field of this request; /query/limit must be integer',
        details: { errors: [
          { pointer: '/query/colour', problem: 'unknown_field', expected: 'one of the fields actor, action, since, until, q, outcome, limit, cursor, sort' },
          { pointer: '/query/limit', problem: 'wrong_type', expected: 'integer' },
        ] },
      },
    });
    assert.equal((await get('/audit?limit=5')).status, 200);
    // Matched as Express matches routes: case-insensitively, a trailing slash allowed.
    assert.deepEqual((await get('/Audit/?limit=ten')).body.error.details.errors, [{ pointer: '/query/limit', problem: 'wrong_type', expected: 'integer' }]);
    assert.equal((await get('/devices?family=Mac&limit=3')).body.items.length, 3);
  });

  it('checks the public routes\' bodies before their handlers', async () => {
    const res = await request(t.app).post(`${PREFIX}/session`).send({ email: 'ada@demo.test', password: 12345678 });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.details.errors, [{ pointer: '/body/password', problem: 'wrong_type', expected: 'string' }]);
  });

  it('lets the route answer callers it refuses anyway: no credential is 401, a role without the permission 403, before any 400', async () => {
    const bad = { given_name: 42 };
    const anonymous = await request(t.app).post(`${PREFIX}/accounts`).send(bad);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'unauthenticated');
    const staff = await t.tokenFor(['Staff']);
    const refused = await request(t.app).post(`${PREFIX}/accounts`).set('Authorization', `Bearer ${staff}`).send(bad);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const clock = await request(t.app).post(`${PREFIX}/test-controls/clock`).set('Authorization', `Bearer ${t.adminToken}`).send({ advance_seconds: 'soon' });
    assert.equal(clock.status, 403);
    assert.equal(clock.body.error.code, 'operator_only');
  });

  for (const op of OPERATIONS.filter((o) => o.body)) {
    describe(key(op.method, op.path), () => {
      const path = () => PREFIX + op.path.replace(/\{\w+\}/g, 'no-such-id');
      const send = (body: unknown) => request(t.app)[op.method](path()).set('Authorization', `Bearer ${op.access === 'operator' ? t.operatorToken : t.adminToken}`).send(body as object);

      it('refuses a wrong-typed field with 400 invalid_request and its pointer, changing nothing', async () => {
        const [name, schema] = firstField(op.body!);
        const before = snapshot(t);
        const res = await send({ [name]: wrongFor(schema) });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'invalid_request');
        const entry = res.body.error.details.errors.find((e: Schema) => e.pointer === `/body/${name}`);
        assert.deepEqual(entry, { pointer: `/body/${name}`, problem: 'wrong_type', expected: [schema.type].flat().join(' or ') });
        assertMatchesContract(op.method, op.path, res);
        assert.equal(snapshot(t), before);
      });

      it('refuses an unknown field with 400 invalid_request and its pointer, changing nothing', async () => {
        const before = snapshot(t);
        const res = await send({ no_such_field: 'x' });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        if (deref(op.body!).additionalProperties !== false) {
          // A map keyed by device family (mdm-server-defaults): the handler names the bad family.
          assert.equal(res.body.error.code, 'family_invalid');
          assert.equal(snapshot(t), before);
          return;
        }
        assert.equal(res.body.error.code, 'invalid_request');
        const entry = res.body.error.details.errors.find((e: Schema) => e.pointer === '/body/no_such_field');
        assert.ok(entry, JSON.stringify(res.body.error.details.errors));
        assert.deepEqual(entry, { pointer: '/body/no_such_field', problem: 'unknown_field', expected: `one of the fields ${Object.keys(deref(op.body!).properties).join(', ')}` });
        assert.equal(snapshot(t), before);
      });
    });
  }
});
