// Sign-up with review (issue 16), as Apple Business Manager enrols an organisation:
//   submitted ⇄ question (the operator asks, the applicant answers through the status link)
//   submitted → rejected | approved (the validation contact is emailed a one-time link)
//   approved → activating (the contact confirms the applicant or delegates to someone else, who
//   is emailed a one-time link) → live (that person creates their Managed Apple ID under the
//   password policy and accepts the terms; only then does the organisation exist).
// Every step is one transaction of the store (state, event, mails); every mail goes through the
// outbox; a replayed, superseded or expired link changes nothing and is audited.
import type { Clock, Ids } from '../clock.js';
import type { Store } from '../store/index.js';
import type { Organisation } from '../store/organisations.js';
import type { Account } from '../store/accounts.js';
import type { Application, ApplicationEvent, ApplicationState, ApplicationPatch } from '../store/signup-applications.js';
import type { OutboxMail } from '../store/outbox.js';
import { tokenHash, type AccountService } from './accounts.js';
import type { AuditService } from './audit.js';
import { conflict, DomainError, notFound } from './errors.js';
import type { OrganisationService, DunsEntry } from './organisations.js';
import type { Outbox } from './outbox.js';
import { acceptablePassword } from './password-policy.js';
import { checkDuns, fieldErrors, isFreeMail, type FieldProblem } from './signup-rules.js';
import { isXmlText } from './text.js';

/** How long the applicant's status link works, and each one-time link. */
export const STATUS_LINK_DAYS = 90;
export const ONE_TIME_LINK_DAYS = 7;
const DAY = 24 * 3600 * 1000;

export const STATUS_TOKEN_PREFIX = 'orch_sa_';
export const LINK_TOKEN_PREFIX = 'orch_sl_';


export interface ApplicationInput {
  legal_name?: unknown; address?: unknown; phone?: unknown; website?: unknown; duns_number?: unknown; email?: unknown;
  applicant?: { given_name?: unknown; family_name?: unknown };
  validation_contact?: { name?: unknown; email?: unknown };
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** Checks one text field into `errors` (pointer under /body); answers the trimmed value. */
function text(errors: FieldProblem[], pointer: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || !value.trim()) {
    errors.push({ pointer, problem: 'required', expected: 'a non-empty string' });
    return '';
  }
  if ([...value].length > max || !isXmlText(value)) errors.push({ pointer, problem: `must be at most ${max} characters of text`, expected: 'text' });
  return value.trim();
}
function email(errors: FieldProblem[], pointer: string, value: unknown): string {
  const v = text(errors, pointer, value, 254).toLowerCase();
  if (v && !EMAIL.test(v)) errors.push({ pointer, problem: 'not an email address', expected: 'name@domain' });
  return v;
}

