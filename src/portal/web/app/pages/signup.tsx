// Sign-up with review (issue 16), the pages before any session: the application form (/signup),
// the applicant's status link (/signup/status: the state, the steps, the operator's question and
// an answer form), the validation contact's link (/signup/validate: confirm the applicant or name
// another first Administrator) and the first Administrator's link (/signup/activate: a password
// for the Managed Apple ID and the terms). Every refusal shows at its field (details.errors).
import { useState } from 'preact/hooks';
import { activate, answerQuestion, application, apply, linkToken, validateApplication, type Application, type ApplicationForm } from '../api-identity.js';
import { ApiFailure } from '../api.js';
import { Notice, TextField, failureText, problemAt, useAction } from '../components/forms.js';
import { TextArea, useLoad } from '../components/page-parts.js';
import { PublicCard, refusalAt } from '../components/public-card.js';
import { LANGS, formatDate, t, type MessageKey } from '../i18n/index.js';

/** The form's fields, their labels and where the API points at them. */
const APPLICATION_FIELDS: Array<{ key: keyof ApplicationForm; pointer: string; type?: 'email' }> = [
  { key: 'legal_name', pointer: '/body/legal_name' },
  { key: 'address', pointer: '/body/address' },
  { key: 'phone', pointer: '/body/phone' },
  { key: 'website', pointer: '/body/website' },
  { key: 'duns_number', pointer: '/body/duns_number' },
  { key: 'email', pointer: '/body/email', type: 'email' },
  { key: 'given_name', pointer: '/body/applicant/given_name' },
  { key: 'family_name', pointer: '/body/applicant/family_name' },
  { key: 'contact_name', pointer: '/body/validation_contact/name' },
  { key: 'contact_email', pointer: '/body/validation_contact/email', type: 'email' },
];
/** A step of the application in the interface's language (an unknown step as the API names it). */
const stepText = (kind: string) => (`signup.step.${kind}` in LANGS.en.messages ? t(`signup.step.${kind}` as MessageKey) : kind);
const label = (k: keyof ApplicationForm) => t(`signup.field.${k}` as MessageKey);
/** A refusal of a sign-up page: the field list when there is one, else the sentence. */
const summary = (failure: unknown) => (failure instanceof ApiFailure && failure.fields.length ? t('form.fixBelow') : failureText(failure));

