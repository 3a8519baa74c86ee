// The documented operations of sign-up with review (issue 16): the applicant's public routes, the
// one-time links of the validation contact and the first Administrator, the operator's review and
// terms versions, and the Apps and Books terms and billing (src/portal/api/routes/signup.ts, org-terms.ts).
import { body, id, limit, q, type Operation } from '../operation.js';
import { closed, ref, s } from '../schemas.js';

const { str, nstr, ntime } = s;

const application = closed({
  id: str, state: { type: 'string', enum: ['submitted', 'question', 'approved', 'rejected', 'activating', 'live'] },
  legal_name: str, address: str, phone: str, website: str, duns_number: str, email: str,
  applicant: closed({ given_name: str, family_name: str }), validation_contact: closed({ name: str, email: str }),
  question: nstr, answer: nstr, decision_reason: nstr, administrator_email: nstr, organisation_id: nstr,
  created_at: ntime, updated_at: ntime,
  steps: { type: 'array', items: closed({ at: ntime, actor: str, kind: str, detail: s.nullable(s.anyObject) }) },
});
const terms = closed({ version: s.int, published_at: s.time, summary: str });
const TAG = 'Sign-up and sessions';
const OP_TAG = 'Operator';
const appExample = {
  legal_name: 'Pear Logistics Ltd', address: '5 Dock Road, London E16 1AA, GB', phone: '+44 20 7946 0100', website: 'https://pear-logistics.test',
  duns_number: '300011223', email: 'it@pear-logistics.test', applicant: { given_name: 'Paula', family_name: 'Pear' },
  validation_contact: { name: 'Victor Verger', email: 'cfo@pear-logistics.test' },
};

