// The server operator's page (issue 16), at /operator before any session: the operator pastes
// their token (<data dir>/operator-token) once; it is kept in this tab's sessionStorage only
// (never a cookie, never localStorage) until "forget". Then the applications to review (by state,
// a page at a time), one application's details and its steps (the same `steps` the applicant's
// status page shows), and the decisions: approve, reject with a reason, ask a question (the
// applicant's answer shows up here when they reply); and the publication of a new terms version.
// A token the API refuses (401: unknown; 403: not the operator's) is said as such.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, type Page } from '../api.js';
import {
  APPLICATION_STATES, approveApplication, askApplicant, currentTerms, forgetOperatorToken, keepOperatorToken, publishTerms, rejectApplication,
  reviewList, reviewed, storedOperatorToken, type ReviewedApplication,
} from '../api-operator.js';
import { Notice, SelectField, TextField, failureText, useAction, useConfirm, useId } from '../components/forms.js';
import { TextArea } from '../components/page-parts.js';
import { PublicCard, refusalAt } from '../components/public-card.js';
import { DataTable, Pager } from '../components/table.js';
import { LANGS, formatDate, t, type MessageKey } from '../i18n/index.js';

const PAGE_SIZE = 10;
/** While an application waits for the applicant's answer, it is read again this often (ms). */
const ANSWER_POLL_MS = 3000;

/** The sentence for a refused call: the token's refusal (401, 403) named as such. */
export function operatorFailureText(failure: unknown): string {
  if (failure instanceof ApiFailure && failure.status === 401) return t('operator.refused401', { message: failure.message });
  if (failure instanceof ApiFailure && failure.status === 403) return t('operator.refused403', { message: failure.message });
  return failureText(failure);
}
const stateText = (s: string) => (`operator.state.${s}` in LANGS.en.messages ? t(`operator.state.${s}` as MessageKey) : s);
const stepText = (kind: string) => (`operator.step.${kind}` in LANGS.en.messages ? t(`operator.step.${kind}` as MessageKey) : kind);
const actorText = (actor: string) => (`operator.actor.${actor}` in LANGS.en.messages ? t(`operator.actor.${actor}` as MessageKey) : actor);
/** The words a step carries (the question, the answer, the reason, the Administrator named). */
function stepDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  const said = ['question', 'answer', 'reason', 'administrator'].map((k) => detail[k]).filter((v): v is string => typeof v === 'string');
  return said.length ? ` “${said.join(' ')}”` : '';
}

export function OperatorPage() {
  const [token, setToken] = useState(storedOperatorToken());
  if (!token) return <OperatorTokenForm onToken={(tk) => { keepOperatorToken(tk); setToken(tk); }} />;
  return <OperatorReview token={token} onForget={() => { forgetOperatorToken(); setToken(''); }} />;
}

