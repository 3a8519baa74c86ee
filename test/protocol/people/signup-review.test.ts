import assert from 'node:assert/strict';
import request from 'supertest';
import { ensureBuiltinMdm } from '../../../src/business/enrollment/builtin-mdm.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { latestMail } from '../../support/outbox.js';
import { asOperator, PEAR, signUpThroughReview, tokenMailed } from '../../support/signup.js';
import { storeSnapshot } from '../../support/store-snapshot.js';

const DAY = 24 * 3600 * 1000;

describe('sign-up with review (issue 16)', function () {
  this.timeout(120_000);
  let t: TestOrchard;
  beforeEach(async () => {
    t = await buildTestOrchard();
    t.deps.services.provideBuiltinMdm((orgId) => ensureBuiltinMdm(t.deps, orgId));
  });

  it('goes from application through a question and its answer, approval, confirmation and activation to a live organisation with an Administrator who accepted the terms', async () => {
    const applied = await request(t.app).post('/api/v1/signup').send(PEAR);
    assert.equal(applied.status, 201);
    assert.equal(applied.headers.location, '/api/v1/signup/application');
    assert.equal(applied.body.state, 'submitted');
    assert.equal(applied.body.organisation_id, null);
    assert.equal(await t.deps.store.organisations.getByDuns('300011223'), undefined, 'no organisation before review');
    const statusToken = await tokenMailed(t, PEAR.email, 'signup_status', /\/signup\/status/);
    const mine = () => request(t.app).get('/api/v1/signup/application').set('Authorization', `Bearer ${statusToken}`);
    assert.equal((await mine()).body.state, 'submitted');

    // The operator sees it and asks a question; the applicant is emailed and answers.
    const listed = await asOperator(t, request(t.app).get('/api/v1/operator/signup-applications?state=submitted')).expect(200);
    assert.deepEqual(listed.body.items.map((a: any) => a.id), [applied.body.id]);
    assert.equal(listed.body.next_cursor, null);
    const asked = await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/question`)).send({ question: 'Is 5 Orchard Lane your registered office?' });
    assert.equal(asked.body.state, 'question');
    assert.match((await latestMail(t.deps, PEAR.email, 'signup_status')).body, /Is 5 Orchard Lane your registered office\?/);
    assert.equal((await mine()).body.question, 'Is 5 Orchard Lane your registered office?');
    // Approval waits for the answer.
    const early = await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/approve`));
    assert.deepEqual([early.status, early.body.error.code], [409, 'not_under_review']);
    const answered = await request(t.app).post('/api/v1/signup/application/answer').set('Authorization', `Bearer ${statusToken}`).send({ answer: 'Yes, since 2019.' });
    assert.deepEqual([answered.status, answered.body.state, answered.body.answer], [200, 'submitted', 'Yes, since 2019.']);
    const again = await request(t.app).post('/api/v1/signup/application/answer').set('Authorization', `Bearer ${statusToken}`).send({ answer: 'twice' });
    assert.deepEqual([again.status, again.body.error.code], [409, 'no_open_question']);

    // Approved: the validation contact is emailed; they confirm the applicant.
    const approved = await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/approve`)).expect(200);
    assert.equal(approved.body.state, 'approved');
    const validation = await tokenMailed(t, PEAR.validation_contact.email, 'signup_validation', /\/signup\/validate/);
    const confirmed = await request(t.app).post('/api/v1/signup/validation').send({ token: validation, decision: 'confirm' });
    assert.deepEqual([confirmed.status, confirmed.body.state, confirmed.body.administrator_email], [200, 'activating', PEAR.email]);
    // The link was for one use.
    const replay = await request(t.app).post('/api/v1/signup/validation').send({ token: validation, decision: 'confirm' });
    assert.deepEqual([replay.status, replay.body.error.code], [401, 'link_invalid']);

    // The Administrator: the password policy applies, the terms must be accepted, then live.
    const activation = await tokenMailed(t, PEAR.email, 'signup_activation', /\/signup\/activate/);
    const before = storeSnapshot(t.db);
    const weak = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'password123', accept_terms: true });
    assert.deepEqual([weak.status, weak.body.error.code, weak.body.error.details.rule], [400, 'password_invalid', 'common']);
    const noTerms = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'pear trees in bloom', accept_terms: false });
    assert.deepEqual([noTerms.status, noTerms.body.error.details.errors[0].pointer], [400, '/body/accept_terms']);
    assert.deepEqual(storeSnapshot(t.db), before, 'a refused activation changes nothing');
    const live = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'pear trees in bloom', accept_terms: true });
    assert.equal(live.status, 201);
    assert.equal(live.body.organisation.name, 'Pear Logistics Ltd');
    assert.equal(live.body.organisation.terms.accepted, true);
    assert.deepEqual(live.body.administrator.roles, ['Administrator']);
    const org = await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${live.body.api_token}`).expect(200);
    assert.equal(org.body.id, live.body.organisation.id);
    // Signs in with the Managed Apple ID and the password just set.
    await request(t.app).post('/api/v1/session').send({ email: PEAR.email, password: 'pear trees in bloom' }).expect(200);
    // The built-in MDM server is provisioned on go-live (issue 17 finding 11), as `serve` wires it.
    assert.ok(await t.deps.store.builtinMdm.find(live.body.organisation.id), 'the built-in MDM server exists');
    // Both see every step.
    const seen = (await mine()).body;
    assert.equal(seen.state, 'live');
    assert.deepEqual(seen.steps.map((s: any) => `${s.actor}:${s.kind}`), [
      'applicant:submitted', 'operator:question', 'applicant:answered', 'operator:approved', 'validation_contact:confirmed', 'administrator:activated',
    ]);
    const operatorView = await asOperator(t, request(t.app).get(`/api/v1/operator/signup-applications/${applied.body.id}`)).expect(200);
    assert.deepEqual(operatorView.body.steps, seen.steps);
    const replayed = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'pear trees in bloom', accept_terms: true });
    assert.deepEqual([replayed.status, replayed.body.error.code], [401, 'link_invalid']);
  });

  it('a validation contact can delegate: the person named creates the Managed Apple ID', async () => {
    const applied = await request(t.app).post('/api/v1/signup').send(PEAR).expect(201);
    await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/approve`)).expect(200);
    const validation = await tokenMailed(t, PEAR.validation_contact.email, 'signup_validation', /\/signup\/validate/);
    const delegated = await request(t.app).post('/api/v1/signup/validation')
      .send({ token: validation, decision: 'delegate', administrator: { email: 'it-lead@pear-logistics.test', given_name: 'Ivy', family_name: 'Lead' } });
    assert.deepEqual([delegated.status, delegated.body.administrator_email], [200, 'it-lead@pear-logistics.test']);
    const activation = await tokenMailed(t, 'it-lead@pear-logistics.test', 'signup_activation', /\/signup\/activate/);
    const live = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password: 'ivy climbs the wall', accept_terms: true });
    assert.equal(live.status, 201);
    assert.equal(live.body.administrator.email, 'it-lead@pear-logistics.test');
  });

  it('refuses an expired link and audits it; rejection tells the applicant why', async () => {
    const applied = await request(t.app).post('/api/v1/signup').send(PEAR).expect(201);
    await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/approve`)).expect(200);
    const validation = await tokenMailed(t, PEAR.validation_contact.email, 'signup_validation', /\/signup\/validate/);
    t.clock.advance(8 * DAY);
    const before = storeSnapshot(t.db);
    const late = await request(t.app).post('/api/v1/signup/validation').send({ token: validation, decision: 'confirm' });
    assert.deepEqual([late.status, late.body.error.code, late.body.error.message], [401, 'link_invalid', 'this link cannot be used: expired']);
    assert.deepEqual(storeSnapshot(t.db), before, 'the refusal changes nothing');
    const audit = t.db.prepare("SELECT action, outcome, target, detail FROM audit_log WHERE action = 'signup.validation_link_refused'").all() as any[];
    assert.deepEqual(audit.map((a) => [a.outcome, a.target, JSON.parse(a.detail).reason]), [['denied', applied.body.id, 'expired']]);
    assert.equal((await t.deps.store.signupApplications.get(applied.body.id))!.state, 'approved');

    const other = await request(t.app).post('/api/v1/signup').send({ ...PEAR, legal_name: 'Pomme Industries SAS', duns_number: '210077665', address: '12 rue des Vergers, 75002 Paris, FR', email: 'pdg@pomme.test', validation_contact: { name: 'V', email: 'v@pomme.test' } }).expect(201);
    const rejected = await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${other.body.id}/reject`)).send({ reason: 'Not a legal entity.' });
    assert.deepEqual([rejected.body.state, rejected.body.decision_reason], ['rejected', 'Not a legal entity.']);
    assert.match((await latestMail(t.deps, 'pdg@pomme.test', 'signup_status')).body, /declined:\s+Not a legal entity\./);
  });

  it('refuses a free-mail business email with its pointer, changing nothing', async () => {
    for (const email of ['pomme@gmail.com', 'a@hotmail.fr', 'b@icloud.com', 'c@free.fr', 'd@orange.fr', 'e@laposte.net', 'f@gmx.de', 'g@proton.me', 'h@mail.yahoo.com']) {
      const before = storeSnapshot(t.db);
      const res = await request(t.app).post('/api/v1/signup').send({ ...PEAR, email });
      assert.equal(res.status, 400, email);
      assert.equal(res.body.error.code, 'free_mail_domain', email);
      assert.deepEqual(res.body.error.details.errors.map((e: any) => e.pointer), ['/body/email'], email);
      assert.deepEqual(storeSnapshot(t.db), before, email);
    }
  });

  it('says which of number, legal name or address differs from the D-U-N-S directory, one pointer each', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ duns_number: '999999999' }, ['/body/duns_number']],
      [{ legal_name: 'Pear Logistics' }, ['/body/legal_name']],
      [{ address: '6 Orchard Lane, London EC1A 1BB, GB' }, ['/body/address']],
      [{ legal_name: 'Pear Logistics', address: '6 Orchard Lane' }, ['/body/legal_name', '/body/address']],
    ];
    for (const [change, pointers] of cases) {
      const before = storeSnapshot(t.db);
      const res = await request(t.app).post('/api/v1/signup').send({ ...PEAR, ...change });
      assert.deepEqual([res.status, res.body.error.code], [400, 'duns_mismatch'], JSON.stringify(change));
      assert.deepEqual(res.body.error.details.errors.map((e: any) => e.pointer), pointers, JSON.stringify(change));
      assert.deepEqual(storeSnapshot(t.db), before);
    }
    // Case, punctuation and spacing do not count.
    const ok = await request(t.app).post('/api/v1/signup').send({ ...PEAR, legal_name: 'PEAR LOGISTICS LTD', address: '5 orchard lane london ec1a 1bb gb' });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.legal_name, 'Pear Logistics Ltd');
    const twice = await request(t.app).post('/api/v1/signup').send(PEAR);
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'application_exists']);
    const enrolled = await request(t.app).post('/api/v1/signup').send({ ...PEAR, legal_name: 'Orchard Demo Company', duns_number: '080012345', address: '1 Infinite Loop, Cupertino, CA 95014, US' });
    assert.deepEqual([enrolled.status, enrolled.body.error.code], [409, 'organisation_exists']);
  });

  it("the operator's routes refuse an organisation's Administrator; the applicant's status link refuses a wrong token", async () => {
    const res = await request(t.app).get('/api/v1/operator/signup-applications').set('Authorization', `Bearer ${t.adminToken}`);
    assert.deepEqual([res.status, res.body.error.code], [403, 'operator_only']);
    const wrong = await request(t.app).get('/api/v1/signup/application').set('Authorization', 'Bearer orch_sa_0000');
    assert.deepEqual([wrong.status, wrong.body.error.code], [401, 'status_link_invalid']);
  });

  it('pages the operator list with an opaque cursor', async () => {
    await signUpThroughReview(t);
    await request(t.app).post('/api/v1/signup').send({ ...PEAR, legal_name: 'Pomme Industries SAS', duns_number: '210077665', address: '12 rue des Vergers, 75002 Paris, FR', email: 'pdg@pomme.test', validation_contact: { name: 'V', email: 'v@pomme.test' } }).expect(201);
    const first = await asOperator(t, request(t.app).get('/api/v1/operator/signup-applications?limit=1')).expect(200);
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.items[0].state, 'live');
    const second = await asOperator(t, request(t.app).get(`/api/v1/operator/signup-applications?limit=1&cursor=${first.body.next_cursor}`)).expect(200);
    assert.deepEqual([second.body.items[0].legal_name, second.body.next_cursor], ['Pomme Industries SAS', null]);
  });
});
