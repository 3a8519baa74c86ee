import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildTestOrchard } from '../../support/harness.js';
import { latestMail, linkIn } from '../../support/outbox.js';

describe('outbox', () => {
  it('records a mail as a row and a 0600 .eml file in <data dir>/outbox, composed as RFC 5322', async () => {
    const t = await buildTestOrchard();
    const link = 'https://orchard.example/signup/status?token=abc_DEF-123';
    const sent = await t.deps.services.outbox.send({
      to: 'Ada@Example.com', subject: 'Your application', kind: 'signup_status', organisation_id: t.orgId,
      text: `Héllo Ada,\n\nFollow your application here: ${link}\n`, html: `<p>Follow <a href="${link}">your application</a></p>`,
    });
    const dir = path.join(t.dataDir, 'outbox');
    const files = fs.readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, new RegExp(`${sent.id}\\.eml$`));
    assert.equal(fs.statSync(path.join(dir, files[0]!)).mode & 0o777, 0o600);
    const eml = fs.readFileSync(path.join(dir, files[0]!), 'utf8');
    assert.equal(eml, sent.eml);
    assert.match(eml, /^To: ada@example\.com$/m);
    assert.match(eml, /^Subject: Your application$/m);
    assert.match(eml, /^From: Orchard <no-reply@localhost>$/m);
    assert.match(eml, /^Message-ID: </m);
    assert.match(eml, /^X-Orchard-Kind: signup_status$/m);
    assert.match(eml, /multipart\/alternative/);

    const read = await latestMail(t.deps, 'ADA@example.com', 'signup_status');
    assert.equal(read.id, sent.id);
    assert.equal(read.organisationId, t.orgId);
    assert.match(read.body, /^Héllo Ada,/);
    assert.equal(linkIn(read, /signup\/status/).searchParams.get('token'), 'abc_DEF-123');
  });

  it('refuses a malformed address and writes nothing', async () => {
    const t = await buildTestOrchard();
    await assert.rejects(t.deps.services.outbox.send({ to: 'not an address', subject: 's', text: 't', kind: 'x' }), { code: 'email_invalid' });
    assert.equal((await t.deps.store.outbox.list()).length, 0);
    assert.equal(fs.existsSync(path.join(t.dataDir, 'outbox')), false);
  });

  it('answers the newest mail to an address', async () => {
    const t = await buildTestOrchard();
    await t.deps.services.outbox.send({ to: 'b@example.com', subject: 'first', text: 'one', kind: 'k' });
    t.clock.advance(1000);
    await t.deps.services.outbox.send({ to: 'b@example.com', subject: 'second', text: 'two', kind: 'k' });
    assert.equal((await latestMail(t.deps, 'b@example.com')).subject, 'second');
    await assert.rejects(latestMail(t.deps, 'nobody@example.com'), /no mail to nobody@example.com/);
  });
});
