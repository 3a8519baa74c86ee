// Activity: the audit log (GET /api/v1/audit), newest first, with filters on who, what or
// target and on outcome (sent to the API when it filters, applied to the loaded entries when
// not), and older entries page by page.
import { useEffect, useState } from 'preact/hooks';
import { audit, auditFiltersOnServer, type AuditEntry } from '../api.js';
import { Notice, SelectField, TextField, failureText } from '../components/forms.js';
import { DataTable } from '../components/table.js';
import { formatDate, t, term } from '../i18n/index.js';
import type { PageProps, PageRoute } from '../routes.js';

const OUTCOMES = ['success', 'denied', 'failed'];

export function ActivityPage(_props: PageProps) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [serverFilters, setServerFilters] = useState<boolean>();
  const [failure, setFailure] = useState<unknown>();
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState('');
  const load = async (cursor: string | null) => {
    try {
      const filters = serverFilters ? { q: text.trim() || undefined, outcome: outcome || undefined } : {};
      const page = await audit({ cursor, limit: 100, ...filters });
      setEntries((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor);
    } catch (err) { setFailure(err); }
  };
  useEffect(() => { void auditFiltersOnServer().then(setServerFilters); }, []);
  // The first page once the contract is read; again when a filter changes and the API filters (after a pause in typing).
  const filterKey = serverFilters ? `${text}\u0000${outcome}` : '';
  useEffect(() => {
    if (serverFilters === undefined) return undefined;
    const timer = setTimeout(() => void load(null), filterKey ? 300 : 0);
    return () => clearTimeout(timer);
  }, [serverFilters, filterKey]);
  const needle = text.trim().toLowerCase();
  const shown = serverFilters ? entries : entries.filter((e) => (!outcome || e.outcome === outcome)
    && (!needle || [e.actor_email, e.action, e.target].some((v) => v?.toLowerCase().includes(needle))));
  return (
    <>
      <h1>{t('activity.title')}</h1>
      {failure ? <Notice kind="error">{failureText(failure)}</Notice> : null}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label={t('activity.search')} name="q" value={text} onInput={setText} />
        <SelectField label={t('activity.outcome')} name="outcome" value={outcome} onChange={setOutcome}
          options={[{ value: '', label: t('activity.allOutcomes') }, ...OUTCOMES.map((o) => ({ value: o, label: term(o) }))]} />
      </form>
      <DataTable caption={t('activity.title')} rows={shown} rowKey={(e) => String(e.id)} columns={[
        { key: 'at', label: t('activity.at'), cell: (e) => <time dateTime={e.created_at ?? e.at ?? ''}>{formatDate(e.created_at ?? e.at)}</time> },
        { key: 'actor', label: t('activity.actor'), cell: (e) => e.actor_email ?? e.actor ?? '—' },
        { key: 'action', label: t('activity.action'), cell: (e) => <code>{e.action}</code> },
        { key: 'target', label: t('activity.target'), cell: (e) => e.target ?? '—' },
        { key: 'outcome', label: t('activity.outcome'), cell: (e) => <span class={`badge badge-${e.outcome}`}>{term(e.outcome)}</span> },
      ]} />
      {next ? <button type="button" class="secondary" onClick={() => load(next)}>{t('activity.older')}</button> : null}
    </>
  );
}

export const activityRoute: PageRoute = { path: '/activity', component: ActivityPage, title: 'activity.title', permission: 'audit.read', nav: { label: 'nav.activity', order: 10 } };
