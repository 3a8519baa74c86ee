// The outbox (issue 16): how Orchard sends email. A mail is composed as an RFC 5322 message by
// nodemailer's MailComposer, recorded as a row (src/store/outbox.ts) and written as a .eml file
// (0600) in <data dir>/outbox/, where an operator's mail relay or a test picks it up. Nothing
// here speaks SMTP: delivery beyond the folder is the operator's choice.
//
// A state change that owes an email (an application approved, an invitation) composes the mail
// first (prepare, async), writes the row inside its own transaction (OutboxMail rows are plain
// data), then calls deliver() to write the file once the transaction has committed.
import fs from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Clock, Ids } from '../clock.js';
import type { OutboxMail, OutboxRepository } from '../store/outbox.js';
import { invalid } from './errors.js';

export interface NewMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is for (signup_status, signup_validation, invitation...). */
  kind: string;
  organisation_id?: string;
}

/** Deliberately simple: one @, no spaces or angle brackets, a dot in the domain. */
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export class Outbox {
  constructor(
    private readonly repo: OutboxRepository,
    private readonly clock: Clock,
    private readonly ids: Ids,
    /** <data dir>/outbox; absent: rows only (no file). */
    private readonly dir: string | undefined,
    /** The From: of every mail, e.g. `Orchard <no-reply@orchard.example>`. */
    private readonly from: string,
  ) {}

  /** Composes the message; nothing is written yet. */
  async prepare(m: NewMail): Promise<OutboxMail> {
    const to = String(m.to ?? '').trim().toLowerCase();
    if (!ADDRESS.test(to) || to.length > 254) throw invalid('email_invalid', `cannot send mail to ${JSON.stringify(m.to)}`);
    const id = this.ids.uuid();
    const at = this.clock.now();
    const composer = new MailComposer({
      from: this.from, to, subject: m.subject, text: m.text, html: m.html, date: at,
      messageId: `<${id}@${this.from.replace(/^.*@/, '').replace(/>$/, '')}>`,
      headers: { 'X-Orchard-Kind': m.kind },
    });
    const eml = await new Promise<Buffer>((resolve, reject) => composer.compile().build((err, out) => (err ? reject(err) : resolve(out))));
    return { id, createdAt: at, to, subject: m.subject, kind: m.kind, organisationId: m.organisation_id, eml: eml.toString('utf8') };
  }

  /** Writes the .eml file of a mail whose row has been committed (0600, never overwritten). */
  deliver(mail: OutboxMail): void {
    if (!this.dir) return;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const stamp = mail.createdAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    fs.writeFileSync(path.join(this.dir, `${stamp}-${mail.id}.eml`), mail.eml, { mode: 0o600, flag: 'wx' });
  }

  /** A mail on its own: composed, recorded, written. */
  async send(m: NewMail): Promise<OutboxMail> {
    const mail = await this.prepare(m);
    await this.repo.insert(mail);
    this.deliver(mail);
    return mail;
  }

  latestTo(to: string, kind?: string) {
    return this.repo.latestTo(to, kind);
  }
}
