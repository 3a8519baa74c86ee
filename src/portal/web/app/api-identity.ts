// The admin API calls of how an organisation and its people join (issue 16): sign-up with review
// (the applicant's, the validation contact's and the first Administrator's links), invitations,
// federated sign-in, and Preferences' domains, federation and Apps and Books terms. Each is a
// documented operation of /api/v1 through the typed client (src/client/), as in api-pages.ts.
import { bearer, call, client, given, json } from './api.js';
import type { Organisation } from './api-pages.js';


/** The token a mailed link carries in its fragment (`/signup/validate#token=...`): never sent to the server by the browser. */
export const linkToken = (): string => new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';

// ---- sign-up with review ---------------------------------------------------------------------------
export interface ApplicationForm {
  legal_name: string; address: string; phone: string; website: string; duns_number: string; email: string;
  given_name: string; family_name: string; contact_name: string; contact_email: string;
}
export interface Application {
  id: string; state: 'submitted' | 'question' | 'approved' | 'rejected' | 'activating' | 'live';
  legal_name: string; email: string; question: string | null; answer: string | null; decision_reason: string | null;
  administrator_email: string | null; validation_contact: { name: string; email: string };
  steps: Array<{ at: string | null; actor: string; kind: string }>;
}
/** The form's fields under the names POST /signup takes (the applicant and the contact are objects). */
export const applicationBody = (f: ApplicationForm) => ({
  legal_name: given(f.legal_name), address: given(f.address), phone: given(f.phone), website: given(f.website), duns_number: given(f.duns_number), email: given(f.email),
  applicant: { given_name: given(f.given_name), family_name: given(f.family_name) },
  validation_contact: { name: given(f.contact_name), email: given(f.contact_email) },
});
export const apply = (f: ApplicationForm) => call(() => client.POST('/signup', { body: json(applicationBody(f)) }), true) as Promise<Application>;
export const application = (statusToken: string) => call(() => client.GET('/signup/application', bearer(statusToken)), true) as Promise<Application>;
export const answerQuestion = (statusToken: string, answer: string) =>
  call(() => client.POST('/signup/application/answer', { ...bearer(statusToken), body: json({ answer: given(answer) }) }), true) as Promise<Application>;
export type Validation = { decision: 'confirm' } | { decision: 'delegate'; administrator: { email: string; given_name: string; family_name: string } };
export const validateApplication = (token: string, v: Validation) => call(() => client.POST('/signup/validation', {
  body: json(v.decision === 'confirm' ? { token, decision: 'confirm' }
    : { token, decision: 'delegate', administrator: { email: given(v.administrator.email), given_name: given(v.administrator.given_name), family_name: given(v.administrator.family_name) } }),
}), true) as Promise<Application>;
export const activate = (token: string, password: string, acceptTerms: boolean) =>
  call(() => client.POST('/signup/activation', { body: json({ token, password: given(password), accept_terms: acceptTerms }) }), true) as Promise<{ organisation: Organisation; administrator: { email: string } }>;

// ---- invitations and federated sign-in ---------------------------------------------------------------
export const acceptInvitation = (token: string, password: string) =>
  call(() => client.POST('/invitations/accept', { body: json({ token, password: given(password) }) }), true) as Promise<{ account_id: string; email: string }>;
/** Where to send the browser to sign in through the organisation's identity provider. */
export const federatedSignIn = (by: { federation_id: string } | { email: string }) =>
  call(() => client.POST('/federation/sign-in', { body: json(by) }), true) as Promise<{ authorization_url: string }>;
/** Finishes a federated sign-in with the query the provider sent the browser back with (the session cookie is set). */
export const federationCallback = (query: string) =>
  call(() => client.POST('/federation/callback', { body: json({ query }) }), true) as Promise<{ email: string }>;

// ---- domains and federation (Preferences) ---------------------------------------------------------
export interface Domain { id: string; name: string; status: 'verified' | 'pending'; txt_record: { name: string; type: string; value: string }; verified_at: string | null; created_at: string | null }
export const domains = async () => ((await call(() => client.GET('/domains'))) as unknown as { items: Domain[] }).items;
export const addDomain = (name: string) => call(() => client.POST('/domains', { body: json({ name: given(name) }) })) as Promise<Domain>;
export const verifyDomain = (id: string) => call(() => client.POST('/domains/{id}/verify', { params: { path: { id } } })) as Promise<Domain>;
export const removeDomain = (id: string) => call(() => client.DELETE('/domains/{id}', { params: { path: { id } } })) as Promise<void>;

export interface Federation { id: string; domain_id: string; issuer: string; client_id: string; enabled: boolean; enabled_at: string | null; disabled_at: string | null; created_at: string | null; updated_at: string | null }
export const federations = async () => ((await call(() => client.GET('/federations'))) as unknown as { items: Federation[] }).items;
export const createFederation = (f: { domain_id: string; issuer: string; client_id: string; client_secret: string }) =>
  call(() => client.POST('/federations', { body: json({ domain_id: given(f.domain_id), issuer: given(f.issuer), client_id: given(f.client_id), client_secret: given(f.client_secret) }) })) as Promise<Federation>;
export interface Conflicts { managed_apple_ids: string[]; personal_apple_ids: string[]; claimed_by_another_organisation: boolean }
export const federationConflicts = (id: string) => call(() => client.GET('/federations/{id}/conflicts', { params: { path: { id } } })) as Promise<Conflicts>;
export const migrateFederation = (id: string) => call(() => client.POST('/federations/{id}/migrate', { params: { path: { id } } })) as Promise<{ migrated: number }>;
export const enableFederation = (id: string) => call(() => client.POST('/federations/{id}/enable', { params: { path: { id } } })) as Promise<Federation>;
export const disableFederation = (id: string) => call(() => client.POST('/federations/{id}/disable', { params: { path: { id } } })) as Promise<Federation>;
/** Replaces the client secret (the provider rotated it); sign-ins under way start again. */
export const rotateFederationSecret = (id: string, clientSecret: string) =>
  call(() => client.PATCH('/federations/{id}', { params: { path: { id } }, body: json({ client_secret: clientSecret }) })) as Promise<Federation>;

// ---- Apps and Books terms and billing ------------------------------------------------------------
export interface Billing { name: string; email: string; address: string; tax_id: string }
export const acceptContentTerms = () => call(() => client.POST('/organisation/content-terms')) as Promise<Organisation>;
export const setBilling = (b: Billing) =>
  call(() => client.PUT('/organisation/billing', { body: json({ name: given(b.name), email: given(b.email), address: given(b.address), tax_id: given(b.tax_id) }) })) as Promise<Organisation>;
