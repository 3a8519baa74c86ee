// Activity: the audit log (GET /api/v1/audit), newest first, with filters on outcome and on
// who, what or target, and older entries page by page.
import { useEffect, useState } from 'preact/hooks';
import { audit, type AuditEntry } from '../api.js';
import { Notice, SelectField, TextField, failureText } from '../components/forms.js';
import { DataTable } from '../components/table.js';
import { formatDate, t } from '../i18n/index.js';
import type { PageProps, PageRoute } from '../routes.js';

const PAGE = 100;

export function ActivityPage(_props: PageProps) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(true);
  const [failure, setFailure] = useState<unknown>();
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState('');
  const load = async (before?: number) => {
    try {
      const page = await audit({ limit: PAGE, before_id: before });
      setEntries((old) => (before ? [...old, ...page] : page));
      setMore(page.length === PAGE);
    } catch (err) { setFailure(err); }
  };
  useEffect(() => { void load(); }, []);
  const needle = text.trim().toLowerCase();
  const shown = entries.filter((e) => (!outcome || e.outcome === outcome)
    && (!needle || [e.actor_email, e.action, e.target].some((v) => v?.toLowerCase().includes(needle))));
  const outcomes = [...new Set(entries.map((e) => e.outcome))].sort();
  return (
    <>
      <h1>{t('activity.title')}</h1>
      {failure ? <Notice kind="error">{failureText(failure)}</Notice> : null}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label={t('activity.search')} name="q" value={text} onInput={setText} />
        <SelectField label={t('activity.outcome')} name="outcome" value={outcome} onChange={setOutcome}
          options={[{ value: '', label: t('activity.allOutcomes') }, ...outcomes.map((o) => ({ value: o, label: o }))]} />
      </form>
      <DataTable caption={t('activity.title')} rows={shown} rowKey={(e) => String(e.id)} columns={[
        { key: 'at', label: t('activity.at'), cell: (e) => <time dateTime={e.at ?? ''}>{formatDate(e.at)}</time> },
        { key: 'actor', label: t('activity.actor'), cell: (e) => e.actor_email ?? e.actor ?? '—' },
        { key: 'action', label: t('activity.action'), cell: (e) => <code>{e.action}</code> },
        { key: 'target', label: t('activity.target'), cell: (e) => e.target ?? '—' },
        { key: 'outcome', label: t('activity.outcome'), cell: (e) => <span class={`badge badge-${e.outcome}`}>{e.outcome}</span> },
      ]} />
      {more && entries.length > 0
        ? <button type="button" class="secondary" onClick={() => load(entries[entries.length - 1]!.id)}>{t('activity.older')}</button>
        : null}
    </>
  );
}

export const activityRoute: PageRoute = { path: '/activity', component: ActivityPage, title: 'activity.title', permission: 'audit.read', nav: { label: 'nav.activity', order: 10 } };