export class SignupService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly outbox: Outbox,
    private readonly organisations: OrganisationService,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
    private readonly dunsDirectory: DunsEntry[],
    /** Where links in mails point (the public base URL). */
    private readonly baseUrl: string,
    /** Gives a live organisation Orchard's built-in MDM server (set by the composition root). */
    private readonly provisionBuiltinMdm: () => ((orgId: string) => Promise<unknown>) | undefined,
  ) {}

  private newToken(prefix: string) {
    const token = prefix + this.ids.hex(32);
    return { token, hash: tokenHash(token) };
  }

  private event(actor: ApplicationEvent['actor'], kind: string, detail?: Record<string, unknown>): ApplicationEvent {
    return { at: this.clock.now(), actor, kind, detail };
  }

  private statusMail(app: Pick<Application, 'email' | 'legalName'>, subject: string, body: string, link?: string) {
    return this.outbox.prepare({
      to: app.email, kind: 'signup_status', subject: `${subject}: ${app.legalName}`,
      text: `${body}\n\n${link ? `Follow your application: ${link}\n` : ''}`,
    });
  }

  private deliver(mails: OutboxMail[]) {
    for (const m of mails) this.outbox.deliver(m);
  }

  // ---- the applicant ----------------------------------------------------------------------------

  /** An application: every field checked (all problems at once), then one transaction. */
  async apply(input: ApplicationInput): Promise<{ application: Application; statusToken: string }> {
    const errors: FieldProblem[] = [];
    const legalName = text(errors, '/body/legal_name', input.legal_name, 200);
    const address = text(errors, '/body/address', input.address, 1000);
    const phone = text(errors, '/body/phone', input.phone, 64);
    const website = text(errors, '/body/website', input.website, 500);
    if (website && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(website)) errors.push({ pointer: '/body/website', problem: 'not a web address', expected: 'https://…' });
    const duns = typeof input.duns_number === 'string' ? input.duns_number.replace(/[\s-]/g, '') : '';
    if (!/^\d{9}$/.test(duns)) errors.push({ pointer: '/body/duns_number', problem: 'a D-U-N-S number has nine digits', expected: '123456789' });
    const business = email(errors, '/body/email', input.email);
    if (business && EMAIL.test(business) && isFreeMail(business)) {
      errors.push({ pointer: '/body/email', problem: `${business.split('@')[1]} is a free-mail domain: use an address of the organisation's own domain` });
    }
    const givenName = text(errors, '/body/applicant/given_name', input.applicant?.given_name, 100);
    const familyName = text(errors, '/body/applicant/family_name', input.applicant?.family_name, 100);
    const contactName = text(errors, '/body/validation_contact/name', input.validation_contact?.name, 200);
    const contactEmail = email(errors, '/body/validation_contact/email', input.validation_contact?.email);
    if (contactEmail && contactEmail === business) errors.push({ pointer: '/body/validation_contact/email', problem: 'the validation contact is someone other than the applicant' });
    if (errors.length) {
      const free = errors.find((e) => e.pointer === '/body/email' && e.problem.includes('free-mail'));
      throw fieldErrors(free ? 'free_mail_domain' : 'application_invalid', free ? free.problem : 'the application has fields to fix', errors);
    }
    const entry = checkDuns(this.dunsDirectory, { duns, legalName, address });
    if (await this.store.organisations.getByDuns(duns)) throw conflict('organisation_exists', 'an organisation with this D-U-N-S number is already enrolled');
    const now = this.clock.now();
    const status = this.newToken(STATUS_TOKEN_PREFIX);
    const application: Application = {
      id: this.ids.uuid(), state: 'submitted', legalName: entry.name, address: entry.address, phone, website, duns, email: business,
      applicantGivenName: givenName, applicantFamilyName: familyName, contactName, contactEmail,
      statusTokenHash: status.hash, statusExpiresAt: new Date(now.getTime() + STATUS_LINK_DAYS * DAY), createdAt: now, updatedAt: now,
    };
    const mail = await this.statusMail(application, 'Application received',
      `Hello ${givenName},\n\nYour application to enrol ${entry.name} in Orchard is under review. We will write when it changes; you can follow it, and answer any question we ask, at the link below.`,
      `${this.baseUrl}/signup/status#token=${status.token}`);
    const made = await this.store.signupApplications.create(application, this.event('applicant', 'submitted'), [mail]);
    if (made === 'duns-open') throw conflict('application_exists', 'an application for this D-U-N-S number is already under review');
    this.deliver([mail]);
    return { application, statusToken: status.token };
  }

  /** The application behind a status token (the applicant's view). */
  async byStatusToken(token: unknown): Promise<Application> {
    const app = typeof token === 'string' && token.startsWith(STATUS_TOKEN_PREFIX) ? await this.store.signupApplications.byStatusToken(tokenHash(token)) : undefined;
    if (!app || app.statusExpiresAt.getTime() <= this.clock.now().getTime()) {
      await this.audit.record(undefined, 'signup.status_link_refused', 'denied', app?.id, { reason: app ? 'expired' : 'unknown' });
      throw new DomainError('unauthenticated', 'status_link_invalid', app ? 'this status link has expired' : 'this status link is not valid');
    }
    return app;
  }

  /** The applicant answers the operator's open question. */
  async answer(token: unknown, answer: unknown): Promise<Application> {
    const app = await this.byStatusToken(token);
    const errors: FieldProblem[] = [];
    const text_ = text(errors, '/body/answer', answer, 4000);
    if (errors.length) throw fieldErrors('answer_invalid', 'the answer must be text', errors);
    if (app.state !== 'question') throw conflict('no_open_question', `there is no open question (the application is ${app.state})`);
    await this.step(app.id, ['question'], { state: 'submitted', answer: text_ }, this.event('applicant', 'answered', { answer: text_ }), []);
    return (await this.store.signupApplications.get(app.id))!;
  }

  events(id: string) {
    return this.store.signupApplications.events(id);
  }

  private async step(id: string, from: ApplicationState[], patch: ApplicationPatch, event: ApplicationEvent, mails: OutboxMail[], link?: string) {
    if (!(await this.store.signupApplications.step(id, from, { ...patch, updatedAt: event.at }, event, mails, link))) {
      throw conflict('application_moved', 'the application changed meanwhile: read it again');
    }
    this.deliver(mails);
  }

  // ---- the operator -----------------------------------------------------------------------------

  list(opts: { state?: ApplicationState; limit: number; after?: { createdAt: Date; id: string } }) {
    return this.store.signupApplications.list(opts);
  }

  async get(id: string): Promise<Application> {
    const app = await this.store.signupApplications.get(id);
    if (!app) throw notFound('application');
    return app;
  }

  async ask(id: string, question: unknown): Promise<Application> {
    const app = await this.get(id);
    const errors: FieldProblem[] = [];
    const q = text(errors, '/body/question', question, 4000);
    if (errors.length) throw fieldErrors('question_invalid', 'the question must be text', errors);
    if (app.state !== 'submitted') throw conflict('not_under_review', `only a submitted application takes a question (this one is ${app.state})`);
    const mail = await this.statusMail(app, 'A question about your application',
      `Hello ${app.applicantGivenName},\n\nThe reviewer asks:\n\n${q}\n\nAnswer at your application's status link (sent when you applied).`);
    await this.step(id, ['submitted'], { state: 'question', question: q }, this.event('operator', 'question', { question: q }), [mail]);
    return this.get(id);
  }

  async reject(id: string, reason: unknown): Promise<Application> {
    const app = await this.get(id);
    const errors: FieldProblem[] = [];
    const r = text(errors, '/body/reason', reason, 4000);
    if (errors.length) throw fieldErrors('reason_invalid', 'say why the application is rejected', errors);
    if (app.state !== 'submitted' && app.state !== 'question') throw conflict('not_under_review', `only an application under review can be rejected (this one is ${app.state})`);
    const mail = await this.statusMail(app, 'Application declined', `Hello ${app.applicantGivenName},\n\nYour application was declined:\n\n${r}`);
    await this.step(id, ['submitted', 'question'], { state: 'rejected', decisionReason: r, linkTokenHash: null, linkExpiresAt: null }, this.event('operator', 'rejected', { reason: r }), [mail]);
    return this.get(id);
  }

  /** Approval: the validation contact gets a one-time link to confirm or delegate. */
  async approve(id: string): Promise<Application> {
    const app = await this.get(id);
    if (app.state !== 'submitted') throw conflict('not_under_review', `only a submitted application can be approved (this one is ${app.state})`);
    const link = this.newToken(LINK_TOKEN_PREFIX);
    const expires = new Date(this.clock.now().getTime() + ONE_TIME_LINK_DAYS * DAY);
    const contact = await this.outbox.prepare({
      to: app.contactEmail, kind: 'signup_validation', subject: `Confirm ${app.applicantGivenName} ${app.applicantFamilyName} as Administrator of ${app.legalName}`,
      text: `Hello ${app.contactName},\n\n${app.applicantGivenName} ${app.applicantFamilyName} (${app.email}) applied to enrol ${app.legalName} in Orchard and named you as the validation contact.\n`
        + `Confirm them as the organisation's first Administrator, or name someone else, at this link (valid ${ONE_TIME_LINK_DAYS} days, once):\n\n${this.baseUrl}/signup/validate#token=${link.token}\n`,
    });
    const status = await this.statusMail(app, 'Application approved', `Hello ${app.applicantGivenName},\n\nYour application was approved. ${app.contactName}, your validation contact, has been asked to confirm the organisation's first Administrator.`);
    await this.step(id, ['submitted'], { state: 'approved', linkTokenHash: link.hash, linkExpiresAt: expires }, this.event('operator', 'approved'), [contact, status]);
    return this.get(id);
  }

  // ---- one-time links ---------------------------------------------------------------------------

  /** The application whose current one-time link this is, in `state`; anything else is refused and audited. */
  private async byLink(token: unknown, state: ApplicationState, step: string): Promise<{ app: Application; hash: string }> {
    const h = typeof token === 'string' && token.startsWith(LINK_TOKEN_PREFIX) ? tokenHash(token) : undefined;
    const app = h ? await this.store.signupApplications.byLinkToken(h) : undefined;
    let reason: string | undefined;
    if (!app) reason = 'unknown or already used';
    else if (app.state !== state) reason = `not for this step (the application is ${app.state})`;
    else if (!app.linkExpiresAt || app.linkExpiresAt.getTime() <= this.clock.now().getTime()) reason = 'expired';
    if (reason) {
      await this.audit.record(undefined, `signup.${step}_link_refused`, 'denied', app?.id, { reason });
      throw new DomainError('unauthenticated', 'link_invalid', `this link cannot be used: ${reason}`);
    }
    return { app: app!, hash: h! };
  }

  /** The validation contact confirms the applicant, or delegates to another person. */
  async validate(token: unknown, input: { decision?: unknown; administrator?: { email?: unknown; given_name?: unknown; family_name?: unknown } }): Promise<Application> {
    const errors: FieldProblem[] = [];
    if (input.decision !== 'confirm' && input.decision !== 'delegate') errors.push({ pointer: '/body/decision', problem: 'confirm or delegate', expected: 'confirm | delegate' });
    let admin = { email: '', givenName: '', familyName: '' };
    if (input.decision === 'delegate') {
      admin = {
        email: email(errors, '/body/administrator/email', input.administrator?.email),
        givenName: text(errors, '/body/administrator/given_name', input.administrator?.given_name, 100),
        familyName: text(errors, '/body/administrator/family_name', input.administrator?.family_name, 100),
      };
    }
    if (errors.length) throw fieldErrors('validation_invalid', 'the confirmation has fields to fix', errors);
    const { app, hash: h } = await this.byLink(token, 'approved', 'validation');
    if (input.decision === 'confirm') admin = { email: app.email, givenName: app.applicantGivenName, familyName: app.applicantFamilyName };
    const link = this.newToken(LINK_TOKEN_PREFIX);
    const expires = new Date(this.clock.now().getTime() + ONE_TIME_LINK_DAYS * DAY);
    const invite = await this.outbox.prepare({
      to: admin.email, kind: 'signup_activation', subject: `Create your Administrator account for ${app.legalName}`,
      text: `Hello ${admin.givenName},\n\n${app.contactName} confirmed you as the first Administrator of ${app.legalName} in Orchard.\n`
        + `Create your Managed Apple ID and accept the terms at this link (valid ${ONE_TIME_LINK_DAYS} days, once):\n\n${this.baseUrl}/signup/activate#token=${link.token}\n`,
    });
    const status = await this.statusMail(app, 'Administrator confirmed', `Hello ${app.applicantGivenName},\n\n${app.contactName} ${input.decision === 'confirm' ? 'confirmed you' : `named ${admin.givenName} ${admin.familyName}`} as the first Administrator.`);
    await this.step(app.id, ['approved'], {
      state: 'activating', adminEmail: admin.email, adminGivenName: admin.givenName, adminFamilyName: admin.familyName, linkTokenHash: link.hash, linkExpiresAt: expires,
    }, this.event('validation_contact', input.decision === 'confirm' ? 'confirmed' : 'delegated', { administrator: admin.email }), [invite, status], h);
    return this.get(app.id);
  }

  /**
   * The first Administrator creates their Managed Apple ID and accepts the terms: the organisation,
   * its Administrator and API token come to exist together, and the organisation is live.
   */
  async activate(token: unknown, input: { password?: unknown; accept_terms?: unknown }): Promise<{ application: Application; org: Organisation; account: Account; apiToken: string }> {
    const { app, hash: h } = await this.byLink(token, 'activating', 'activation');
    if (input.accept_terms !== true) throw fieldErrors('terms_not_accepted', 'the terms must be accepted to activate the organisation', [{ pointer: '/body/accept_terms', problem: 'must be true', expected: 'true' }]);
    acceptablePassword(input.password, app.adminEmail);
    const terms = await this.store.organisations.currentTerms();
    const base = await this.organisations.prepareSignUp({ name: app.legalName, duns: app.duns, email: app.email, phone: app.phone });
    const account = await this.accounts.prepare('system', base.id, {
      email: app.adminEmail!, givenName: app.adminGivenName, familyName: app.adminFamilyName, password: input.password as string, roles: ['Administrator'],
    });
    const now = this.clock.now();
    const org: Organisation = { ...base, termsVersionRequired: terms.version, termsVersionAccepted: terms.version, termsAcceptedBy: account.id, termsAcceptedAt: now };
    const apiToken = this.accounts.makeApiToken(account.id, 'bootstrap');
    const mail = await this.statusMail(app, 'Organisation live', `Hello ${app.applicantGivenName},\n\n${app.legalName} is live in Orchard; its first Administrator is ${app.adminEmail}.`);
    const ok = await this.store.signupApplications.activate(app.id, h, { org, account, token: { record: apiToken.record, hash: apiToken.hash } },
      this.event('administrator', 'activated', { organisation_id: org.id, terms_version: terms.version }), [mail]);
    if (!ok) {
      await this.audit.record(undefined, 'signup.activation_link_refused', 'denied', app.id, { reason: 'used meanwhile' });
      throw new DomainError('unauthenticated', 'link_invalid', 'this link cannot be used: already used');
    }
    this.deliver([mail]);
    // Issue 17 finding 11: a live organisation gets Orchard's own MDM server (idempotent; start repairs).
    await this.provisionBuiltinMdm()?.(org.id);
    return { application: await this.get(app.id), org, account, apiToken: apiToken.token };
  }
}

export const isSignupState = (s: unknown): s is ApplicationState =>
  typeof s === 'string' && ['submitted', 'question', 'approved', 'rejected', 'activating', 'live'].includes(s);
