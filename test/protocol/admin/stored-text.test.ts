// Issue 17, finding 6 at the wire: a stored value must not break a later answer. Text that XML
// cannot carry (U+FFFF, C0 controls, lone surrogates), objects and arrays are refused with a 400
// naming the field, nothing changes, and the enrolment profile still downloads afterwards.
import assert from 'node:assert/strict';
import request from 'supertest';
import { openProfile } from '../../../src/sim/profile.js';
import { makeServerKey } from '../../support/mdm-server-cert.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';

const binary = (r: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

// Sent as raw JSON so that a lone surrogate travels as the escape "\ud800" (valid JSON text).
const rawJson = (value: string) => `{"name":"${value}"}`;

describe('admin API: stored free text (issue 17, finding 6)', () => {
  let t: TestOrchard;
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${t.adminToken}`);
  const organisation = async () => (await auth(request(t.app).get('/api/v1/organisation'))).body;
  const profileDownload = async () => {
    const res = await auth(request(t.app).get('/api/v1/enrollment-profile')).buffer(true).parse(binary);
    assert.equal(res.status, 200);
    const opened = openProfile(res.body, [t.deps.pki.ca.cert], t.clock.now());
    assert.equal(opened.verified, true);
    return opened.profile;
  };

  before(async () => {
    t = await buildTestOrchard({ baseUrl: 'https://orchard.example.test' });
  });

  it('PATCH /organisation {"name":"Blossom \\uffff"} is 400 naming name; the name and the profile download are unchanged', async () => {
    const before = await organisation();
    const res = await auth(request(t.app).patch('/api/v1/organisation')).send({ name: 'Blossom \uffff' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: {
      code: 'name_required', message: 'name contains a character that cannot be stored (control character, U+FFFE/U+FFFF or a lone surrogate)', details: { field: 'name', errors: [{ pointer: '/body/name', problem: 'invalid_value' }] },
    } });
    assert.deepEqual(await organisation(), before);
    const profile = await profileDownload();
    assert.equal(profile.PayloadOrganization, before.name);
  });

  it('refuses every XML-illegal character, lone surrogates, objects and arrays, field by field, changing nothing', async () => {
    const before = await organisation();
    const bad: Array<[string, unknown]> = [
      ['name', 'Blossom \ufffe'], ['name', { a: 1 }], ['name', ['Blossom']], ['name', 42], ['name', '   '],
      ['phone', '+1 415\u0000'], ['address', 'Market St\u001b'], ['email', 'it@blossom.test\u0008'],
      ['consent_text', 'x'.repeat(4001)], ['brand_color', { hex: '#fff' }],
    ];
    for (const [field, value] of bad) {
      const res = await auth(request(t.app).patch('/api/v1/organisation')).send({ phone: '+1 415 555 0199', [field]: value });
      assert.equal(res.status, 400, `${field}=${JSON.stringify(value)}`);
      // Not a string at all: refused by the contract's validator (src/portal/api/openapi/) before the handler.
      if (typeof value !== 'string') assert.deepEqual(res.body.error.details, { errors: [{ pointer: `/body/${field}`, problem: 'wrong_type', expected: 'string' }] });
      else assert.deepEqual(res.body.error.details, { field, errors: [{ pointer: `/body/${field}`, problem: 'invalid_value' }] });
    }
    for (const raw of ['Blossom \\ud800', 'Blossom \\udfff x', 'Blossom \\u0001']) {
      const res = await auth(request(t.app).patch('/api/v1/organisation')).set('Content-Type', 'application/json').send(rawJson(raw));
      assert.equal(res.status, 400, raw);
      assert.deepEqual(res.body.error.details, { field: 'name', errors: [{ pointer: '/body/name', problem: 'invalid_value' }] });
    }
    assert.deepEqual(await organisation(), before);
    await profileDownload();
  });

  it('keeps text that XML can carry: tabs, newlines, accents, emoji (a surrogate pair)', async () => {
    const res = await auth(request(t.app).patch('/api/v1/organisation')).send({ consent_text: 'Line 1\n\tLine 2 — café 🍎' });
    assert.equal(res.status, 200);
    assert.equal(res.body.consent_text, 'Line 1\n\tLine 2 — café 🍎');
    await profileDownload();
  });

  it('applies the same rule to locations, accounts, MDM server names and asset tags', async () => {
    const loc = await auth(request(t.app).post('/api/v1/locations')).send({ name: 'Depot \uffff' });
    assert.deepEqual([loc.status, loc.body.error.details], [400, { field: 'name', errors: [{ pointer: '/body/name', problem: 'invalid_value' }] }]);
    const locObj = await auth(request(t.app).post('/api/v1/locations')).send({ name: 'Depot', address: { street: 'x' } });
    assert.deepEqual([locObj.status, locObj.body.error.details], [400, { errors: [{ pointer: '/body/address', problem: 'wrong_type', expected: 'string' }] }]); // the contract's validator
    assert.ok(!(await auth(request(t.app).get('/api/v1/locations'))).body.items.some((l: any) => l.name.startsWith('Depot')));

    const acc = await auth(request(t.app).post('/api/v1/accounts')).send({ email: 'obj@demo.orchard.test', roles: ['Staff'], given_name: { a: 1 } });
    assert.deepEqual([acc.status, acc.body.error.details], [400, { errors: [{ pointer: '/body/given_name', problem: 'wrong_type', expected: 'string' }] }]); // the contract's validator
    assert.ok(!(await auth(request(t.app).get('/api/v1/accounts'))).body.items.some((a: any) => a.email === 'obj@demo.orchard.test'));
    const email = await auth(request(t.app).post('/api/v1/accounts')).send({ email: 'ctl\u0001@demo.orchard.test', roles: ['Staff'] });
    assert.deepEqual([email.status, email.body.error.code, email.body.error.details], [400, 'email_invalid', { field: 'email', errors: [{ pointer: '/body/email', problem: 'invalid_value' }] }]);

    const badName = await auth(request(t.app).post('/api/v1/mdm-servers')).send({ name: 'MDM \u0007', public_key: makeServerKey().certPem });
    assert.deepEqual([badName.status, badName.body.error.code, badName.body.error.details], [400, 'name_invalid', { field: 'name', errors: [{ pointer: '/body/name', problem: 'invalid_value' }] }]);
    const server = await auth(request(t.app).post('/api/v1/mdm-servers')).send({ name: 'Vendor MDM', public_key: makeServerKey().certPem });
    assert.equal(server.status, 201);
    const rename = await auth(request(t.app).patch(`/api/v1/mdm-servers/${server.body.id}`)).send({ name: ['Vendor'] });
    assert.deepEqual([rename.status, rename.body.error.code, rename.body.error.details], [400, 'invalid_request', { errors: [{ pointer: '/body/name', problem: 'wrong_type', expected: 'string' }] }]); // the contract's validator
    assert.equal((await auth(request(t.app).get(`/api/v1/mdm-servers/${server.body.id}`))).body.name, 'Vendor MDM');

    const device = (await auth(request(t.app).get('/api/v1/devices?limit=1'))).body.items[0];
    const tag = await auth(request(t.app).patch(`/api/v1/devices/${device.serial_number}`)).send({ asset_tag: 'TAG\uffff' });
    assert.deepEqual([tag.status, tag.body.error.code, tag.body.error.details], [400, 'asset_tag_invalid', { field: 'asset_tag', errors: [{ pointer: '/body/asset_tag', problem: 'invalid_value' }] }]);
    assert.equal((await auth(request(t.app).get(`/api/v1/devices/${device.serial_number}`))).body.asset_tag, device.asset_tag);
    await profileDownload();
  });
});
