// The server operator's calls (issue 16): the review of sign-up applications and the publication
// of terms versions, under /api/v1/operator with the operator's token (<data dir>/operator-token)
// as the bearer, never the session cookie's organisation. The token lives in this tab's
// sessionStorage only: never a cookie, never localStorage; "forget" removes it.
import { bearer, call, client, given, json, pageOf, type Page } from './api.js';
import type { Application } from './api-identity.js';

const STORE_KEY = 'orchard.operatorToken';
function tabStorage(): Storage | undefined {
  try { return window.sessionStorage; } catch { return undefined; }
}
export const storedOperatorToken = (): string => tabStorage()?.getItem(STORE_KEY) ?? '';
export const keepOperatorToken = (token: string): void => tabStorage()?.setItem(STORE_KEY, token);
export const forgetOperatorToken = (): void => tabStorage()?.removeItem(STORE_KEY);


/** An application as the operator reads it: the applicant's view plus the details they filed. */
export interface ReviewedApplication extends Application {
  address: string; phone: string; website: string; duns_number: string;
  applicant: { given_name: string; family_name: string };
  organisation_id: string | null; created_at: string | null; updated_at: string | null;
  steps: Array<{ at: string | null; actor: string; kind: string; detail: Record<string, unknown> | null }>;
}
export type ApplicationState = Application['state'];
export const APPLICATION_STATES: ApplicationState[] = ['submitted', 'question', 'approved', 'rejected', 'activating', 'live'];

/** A page of applications, oldest first, in `state` when given (a 401 or 403 is the token's refusal, kept by the caller). */
export async function reviewList(token: string, q: { state?: string; limit: number; cursor?: string | null }): Promise<Page<ReviewedApplication>> {
  const query = { limit: q.limit, ...(q.state ? { state: q.state } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) };
  return pageOf<ReviewedApplication>(await call(() => client.GET('/operator/signup-applications', { ...bearer(token), params: { query } }), true), 'items');
}
const path = (id: string) => ({ params: { path: { id } } });
export const reviewed = (token: string, id: string) =>
  call(() => client.GET('/operator/signup-applications/{id}', { ...bearer(token), ...path(id) }), true) as Promise<ReviewedApplication>;
export const approveApplication = (token: string, id: string) =>
  call(() => client.POST('/operator/signup-applications/{id}/approve', { ...bearer(token), ...path(id) }), true) as Promise<ReviewedApplication>;
export const rejectApplication = (token: string, id: string, reason: string) =>
  call(() => client.POST('/operator/signup-applications/{id}/reject', { ...bearer(token), ...path(id), body: json({ reason: given(reason) }) }), true) as Promise<ReviewedApplication>;
export const askApplicant = (token: string, id: string, question: string) =>
  call(() => client.POST('/operator/signup-applications/{id}/question', { ...bearer(token), ...path(id), body: json({ question: given(question) }) }), true) as Promise<ReviewedApplication>;

export interface TermsVersion { version: number; published_at: string; summary: string }
export const currentTerms = (token: string) => call(() => client.GET('/operator/terms', bearer(token)), true) as Promise<TermsVersion>;
export const publishTerms = (token: string, summary: string) =>
  call(() => client.POST('/operator/terms', { ...bearer(token), body: json({ summary: given(summary) }) }), true) as Promise<TermsVersion>;
