// GET /account (developer.apple.com/documentation/devicemanagement/account-detail).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createDepServer, depCall, openSession } from '../../support/dep-client.js';
import { buildTestOrchard } from '../../support/harness.js';

describe('DEP GET /account', () => {
  it('answers the server, its organisation and the endpoints with methods and limits (protocol 3+)', async () => {
    const t = await buildTestOrchard();
    const srv = await createDepServer(t, 'Account MDM');
    const org = (await t.deps.store.organisations.get(t.orgId))!;
    const res = await depCall(t, await openSession(t, srv.secrets), 3)('get', '/account');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json;charset=UTF8');
    assert.deepEqual(JSON.parse(res.text), {
      server_name: 'Account MDM',
      server_uuid: srv.serverUuid,
      admin_id: 'admin@demo.orchard.test',
      facilitator_id: 'admin@demo.orchard.test',
      org_name: org.name,
      org_email: org.email,
      org_phone: org.phone,
      org_address: org.address,
      org_id: org.orgId,
      org_id_hash: createHash('sha256').update(`orchard-org:${org.orgId}`).digest('hex'),
      org_type: 'org',
      org_version: 'v2',
      urls: [
        { uri: '/session', http_method: ['GET'] },
        { uri: '/account', http_method: ['GET'] },
        { uri: '/server/devices', http_method: ['POST'], limit: { default: 100, maximum: 1000 } },
        { uri: '/devices/sync', http_method: ['POST'], limit: { default: 100, maximum: 1000 } },
        { uri: '/devices', http_method: ['POST'], limit: { default: 1000, maximum: 1000 } },
        { uri: '/devices/disown', http_method: ['POST'], limit: { default: 1000, maximum: 1000 } },
        { uri: '/profile', http_method: ['POST', 'GET'] },
        { uri: '/profile/devices', http_method: ['PUT', 'DELETE'], limit: { default: 1000, maximum: 1000 } },
      ],
    });
  });

  it('leaves out org_id, org_type, org_version and urls below protocol version 3', async () => {
    const t = await buildTestOrchard();
    const srv = await createDepServer(t, 'Old MDM');
    const res = await depCall(t, await openSession(t, srv.secrets), 1)('get', '/account');
    assert.deepEqual(Object.keys(JSON.parse(res.text)), [
      'server_name', 'server_uuid', 'admin_id', 'facilitator_id', 'org_name', 'org_email', 'org_phone', 'org_address',
    ]);
  });
});