export function SignupPage() {
  const blank = Object.fromEntries(APPLICATION_FIELDS.map((f) => [f.key, ''])) as unknown as ApplicationForm;
  const [f, setF] = useState(blank);
  const [done, setDone] = useState<Application>();
  const act = useAction();
  const submit = async () => { const r = await act.run(() => apply(f)); if (r) setDone(r); };
  if (done) {
    return (
      <PublicCard title={t('signup.title')}>
        <Notice kind="success">{t('signup.received', { name: done.legal_name, email: done.email })}</Notice>
      </PublicCard>
    );
  }
  const group = (legend: MessageKey, keys: Array<keyof ApplicationForm>) => (
    <fieldset>
      <legend>{t(legend)}</legend>
      {APPLICATION_FIELDS.filter((x) => keys.includes(x.key)).map((x) => (
        <TextField label={label(x.key)} name={x.key} type={x.type} required value={f[x.key]} onInput={(v) => setF({ ...f, [x.key]: v })} error={refusalAt(act.failure, x.pointer)} />
      ))}
    </fieldset>
  );
  return (
    <PublicCard title={t('signup.title')} wide>
      <p>{t('signup.intro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        {group('signup.organisation', ['legal_name', 'address', 'phone', 'website', 'duns_number', 'email'])}
        {group('signup.applicant', ['given_name', 'family_name'])}
        {group('signup.contact', ['contact_name', 'contact_email'])}
        {act.failure !== undefined ? <Notice kind="error">{act.failure instanceof ApiFailure && act.failure.fields.length ? `${act.failure.message}. ${t('form.fixBelow')}` : failureText(act.failure)}</Notice> : null}
        <button type="submit" disabled={act.busy}>{t('signup.submit')}</button>
      </form>
      <p><a href="/">{t('signup.haveAccount')}</a></p>
    </PublicCard>
  );
}

/** The applicant's page: the state, every step so far, and the operator's question with an answer form. */
export function ApplicationStatusPage() {
  const token = linkToken();
  const app = useLoad(() => application(token));
  const [answer, setAnswer] = useState('');
  const act = useAction();
  const send = async () => { if (await act.run(() => answerQuestion(token, answer), () => t('signup.answered'))) { setAnswer(''); await app.reload(); } };
  const a = app.data;
  return (
    <PublicCard title={t('signup.statusTitle')}>
      {app.notice}
      {a ? (
        <>
          <dl class="facts">
            <dt>{t('signup.field.legal_name')}</dt><dd>{a.legal_name}</dd>
            <dt>{t('signup.state')}</dt><dd data-state={a.state}>{t(`signup.state.${a.state}` as MessageKey)}</dd>
            {a.decision_reason ? <><dt>{t('signup.reason')}</dt><dd>{a.decision_reason}</dd></> : null}
            {a.administrator_email ? <><dt>{t('signup.administrator')}</dt><dd>{a.administrator_email}</dd></> : null}
          </dl>
          <h2>{t('signup.steps')}</h2>
          <ol class="steps">{a.steps.map((s) => <li>{formatDate(s.at)}: {stepText(s.kind)}</li>)}</ol>
          {a.state === 'question' && a.question ? (
            <form onSubmit={(e) => { e.preventDefault(); void send(); }} noValidate>
              <h2>{t('signup.question')}</h2>
              <blockquote>{a.question}</blockquote>
              <TextArea label={t('signup.answer')} name="answer" value={answer} onInput={setAnswer} error={refusalAt(act.failure, '/body/answer')} />
              <button type="submit" disabled={act.busy}>{t('signup.sendAnswer')}</button>
            </form>
          ) : null}
          {act.notices}
        </>
      ) : null}
    </PublicCard>
  );
}

/** The validation contact's page: confirm the applicant as first Administrator, or name someone else. */
export function ValidatePage() {
  const token = linkToken();
  const [decision, setDecision] = useState<'confirm' | 'delegate'>('confirm');
  const [admin, setAdmin] = useState({ email: '', given_name: '', family_name: '' });
  const [done, setDone] = useState<Application>();
  const act = useAction();
  const submit = async () => {
    const r = await act.run(() => validateApplication(token, decision === 'confirm' ? { decision } : { decision, administrator: admin }));
    if (r) setDone(r);
  };
  if (done) {
    return <PublicCard title={t('signup.validateTitle')}><Notice kind="success">{t('signup.validated', { email: done.administrator_email ?? '' })}</Notice></PublicCard>;
  }
  return (
    <PublicCard title={t('signup.validateTitle')}>
      <p>{t('signup.validateIntro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <fieldset>
          <legend>{t('signup.decision')}</legend>
          {(['confirm', 'delegate'] as const).map((d) => (
            <label class="choice"><input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} /> {t(`signup.decision.${d}`)}</label>
          ))}
        </fieldset>
        {decision === 'delegate' ? (['email', 'given_name', 'family_name'] as const).map((k) => (
          <TextField label={t(`signup.admin.${k}`)} name={`administrator_${k}`} type={k === 'email' ? 'email' : 'text'} required value={admin[k]}
            onInput={(v) => setAdmin({ ...admin, [k]: v })} error={refusalAt(act.failure, `/body/administrator/${k}`)} />
        )) : null}
        {act.failure !== undefined ? <Notice kind="error">{summary(act.failure)}</Notice> : null}
        <button type="submit" disabled={act.busy}>{t('signup.validateSubmit')}</button>
      </form>
    </PublicCard>
  );
}

/** The first Administrator's page: a password for the Managed Apple ID, and the terms. */
export function ActivatePage() {
  const token = linkToken();
  const [password, setPassword] = useState('');
  const [accept, setAccept] = useState(false);
  const [done, setDone] = useState<{ email: string; name: string }>();
  const act = useAction();
  const submit = async () => {
    const r = await act.run(() => activate(token, password, accept));
    if (r) setDone({ email: r.administrator.email, name: r.organisation.name });
  };
  if (done) {
    return (
      <PublicCard title={t('signup.activateTitle')}>
        <Notice kind="success">{t('signup.activated', done)}</Notice>
        <p><a href="/">{t('signup.signInNow')}</a></p>
      </PublicCard>
    );
  }
  return (
    <PublicCard title={t('signup.activateTitle')}>
      <p>{t('signup.activateIntro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <TextField label={t('signup.password')} name="password" type="password" autocomplete="new-password" required value={password} onInput={setPassword} error={refusalAt(act.failure, '/body/password')} />
        <label class="choice"><input type="checkbox" name="accept_terms" checked={accept} onChange={(e) => setAccept((e.currentTarget as HTMLInputElement).checked)} /> {t('signup.acceptTerms')}</label>
        {problemAt(act.failure, '/body/accept_terms') ? <p class="field-error">{t('signup.termsNeeded')}</p> : null}
        {act.failure !== undefined ? <Notice kind="error">{failureText(act.failure)}</Notice> : null}
        <button type="submit" disabled={act.busy}>{t('signup.activateSubmit')}</button>
      </form>
    </PublicCard>
  );
}
