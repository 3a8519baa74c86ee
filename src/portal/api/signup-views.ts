// JSON shapes of sign-up applications (issue 16): what the applicant and the operator both see.
import type { Application, ApplicationEvent } from '../../store/signup-applications.js';

const iso = (d?: Date) => (d ? d.toISOString() : null);

export const applicationView = (a: Application, events: ApplicationEvent[]) => ({
  id: a.id, state: a.state, legal_name: a.legalName, address: a.address, phone: a.phone, website: a.website, duns_number: a.duns,
  email: a.email, applicant: { given_name: a.applicantGivenName, family_name: a.applicantFamilyName },
  validation_contact: { name: a.contactName, email: a.contactEmail },
  question: a.state === 'question' ? a.question ?? null : null, answer: a.answer ?? null, decision_reason: a.decisionReason ?? null,
  administrator_email: a.adminEmail ?? null, organisation_id: a.organisationId ?? null,
  created_at: iso(a.createdAt), updated_at: iso(a.updatedAt),
  steps: events.map((e) => ({ at: iso(e.at), actor: e.actor, kind: e.kind, detail: e.detail ?? null })),
});

/** An opaque cursor: the last application of the page (created_at, id). */
export const encodeCursor = (a: Application) => Buffer.from(JSON.stringify([a.createdAt.toISOString(), a.id])).toString('base64url');
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}
