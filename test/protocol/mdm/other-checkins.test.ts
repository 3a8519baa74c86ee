import assert from 'node:assert/strict';
import { parsePlistDict, dataOf } from '../../../src/plist/index.js';
import { MAC } from '../../support/mdm.js';
import { mdmTest } from './setup.js';

describe('MDM check-in: UserAuthenticate, bootstrap token, DeclarativeManagement, unknown types', () => {
  it('MessageType=UserAuthenticate: 410 Gone, as Apple documents for a server that declines user channels', async () => {
    const t = await mdmTest();
    const facts = MAC();
    const { client } = await t.enrolled(facts);
    const res = await client.checkin({ MessageType: 'UserAuthenticate', UDID: facts.udid, UserID: 'B2C3D4E5-0000-4000-8000-00000000BEEF' });
    assert.equal(res.status, 410);
    assert.match(res.body.toString(), /not supported/);
  });

  it('MessageType=SetBootstrapToken then GetBootstrapToken returns the escrowed token as data; an empty one deletes it', async () => {
    const t = await mdmTest();
    const facts = MAC();
    const { client } = await t.enrolled(facts);
    const token = Buffer.from('c2VjcmV0LWJvb3RzdHJhcC10b2tlbi0wMTIzNDU2Nzg5', 'base64');
    const set = await client.checkin({ MessageType: 'SetBootstrapToken', UDID: facts.udid, BootstrapToken: token, AwaitingConfiguration: false });
    assert.equal(set.status, 200);
    assert.equal(set.body.length, 0);
    const get = await client.checkin({ MessageType: 'GetBootstrapToken', UDID: facts.udid, AwaitingConfiguration: false });
    assert.equal(get.status, 200);
    assert.deepEqual(dataOf(parsePlistDict(get.body).BootstrapToken), token);
    await client.checkin({ MessageType: 'SetBootstrapToken', UDID: facts.udid, BootstrapToken: Buffer.alloc(0) });
    const again = await client.checkin({ MessageType: 'GetBootstrapToken', UDID: facts.udid });
    assert.deepEqual(parsePlistDict(again.body), {});
  });

  it('MessageType=DeclarativeManagement: 501 with a plain-text "not supported"', async () => {
    const t = await mdmTest();
    const facts = MAC();
    const { client } = await t.enrolled(facts);
    const res = await client.checkin({ MessageType: 'DeclarativeManagement', UDID: facts.udid, Endpoint: 'tokens' });
    assert.equal(res.status, 501);
    assert.equal(res.contentType, 'text/plain; charset=utf-8');
    assert.equal(res.body.toString(), 'declarative management is not supported by this server yet\n');
  });

  it('an unknown MessageType is a 400', async () => {
    const t = await mdmTest();
    const facts = MAC();
    const { client } = await t.enrolled(facts);
    const res = await client.checkin({ MessageType: 'SelfDestruct', UDID: facts.udid });
    assert.equal(res.status, 400);
    assert.equal(res.body.toString(), 'unknown MessageType SelfDestruct\n');
  });
});
