// Sign-up applications (migration 0013) and their steps. Every step is one transaction that moves
// the application from the states it may leave (a compare-and-set, so a replayed or concurrent
// step changes nothing), records the step as an event and writes the mails it owes to the outbox.
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import type { Account, ApiTokenRecord } from './accounts.js';
import { SqliteAccountRepository } from './accounts.js';
import type { Organisation } from './organisations.js';
import { SqliteOrganisationRepository } from './organisations.js';
import type { OutboxMail } from './outbox.js';
import { SqliteOutboxRepository } from './outbox.js';

export type ApplicationState = 'submitted' | 'question' | 'approved' | 'rejected' | 'activating' | 'live';
export type StepActor = 'applicant' | 'operator' | 'validation_contact' | 'administrator';

export interface Application {
  id: string;
  state: ApplicationState;
  legalName: string;
  address: string;
  phone: string;
  website: string;
  duns: string;
  email: string;
  applicantGivenName: string;
  applicantFamilyName: string;
  contactName: string;
  contactEmail: string;
  question?: string;
  answer?: string;
  decisionReason?: string;
  statusTokenHash: string;
  statusExpiresAt: Date;
  linkTokenHash?: string;
  linkExpiresAt?: Date;
  adminEmail?: string;
  adminGivenName?: string;
  adminFamilyName?: string;
  organisationId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationEvent {
  at: Date;
  actor: StepActor;
  kind: string;
  detail?: Record<string, unknown>;
}

/** What a step changes: the fields given (null clears one). */
export type ApplicationPatch = Partial<{ [K in keyof Application]: Application[K] | null }>;

export interface Activation {
  org: Organisation;
  account: Account;
  token: { record: ApiTokenRecord; hash: string };
}

export interface SignupApplicationRepository {
  /** The application, its first event and its mails; 'duns-open' when one is under review or live. */
  create(app: Application, event: ApplicationEvent, mails: OutboxMail[]): Promise<'created' | 'duns-open'>;
  get(id: string): Promise<Application | undefined>;
  byStatusToken(hash: string): Promise<Application | undefined>;
  byLinkToken(hash: string): Promise<Application | undefined>;
  /** Oldest first, by state when given; `afterId`: the page after that application. */
  list(opts: { state?: ApplicationState; limit: number; after?: { createdAt: Date; id: string } }): Promise<Application[]>;
  events(id: string): Promise<ApplicationEvent[]>;
  /**
   * Moves the application from one of `from` to the patch, with its event and mails: one
   * transaction. False (and nothing written) when it is no longer in one of those states or, when
   * `linkTokenHash` is given, its current link is another.
   */
  step(id: string, from: ApplicationState[], patch: ApplicationPatch, event: ApplicationEvent, mails: OutboxMail[], linkTokenHash?: string): Promise<boolean>;
  /** The last step: the organisation, its first Administrator and API token, and the application live, together. */
  activate(id: string, linkTokenHash: string, activation: Activation, event: ApplicationEvent, mails: OutboxMail[]): Promise<boolean>;
}

type Row = Record<string, any>;
const COLUMNS: Record<keyof Application, string> = {
  id: 'id', state: 'state', legalName: 'legal_name', address: 'address', phone: 'phone', website: 'website', duns: 'duns', email: 'email',
  applicantGivenName: 'applicant_given_name', applicantFamilyName: 'applicant_family_name', contactName: 'contact_name', contactEmail: 'contact_email',
  question: 'question', answer: 'answer', decisionReason: 'decision_reason', statusTokenHash: 'status_token_hash', statusExpiresAt: 'status_expires_at',
  linkTokenHash: 'link_token_hash', linkExpiresAt: 'link_expires_at', adminEmail: 'admin_email', adminGivenName: 'admin_given_name',
  adminFamilyName: 'admin_family_name', organisationId: 'organisation_id', createdAt: 'created_at', updatedAt: 'updated_at',
};
const DATES = new Set<keyof Application>(['statusExpiresAt', 'linkExpiresAt', 'createdAt', 'updatedAt']);

const toApp = (r: Row): Application => {
  const out: Record<string, unknown> = {};
  for (const [k, c] of Object.entries(COLUMNS) as [keyof Application, string][]) {
    const v = r[c];
    out[k] = v === null ? undefined : DATES.has(k) ? fromDbOpt(v) : v;
  }
  return out as unknown as Application;
};
const toParams = (p: ApplicationPatch): Row => {
  const out: Row = {};
  for (const [k, v] of Object.entries(p) as [keyof Application, unknown][]) out[k] = v instanceof Date ? toDb(v) : v ?? null;
  return out;
};

export class SqliteSignupApplicationRepository implements SignupApplicationRepository {
  private readonly stmts;
  private readonly orgs: SqliteOrganisationRepository;
  private readonly accounts: SqliteAccountRepository;
  private readonly outbox: SqliteOutboxRepository;
  constructor(private readonly db: Db) {
    this.orgs = new SqliteOrganisationRepository(db);
    this.accounts = new SqliteAccountRepository(db);
    this.outbox = new SqliteOutboxRepository(db);
    const keys = Object.keys(COLUMNS) as (keyof Application)[];
    this.stmts = {
      insert: db.prepare(`INSERT INTO signup_applications (${keys.map((k) => COLUMNS[k]).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`),
      openDuns: db.prepare("SELECT 1 FROM signup_applications WHERE duns = ? AND state <> 'rejected'"),
      get: db.prepare('SELECT * FROM signup_applications WHERE id = ?'),
      byStatus: db.prepare('SELECT * FROM signup_applications WHERE status_token_hash = ?'),
      byLink: db.prepare('SELECT * FROM signup_applications WHERE link_token_hash = ?'),
      list: db.prepare(`SELECT * FROM signup_applications WHERE (@state IS NULL OR state = @state)
        AND (@afterAt IS NULL OR created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))
        ORDER BY created_at, id LIMIT @limit`),
      event: db.prepare('INSERT INTO signup_events (application_id, at, actor, kind, detail) VALUES (@id, @at, @actor, @kind, @detail)'),
      events: db.prepare('SELECT * FROM signup_events WHERE application_id = ? ORDER BY id'),
    };
  }

