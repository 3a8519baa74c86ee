// Custom Apps: the apps made for this organisation (GET /custom-apps answers only the caller's
// organisation's), with each version's review status.
import { customApps } from '../api-pages.js';
import { useLoad } from '../components/page-parts.js';
import { DataTable } from '../components/table.js';
import { formatDate, t } from '../i18n/index.js';
import type { PageProps, PageRoute } from '../routes.js';

export function CustomAppsPage(_props: PageProps) {
  const apps = useLoad(customApps);
  return (
    <>
      <h1>{t('custom.title')}</h1>
      <p>{t('custom.intro')}</p>
      {apps.notice}
      <DataTable caption={t('custom.title')} rows={apps.data ?? []} rowKey={(a) => a.adam_id} columns={[
        { key: 'name', label: t('custom.name'), cell: (a) => a.name },
        { key: 'developer', label: t('custom.developer'), cell: (a) => a.developer },
        { key: 'bundle_id', label: t('custom.bundle'), cell: (a) => <code>{a.bundle_id}</code> },
        { key: 'platforms', label: t('custom.platforms'), cell: (a) => a.platforms.join(', ') },
        { key: 'versions', label: t('custom.versions'), cell: (a) => (
          <ul class="plain">{a.versions.map((v) => <li>{t('custom.version', { version: v.version, status: v.review_status, at: formatDate(v.reviewed_at ?? v.submitted_at) })}</li>)}</ul>
        ) },
      ]} />
    </>
  );
}

export const customAppsRoute: PageRoute = { path: '/custom-apps', component: CustomAppsPage, title: 'custom.title', permission: 'content.read', nav: { label: 'nav.customApps', order: 40 } };
