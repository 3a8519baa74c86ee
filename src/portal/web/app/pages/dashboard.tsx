// The home dashboard: one aggregated read (GET /api/v1/dashboard) drawn as charts, and what
// expires next. Sections the caller's roles do not cover come back null and are not drawn.
import { useEffect, useState } from 'preact/hooks';
import { dashboard, type Dashboard } from '../api.js';
import { ChartFigure } from '../components/chart.js';
import { Notice, failureText } from '../components/forms.js';
import { formatDate, t, term, type MessageKey } from '../i18n/index.js';
import type { PageProps, PageRoute } from '../routes.js';

export function DashboardPage(_props: PageProps) {
  const [data, setData] = useState<Dashboard>();
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => { dashboard().then(setData, setFailure); }, []);
  if (failure) return <Notice kind="error">{failureText(failure)}</Notice>;
  if (!data) return <p>{t('app.loading')}</p>;
  const d = data.devices;
  return (
    <>
      <h1>{t('dash.title')}</h1>
      <div class="charts">
        {d ? (
          <ChartFigure kind="doughnut" title={`${t('dash.devicesByFamily')} (${t('dash.total', { count: d.total })})`}
            labels={Object.keys(d.by_family)} series={[{ label: t('nav.devices'), values: Object.values(d.by_family) }]} />
        ) : null}
        {d ? (
          <ChartFigure kind="bar" title={t('dash.devicesByServer')}
            labels={d.by_mdm_server.map((s) => s.name ?? t('dash.unassigned'))} series={[{ label: t('nav.devices'), values: d.by_mdm_server.map((s) => s.count) }]} />
        ) : null}
        {data.enrolments ? (
          <ChartFigure kind="doughnut" title={t('dash.enrolment')}
            labels={Object.keys(data.enrolments).map(term)} series={[{ label: t('dash.enrolment'), values: Object.values(data.enrolments) }]} />
        ) : null}
        {data.commands_last_day ? (
          <ChartFigure kind="bar" title={t('dash.commands')}
            labels={Object.keys(data.commands_last_day).map(term)} series={[{ label: t('dash.commands'), values: Object.values(data.commands_last_day) }]} />
        ) : null}
        {data.licences ? (
          <ChartFigure kind="bar" title={t('dash.licences')} labels={data.licences.map((l) => l.name)}
            series={[{ label: t('dash.licencesUsed'), values: data.licences.map((l) => l.in_use) }, { label: t('dash.licencesBought'), values: data.licences.map((l) => l.bought) }]} />
        ) : null}
      </div>
      <section aria-labelledby="expiring-title">
        <h2 id="expiring-title">{t('dash.expiring')}</h2>
        {data.expiring.length === 0 ? <p>{t('dash.nothingExpires')}</p> : (
          <table>
            <thead><tr><th scope="col">{t('dash.expiresKind')}</th><th scope="col">{t('dash.expiresName')}</th><th scope="col">{t('dash.expiresAt')}</th></tr></thead>
            <tbody>
              {data.expiring.map((e) => (
                <tr><td>{t(`dash.kind.${e.kind}` as MessageKey)}</td><td>{e.name}</td><td><time dateTime={e.expires_at}>{formatDate(e.expires_at)}</time></td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export const dashboardRoute: PageRoute = { path: '/', component: DashboardPage, title: 'dash.title', permission: 'org.read', nav: { label: 'nav.dashboard', order: 0 } };