  private addEvent(id: string, e: ApplicationEvent) {
    this.stmts.event.run({ id, at: toDb(e.at), actor: e.actor, kind: e.kind, detail: e.detail ? JSON.stringify(e.detail) : null });
  }

  /** The compare-and-set UPDATE of one step (prepared per shape of patch; a step names few fields). */
  private update(id: string, from: ApplicationState[], patch: ApplicationPatch, linkTokenHash?: string): boolean {
    const keys = Object.keys(patch) as (keyof Application)[];
    const set = keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ');
    const states = from.map((_s, i) => `@from${i}`).join(', ');
    const params: Row = { ...toParams(patch), _id: id, _link: linkTokenHash ?? null };
    from.forEach((s, i) => { params[`from${i}`] = s; });
    const sql = `UPDATE signup_applications SET ${set} WHERE id = @_id AND state IN (${states}) AND (@_link IS NULL OR link_token_hash = @_link)`;
    return this.db.prepare(sql).run(params).changes === 1;
  }

  async create(app: Application, event: ApplicationEvent, mails: OutboxMail[]) {
    return this.db.transaction(() => {
      if (this.stmts.openDuns.get(app.duns)) return 'duns-open' as const;
      const row: Row = Object.fromEntries(Object.keys(COLUMNS).map((k) => [k, null]));
      this.stmts.insert.run({ ...row, ...toParams(app) });
      this.addEvent(app.id, event);
      for (const m of mails) this.outbox.insertSync(m);
      return 'created' as const;
    }).immediate();
  }
  async get(id: string) {
    const r = this.stmts.get.get(id) as Row | undefined;
    return r && toApp(r);
  }
  async byStatusToken(hash: string) {
    const r = this.stmts.byStatus.get(hash) as Row | undefined;
    return r && toApp(r);
  }
  async byLinkToken(hash: string) {
    const r = this.stmts.byLink.get(hash) as Row | undefined;
    return r && toApp(r);
  }
  async list(opts: { state?: ApplicationState; limit: number; after?: { createdAt: Date; id: string } }) {
    const rows = this.stmts.list.all({
      state: opts.state ?? null, limit: opts.limit, afterAt: opts.after ? toDb(opts.after.createdAt) : null, afterId: opts.after?.id ?? null,
    }) as Row[];
    return rows.map(toApp);
  }
  async events(id: string) {
    return (this.stmts.events.all(id) as Row[]).map((r) => ({
      at: new Date(r.at), actor: r.actor, kind: r.kind, detail: r.detail ? JSON.parse(r.detail) : undefined,
    }));
  }
  async step(id: string, from: ApplicationState[], patch: ApplicationPatch, event: ApplicationEvent, mails: OutboxMail[], linkTokenHash?: string) {
    return this.db.transaction(() => {
      if (!this.update(id, from, patch, linkTokenHash)) return false;
      this.addEvent(id, event);
      for (const m of mails) this.outbox.insertSync(m);
      return true;
    }).immediate();
  }
  async activate(id: string, linkTokenHash: string, a: Activation, event: ApplicationEvent, mails: OutboxMail[]) {
    const run = this.db.transaction(() => {
      const patch: ApplicationPatch = { state: 'live', organisationId: a.org.id, linkTokenHash: null, linkExpiresAt: null, updatedAt: event.at };
      // The organisation's row must exist before the application points at it (foreign key).
      this.orgs.insertSync(a.org);
      this.accounts.insertSync(a.account);
      this.accounts.addApiTokenSync(a.token.record, a.token.hash);
      if (!this.update(id, ['activating'], patch, linkTokenHash)) throw new StepLost();
      this.addEvent(id, event);
      for (const m of mails) this.outbox.insertSync(m);
      return true;
    });
    try {
      return run.immediate();
    } catch (err) {
      if (err instanceof StepLost) return false;
      throw err;
    }
  }
}

/** Thrown inside activate's transaction to roll it back when the application moved meanwhile. */
class StepLost extends Error {}