export const SIGNUP_OPERATIONS: Operation[] = [
  {
    method: 'post', path: '/signup', operationId: 'applyForSignUp', tag: TAG, access: 'public', status: 201,
    summary: 'Apply to enrol an organisation (reviewed before it exists)',
    description: 'Breaking change: this no longer creates a live organisation. The application is checked (a business email, not a free-mail domain; the D-U-N-S number, legal name and address as in the directory, each mismatch pointed at) and waits for the operator\'s review. The applicant is emailed a status link (`…/signup/status#token=orch_sa_…`) to follow it and answer questions. `Location` names the applicant\'s view.',
    body: body({
      legal_name: str, address: str, phone: str, website: { type: 'string', description: 'https://…' },
      duns_number: { type: 'string', description: 'nine digits, as in the D-U-N-S directory' }, email: { type: 'string', description: "the applicant's business email" },
      applicant: body({ given_name: str, family_name: str }, ['given_name', 'family_name']),
      validation_contact: body({ name: str, email: str }, ['name', 'email']),
    }, ['legal_name', 'address', 'phone', 'website', 'duns_number', 'email', 'applicant', 'validation_contact']),
    bodyRequired: true, response: application, headers: { Location: '/api/v1/signup/application' }, errors: [409],
    example: { request: appExample },
  },
  {
    method: 'get', path: '/signup/application', operationId: 'getMyApplication', tag: TAG, access: 'public', status: 200,
    summary: "The applicant's view of their application", description: 'Send the status token of the mail as `Authorization: Bearer orch_sa_…`. Every step is listed, with the open question if any.',
    response: application, errors: [401],
  },
  {
    method: 'post', path: '/signup/application/answer', operationId: 'answerApplicationQuestion', tag: TAG, access: 'public', status: 200,
    summary: "Answer the reviewer's question", description: 'With the status token as `Authorization: Bearer orch_sa_…`; the application returns to review. 409 when no question is open.',
    body: body({ answer: str }, ['answer']), bodyRequired: true, response: application, errors: [401, 409],
    example: { request: { answer: 'Our registered office moved in March; the directory has the new address.' } },
  },
  {
    method: 'post', path: '/signup/validation', operationId: 'validateApplication', tag: TAG, access: 'public', status: 200,
    summary: 'The validation contact confirms the first Administrator, or delegates',
    description: 'With the one-time token of the validation mail (valid 7 days). `confirm`: the applicant becomes the first Administrator; `delegate`: the person named. A used, superseded or expired token answers 401 `link_invalid` and is audited.',
    body: body({ token: str, decision: { type: 'string', enum: ['confirm', 'delegate'] }, administrator: body({ email: str, given_name: str, family_name: str }) }, ['token', 'decision']),
    bodyRequired: true, response: application, errors: [401],
    example: { request: { token: 'orch_sl_…', decision: 'confirm' } },
  },
  {
    method: 'post', path: '/signup/activation', operationId: 'activateOrganisation', tag: TAG, access: 'public', status: 201,
    summary: 'The first Administrator creates their Managed Apple ID and accepts the terms: the organisation is live',
    description: 'With the one-time token of the activation mail (valid 7 days). The password follows the password policy. The organisation, its Administrator and an API token (shown once) are created together; its built-in MDM server is provisioned.',
    body: body({ token: str, password: str, accept_terms: { type: 'boolean', description: 'must be true' } }, ['token', 'password', 'accept_terms']),
    bodyRequired: true, response: closed({ organisation: ref('Organisation'), administrator: ref('Account'), api_token: { type: 'string', description: 'shown once' } }),
    headers: { Location: '/api/v1/organisation' }, errors: [401, 409],
    example: { request: { token: 'orch_sl_…', password: 'pear trees in bloom', accept_terms: true } },
  },
  {
    method: 'get', path: '/operator/signup-applications', operationId: 'listSignupApplications', tag: OP_TAG, access: 'operator', status: 200,
    summary: 'Applications to review, oldest first',
    query: { state: q(str, 'submitted, question, approved, rejected, activating or live'), limit: limit(100, 1000), cursor: q(str, 'next_cursor of the previous page') },
    response: closed({ items: { type: 'array', items: application }, next_cursor: nstr }),
  },
  { method: 'get', path: '/operator/signup-applications/{id}', operationId: 'getSignupApplication', tag: OP_TAG, access: 'operator', path_params: id('application id'), status: 200, summary: 'One application with its steps', response: application },
  {
    method: 'post', path: '/operator/signup-applications/{id}/approve', operationId: 'approveSignupApplication', tag: OP_TAG, access: 'operator', path_params: id('application id'), status: 200,
    summary: 'Approve: the validation contact is emailed a one-time link', response: application, errors: [409],
  },
  {
    method: 'post', path: '/operator/signup-applications/{id}/reject', operationId: 'rejectSignupApplication', tag: OP_TAG, access: 'operator', path_params: id('application id'), status: 200,
    summary: 'Reject, saying why (the applicant is emailed)', body: body({ reason: str }, ['reason']), bodyRequired: true, response: application, errors: [409],
    example: { request: { reason: 'The organisation is not a legal entity.' } },
  },
  {
    method: 'post', path: '/operator/signup-applications/{id}/question', operationId: 'askSignupApplicant', tag: OP_TAG, access: 'operator', path_params: id('application id'), status: 200,
    summary: 'Ask the applicant a question (they answer through their status link)', body: body({ question: str }, ['question']), bodyRequired: true, response: application, errors: [409],
    example: { request: { question: 'Is 5 Dock Road your registered office?' } },
  },
  { method: 'get', path: '/operator/terms', operationId: 'getCurrentTerms', tag: OP_TAG, access: 'operator', status: 200, summary: 'The terms version organisations must accept', response: terms },
  {
    method: 'post', path: '/operator/terms', operationId: 'publishTerms', tag: OP_TAG, access: 'operator', status: 201,
    summary: 'Publish a new terms version', description: 'Every organisation must accept it again (an Administrator, POST /organisation/terms); until then its writes answer 403 `terms_not_accepted`, the DEP API `T_C_NOT_SIGNED` and the Apps and Books API 9601.',
    body: body({ summary: str }, ['summary']), bodyRequired: true, response: terms, headers: { Location: '/api/v1/operator/terms' },
    example: { request: { summary: 'Updated software licence agreement for the new OS releases' } },
  },
  {
    method: 'post', path: '/organisation/content-terms', operationId: 'acceptContentTerms', tag: 'Organisation', access: { permission: 'terms.accept' }, status: 200,
    summary: 'Accept the Apps and Books terms (before the first purchase)', response: ref('Organisation'),
  },
  {
    method: 'put', path: '/organisation/billing', operationId: 'setBilling', tag: 'Organisation', access: { permission: 'org.manage' }, status: 200,
    summary: 'Set the billing information purchases are invoiced to (before the first purchase)',
    body: body({ name: str, email: str, address: str, tax_id: str }, ['name', 'email', 'address']), bodyRequired: true, response: ref('Organisation'),
    example: { request: { name: 'Pear Logistics Ltd', email: 'accounts@pear-logistics.test', address: '5 Dock Road, London E16 1AA, GB' } },
  },
];
