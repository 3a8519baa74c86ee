// Driving sign-up with review through the wire (issue 16): apply, the operator approves, the
// validation contact confirms, the first Administrator activates; each token read from the outbox.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { TestOrchard } from './harness.js';
import { latestMail, linkIn } from './outbox.js';

export const PEAR = {
  legal_name: 'Pear Logistics Ltd', address: '5 Orchard Lane, London EC1A 1BB, GB', phone: '+44 20 5550 1400', website: 'https://pear-logistics.test',
  duns_number: '300011223', email: 'paula@pear-logistics.test', applicant: { given_name: 'Paula', family_name: 'Pear' },
  validation_contact: { name: 'Victor Verger', email: 'victor@pear-logistics.test' },
};

/** The token in the fragment of the newest link of `kind` to `to`. */
export async function tokenMailed(t: TestOrchard, to: string, kind: string, path: RegExp): Promise<string> {
  const link = linkIn(await latestMail(t.deps, to, kind), path);
  return new URLSearchParams(link.hash.slice(1)).get('token')!;
}

export const asOperator = (t: TestOrchard, r: request.Test) => r.set('Authorization', `Bearer ${t.operatorToken}`);

/** A whole sign-up; answers the new organisation's id and its Administrator's API token. */
export async function signUpThroughReview(t: TestOrchard, application = PEAR, password = 'pear trees in bloom'): Promise<{ orgId: string; token: string; applicationId: string }> {
  const applied = await request(t.app).post('/api/v1/signup').send(application);
  assert.equal(applied.status, 201, JSON.stringify(applied.body));
  await asOperator(t, request(t.app).post(`/api/v1/operator/signup-applications/${applied.body.id}/approve`)).expect(200);
  const validation = await tokenMailed(t, application.validation_contact.email, 'signup_validation', /\/signup\/validate/);
  await request(t.app).post('/api/v1/signup/validation').send({ token: validation, decision: 'confirm' }).expect(200);
  const activation = await tokenMailed(t, application.email, 'signup_activation', /\/signup\/activate/);
  const live = await request(t.app).post('/api/v1/signup/activation').send({ token: activation, password, accept_terms: true });
  assert.equal(live.status, 201, JSON.stringify(live.body));
  return { orgId: live.body.organisation.id, token: live.body.api_token, applicationId: applied.body.id };
}