/** The token, checked with one read before it is kept. */
function OperatorTokenForm(props: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const act = useAction();
  const submit = async () => {
    const tk = token.trim();
    if (!tk) { act.fail(t('operator.tokenMissing')); return; }
    if (await act.run(() => reviewList(tk, { limit: 1 }))) props.onToken(tk);
  };
  return (
    <PublicCard title={t('operator.title')}>
      <p>{t('operator.tokenIntro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <TextField label={t('operator.token')} name="operator_token" type="password" autocomplete="off" required value={token} onInput={setToken} />
        {act.failure !== undefined ? <Notice kind="error">{operatorFailureText(act.failure)}</Notice> : null}
        <button type="submit" disabled={act.busy}>{t('operator.useToken')}</button>
      </form>
    </PublicCard>
  );
}

/** A titled panel; `focus`: its heading takes the focus when it opens (an application chosen in the list). */
function Panel(props: { title: string; focus?: boolean; children: ComponentChildren }) {
  const id = useId('op');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { if (props.focus) heading.current?.focus(); }, []);
  return <section class="panel" aria-labelledby={id}><h2 id={id} ref={heading} tabIndex={props.focus ? -1 : undefined}>{props.title}</h2>{props.children}</section>;
}

function OperatorReview(props: { token: string; onForget: () => void }) {
  const { token } = props;
  const [state, setState] = useState('');
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page<ReviewedApplication>>();
  const [listFailure, setListFailure] = useState<unknown>();
  const [openId, setOpenId] = useState<string>();
  const cursor = cursors[cursors.length - 1] ?? null;
  const reloadList = () => reviewList(token, { state, limit: PAGE_SIZE, cursor }).then((p) => { setPage(p); setListFailure(undefined); }, setListFailure);
  useEffect(() => { void reloadList(); }, [state, cursor, token]);

  const columns = [
    { key: 'legal_name', label: t('operator.col.name'), cell: (a: ReviewedApplication) => (
      <button type="button" class="link" aria-label={t('operator.open', { name: a.legal_name })} onClick={() => setOpenId(a.id)}>{a.legal_name}</button>
    ) },
    { key: 'email', label: t('operator.col.email'), cell: (a: ReviewedApplication) => a.email },
    { key: 'state', label: t('operator.col.state'), cell: (a: ReviewedApplication) => <span data-state={a.state}>{stateText(a.state)}</span> },
    { key: 'created_at', label: t('operator.col.submitted'), cell: (a: ReviewedApplication) => formatDate(a.created_at) },
    { key: 'updated_at', label: t('operator.col.updated'), cell: (a: ReviewedApplication) => formatDate(a.updated_at) },
  ];
  return (
    <PublicCard title={t('operator.title')} full>
      <div class="operator-bar">
        <p>{t('operator.tokenKept')}</p>
        <button type="button" class="secondary" onClick={props.onForget}>{t('operator.forget')}</button>
      </div>
      <Panel title={t('operator.applications')}>
        <SelectField label={t('operator.filterState')} name="state" value={state}
          onChange={(v) => { setState(v); setCursors([null]); }}
          options={[{ value: '', label: t('operator.state.all') }, ...APPLICATION_STATES.map((s) => ({ value: s, label: stateText(s) }))]} />
        {listFailure !== undefined ? <Notice kind="error">{operatorFailureText(listFailure)}</Notice> : null}
        {page ? <DataTable caption={t('operator.applications')} columns={columns} rows={page.items} rowKey={(a) => a.id} /> : null}
        <Pager hasPrevious={cursors.length > 1} next={page?.next_cursor ?? null} onFirst={() => setCursors([null])} onNext={(c) => setCursors([...cursors, c])} />
      </Panel>
      {openId ? <ApplicationReview key={openId} token={token} id={openId} onChanged={reloadList} onClose={() => setOpenId(undefined)} /> : null}
      <TermsPanel token={token} />
    </PublicCard>
  );
}

/** One application: what was filed, its steps, and the operator's decisions. */
function ApplicationReview(props: { token: string; id: string; onChanged: () => void; onClose: () => void }) {
  const { token, id } = props;
  const [app, setApp] = useState<ReviewedApplication>();
  const [readFailure, setReadFailure] = useState<unknown>();
  const [question, setQuestion] = useState('');
  const [reason, setReason] = useState('');
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const read = () => reviewed(token, id).then((a) => { setApp(a); setReadFailure(undefined); return a; }, (err) => { setReadFailure(err); return undefined; });
  useEffect(() => { void read(); }, [id, token]);
  // Waiting for the applicant: their answer shows up without a click.
  useEffect(() => {
    if (app?.state !== 'question') return;
    const timer = setInterval(async () => { const a = await read(); if (a && a.state !== 'question') props.onChanged(); }, ANSWER_POLL_MS);
    return () => clearInterval(timer);
  }, [app?.state]);
  const decided = (a: ReviewedApplication) => { setApp(a); props.onChanged(); };
  const approve = async () => {
    if (!app || !(await confirm(t('operator.approveConfirm', { name: app.legal_name })))) return;
    const a = await act.run(() => approveApplication(token, id), () => t('operator.approved', { name: app.legal_name }));
    if (a) decided(a);
  };
  const ask = async () => {
    const a = await act.run(() => askApplicant(token, id, question), () => t('operator.asked'));
    if (a) { setQuestion(''); decided(a); }
  };
  const reject = async () => {
    if (!app) return;
    if (reason.trim() && !(await confirm(t('operator.rejectConfirm', { name: app.legal_name })))) return;
    const a = await act.run(() => rejectApplication(token, id, reason), () => t('operator.rejected', { name: app.legal_name }));
    if (a) { setReason(''); decided(a); }
  };
  const title = app ? t('operator.application', { name: app.legal_name }) : t('app.loading');
  const open = app?.steps.filter((s) => s.kind === 'question').pop();
  return (
    <Panel title={title} focus>
      {readFailure !== undefined ? <Notice kind="error">{operatorFailureText(readFailure)}</Notice> : null}
      {app ? (
        <>
          <dl class="facts">
            <dt>{t('operator.col.state')}</dt><dd data-state={app.state}>{stateText(app.state)}</dd>
            <dt>{t('signup.field.legal_name')}</dt><dd>{app.legal_name}</dd>
            <dt>{t('signup.field.address')}</dt><dd>{app.address}</dd>
            <dt>{t('signup.field.phone')}</dt><dd>{app.phone}</dd>
            <dt>{t('signup.field.website')}</dt><dd>{app.website}</dd>
            <dt>{t('signup.field.duns_number')}</dt><dd>{app.duns_number}</dd>
            <dt>{t('signup.field.email')}</dt><dd>{app.email}</dd>
            <dt>{t('operator.applicant')}</dt><dd>{app.applicant.given_name} {app.applicant.family_name}</dd>
            <dt>{t('signup.contact')}</dt><dd>{app.validation_contact.name} ({app.validation_contact.email})</dd>
            {app.state === 'question' && app.question ? <><dt>{t('operator.openQuestion')}</dt><dd>{app.question}</dd></> : null}
            {app.answer ? <><dt>{t('operator.answer')}</dt><dd>{app.answer}</dd></> : null}
            {app.decision_reason ? <><dt>{t('signup.reason')}</dt><dd>{app.decision_reason}</dd></> : null}
            {app.administrator_email ? <><dt>{t('signup.administrator')}</dt><dd>{app.administrator_email}</dd></> : null}
          </dl>
          <h3>{t('signup.steps')}</h3>
          <ol class="steps">
            {app.steps.map((s) => <li>{formatDate(s.at)}: {actorText(s.actor)}, {stepText(s.kind)}{stepDetail(s.detail)}</li>)}
          </ol>
          {app.state === 'question' && open ? <Notice kind="info">{t('operator.waiting')}</Notice> : null}
          {app.state === 'submitted' ? (
            <>
              <div class="actions-cell"><button type="button" disabled={act.busy} onClick={() => void approve()}>{t('operator.approve')}</button></div>
              <form onSubmit={(e) => { e.preventDefault(); void ask(); }} noValidate>
                <TextArea label={t('operator.question')} name="question" value={question} onInput={setQuestion} error={refusalAt(act.failure, '/body/question')} />
                <button type="submit" class="secondary" disabled={act.busy}>{t('operator.ask')}</button>
              </form>
            </>
          ) : null}
          {app.state === 'submitted' || app.state === 'question' ? (
            <form onSubmit={(e) => { e.preventDefault(); void reject(); }} noValidate>
              <TextArea label={t('operator.reason')} name="reason" value={reason} onInput={setReason} error={refusalAt(act.failure, '/body/reason')} />
              <button type="submit" class="danger" disabled={act.busy}>{t('operator.reject')}</button>
            </form>
          ) : null}
          {act.failure !== undefined ? <Notice kind="error">{operatorFailureText(act.failure)}</Notice> : null}
          {act.success ? <Notice kind="success">{act.success}</Notice> : null}
          <div class="actions-cell">
            <button type="button" class="secondary" onClick={() => void read()}>{t('operator.refresh')}</button>
            <button type="button" class="secondary" onClick={props.onClose}>{t('form.close')}</button>
          </div>
        </>
      ) : null}
      {dialog}
    </Panel>
  );
}

/** The terms version organisations must accept, and the publication of a new one. */
function TermsPanel(props: { token: string }) {
  const [terms, setTerms] = useState<{ version: number; published_at: string; summary: string }>();
  const [readFailure, setReadFailure] = useState<unknown>();
  const [summary, setSummary] = useState('');
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  useEffect(() => { currentTerms(props.token).then(setTerms, setReadFailure); }, [props.token]);
  const publish = async () => {
    if (summary.trim() && !(await confirm(t('operator.publishConfirm')))) return;
    const r = await act.run(() => publishTerms(props.token, summary), (v) => t('operator.published', { version: v.version }));
    if (r) { setTerms(r); setSummary(''); }
  };
  return (
    <Panel title={t('operator.terms')}>
      {readFailure !== undefined ? <Notice kind="error">{operatorFailureText(readFailure)}</Notice> : null}
      {terms ? <p>{t('operator.termsCurrent', { version: terms.version, date: formatDate(terms.published_at), summary: terms.summary })}</p> : null}
      <form onSubmit={(e) => { e.preventDefault(); void publish(); }} noValidate>
        <TextArea label={t('operator.termsSummary')} name="summary" value={summary} onInput={setSummary} error={refusalAt(act.failure, '/body/summary')} />
        <button type="submit" disabled={act.busy}>{t('operator.publish')}</button>
      </form>
      {act.failure !== undefined ? <Notice kind="error">{operatorFailureText(act.failure)}</Notice> : null}
      {act.success ? <Notice kind="success">{act.success}</Notice> : null}
      {dialog}
    </Panel>
  );
}
