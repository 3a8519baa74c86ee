// Issue 16: a new account without a password is invited by email (the outbox) with a one-time
// link; the person sets a password under the policy and signs in; replayed, superseded and
// expired links are refused and audited, changing nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { DAY_MS } from '../../../src/clock.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { latestMail, linkIn } from '../../support/outbox.js';

describe('admin API: invitations', () => {
  let t: TestOrchard;
  const admin = () => ({
    get: (p: string) => request(t.app).get(p).set('Authorization', `Bearer ${t.adminToken}`),
    post: (p: string, b?: object) => request(t.app).post(p).set('Authorization', `Bearer ${t.adminToken}`).send(b),
  });
  const tokenOf = (link: URL) => new URLSearchParams(link.hash.slice(1)).get('token')!;
  const accept = (token: string, password: string) => request(t.app).post('/api/v1/invitations/accept').send({ token, password });
  const signIn = (email: string, password: string) => request(t.app).post('/api/v1/session').send({ email, password });
  const auditOf = async (reason: string) => ((await admin().get('/api/v1/audit?limit=200')).body.items as Array<{ action: string; outcome: string; detail: { reason?: string } | null }>)
    .filter((e) => e.action === 'invitation_accept' && e.outcome === 'denied' && e.detail?.reason === reason);

  before(async () => {
    t = await buildTestOrchard();
  });

  it('takes a new account from the invitation email to its first sign-in', async () => {
    const made = await admin().post('/api/v1/accounts', { email: 'grace.hopper@demo.orchard.test', given_name: 'Grace', family_name: 'Hopper', contact_email: 'grace@home.example', roles: ['DeviceManager'] });
    assert.equal(made.status, 201);
    assert.equal(made.body.contact_email, 'grace@home.example');
    // Before accepting, the account cannot sign in.
    assert.equal((await signIn('grace.hopper@demo.orchard.test', 'a long passphrase 1')).status, 401);

    const mail = await latestMail(t.deps, 'grace@home.example', 'invitation');
    assert.match(mail.subject, /Orchard Demo Company/);
    assert.match(mail.body, /grace\.hopper@demo\.orchard\.test/);
    assert.match(mail.body, /expires in 7 days/);
    const link = linkIn(mail, /\/portal\/invitation#token=/);
    assert.equal(link.origin + link.pathname, `${t.deps.config.baseUrl}/portal/invitation`);
    const token = tokenOf(link);
    // The .eml file is in the data dir's outbox.
    assert.ok(fs.readdirSync(path.join(t.dataDir, 'outbox')).some((f) => f.endsWith(`${mail.id}.eml`)));
    // Only the token's hash is stored.
    assert.equal(JSON.stringify(t.db.prepare('SELECT * FROM invitations').all()).includes(token), false);

    // The password policy applies, and a refused password leaves the link usable.
    const weak = await accept(token, 'password123');
    assert.deepEqual([weak.status, weak.body.error.code], [400, 'password_invalid']);
    const ok = await accept(token, 'a long passphrase 1');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { account_id: made.body.id, email: 'grace.hopper@demo.orchard.test' });
    const session = await signIn('grace.hopper@demo.orchard.test', 'a long passphrase 1');
    assert.equal(session.status, 200);
    assert.deepEqual(session.body.roles, ['DeviceManager']);

    // Replayed: refused, audited, and the password stays.
    const replay = await accept(token, 'another passphrase 2');
    assert.deepEqual([replay.status, replay.body.error.code], [409, 'invitation_used']);
    assert.equal((await auditOf('used')).length, 1);
    assert.equal((await signIn('grace.hopper@demo.orchard.test', 'another passphrase 2')).status, 401);
    // A resend after the password is set is refused.
    const again = await admin().post(`/api/v1/accounts/${made.body.id}/invitation`);
    assert.deepEqual([again.status, again.body.error.code], [409, 'account_has_password']);
  });

  it('resends an invitation: the old link dies, the new one works', async () => {
    const made = await admin().post('/api/v1/accounts', { email: 'alan@demo.orchard.test', roles: ['Staff'] });
    const first = tokenOf(linkIn(await latestMail(t.deps, 'alan@demo.orchard.test', 'invitation')));
    const resent = await admin().post(`/api/v1/accounts/${made.body.id}/invitation`);
    assert.equal(resent.status, 200);
    assert.equal(resent.body.account_id, made.body.id);
    assert.equal(new Date(resent.body.expires_at).getTime() - new Date(resent.body.created_at).getTime(), 7 * DAY_MS);
    const second = tokenOf(linkIn(await latestMail(t.deps, 'alan@demo.orchard.test', 'invitation')));
    assert.notEqual(first, second);
    const old = await accept(first, 'a long passphrase 3');
    assert.deepEqual([old.status, old.body.error.code], [409, 'invitation_revoked']);
    assert.equal((await auditOf('revoked')).length, 1);
    assert.equal((await accept(second, 'a long passphrase 3')).status, 200);
  });

  it('refuses an expired link and an unknown one, audited, changing nothing', async () => {
    await admin().post('/api/v1/accounts', { email: 'ada.late@demo.orchard.test', roles: ['Staff'] });
    const token = tokenOf(linkIn(await latestMail(t.deps, 'ada.late@demo.orchard.test', 'invitation')));
    t.clock.advance(7 * DAY_MS + 1);
    const expired = await accept(token, 'a long passphrase 4');
    assert.deepEqual([expired.status, expired.body.error.code], [409, 'invitation_expired']);
    assert.equal((await auditOf('expired')).length, 1);
    assert.equal((await signIn('ada.late@demo.orchard.test', 'a long passphrase 4')).status, 401);
    const unknown = await accept('not-a-real-token', 'a long passphrase 4');
    assert.deepEqual([unknown.status, unknown.body.error.code], [400, 'invitation_invalid']);
    // A token that names no account belongs to no organisation: audited server-wide.
    const serverWide = t.db.prepare("SELECT org_id, outcome, detail FROM audit_log WHERE action = 'invitation_accept' AND org_id IS NULL").all() as Array<{ outcome: string; detail: string }>;
    assert.deepEqual(serverWide.map((e) => [e.outcome, JSON.parse(e.detail).reason]), [['denied', 'unknown']]);
    const malformed = await request(t.app).post('/api/v1/invitations/accept').send({ token: 5, password: 'x' });
    assert.equal(malformed.status, 400);
  });

  it('lets only account managers resend, within their organisation', async () => {
    const made = await admin().post('/api/v1/accounts', { email: 'kept@demo.orchard.test', roles: ['Staff'] });
    const staff = await t.tokenFor(['Staff']);
    assert.equal((await request(t.app).post(`/api/v1/accounts/${made.body.id}/invitation`).set('Authorization', `Bearer ${staff}`)).status, 403);
    const other = await t.otherOrg();
    assert.equal((await request(t.app).post(`/api/v1/accounts/${made.body.id}/invitation`).set('Authorization', `Bearer ${other.token}`)).status, 404);
  });
});
