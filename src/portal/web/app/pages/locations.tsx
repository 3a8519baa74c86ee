// Locations: the organisation's locations; create one; rename one or change its address; delete
// one (refused, with the reason, while accounts or content belong to it); a location's licences
// and its content token (state, download: each download is a new token and revokes the previous one).
import { useState } from 'preact/hooks';
import { contentTokenStatus, createLocation, deleteLocation, downloadContentToken, licences, locations, updateLocation, type Location } from '../api-pages.js';
import { TextField, problemAt, useAction, useConfirm } from '../components/forms.js';
import { Section, can, useLoad, yesNo } from '../components/page-parts.js';
import { DataTable } from '../components/table.js';
import { formatDate, t } from '../i18n/index.js';
import type { Me } from '../api.js';
import type { PageProps, PageRoute } from '../routes.js';

export function LocationsPage(props: PageProps) {
  const list = useLoad(locations);
  const [shown, setShown] = useState<Location>();
  return (
    <>
      <h1>{t('locations.title')}</h1>
      {list.notice}
      <DataTable caption={t('locations.title')} rows={list.data ?? []} rowKey={(l) => l.id} columns={[
        { key: 'name', label: t('locations.name'), cell: (l) => l.name },
        { key: 'address', label: t('locations.address'), cell: (l) => l.address || '—' },
        { key: 'country', label: t('locations.country'), cell: (l) => l.country },
        { key: 'currency', label: t('locations.currency'), cell: (l) => l.currency },
        { key: 'open', label: t('locations.open'), hiddenLabel: true, cell: (l) => (can(props.me, 'content.read')
          ? <button type="button" class="secondary small" aria-label={t('locations.openOne', { name: l.name })} onClick={() => setShown(l)}>{t('locations.open')}</button> : null) },
      ]} />
      {shown ? (
        <>
          {can(props.me, 'locations.manage') ? <EditLocation key={`edit-${shown.id}`} location={shown} onDone={async (l) => { await list.reload(); setShown(l); }} /> : null}
          <LocationDetail key={shown.id} location={shown} me={props.me} />
        </>
      ) : null}
      <Section me={props.me} permission="locations.manage" title={t('locations.create')}>
        <Create onDone={list.reload} />
      </Section>
    </>
  );
}

function Create(props: { onDone: () => void }) {
  const blank = { name: '', address: '', country: '', currency: '' };
  const [f, setF] = useState(blank);
  const act = useAction();
  const submit = async () => { if (await act.run(() => createLocation(f), (l) => t('locations.created', { name: l.name }))) { setF(blank); props.onDone(); } };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
      <TextField label={t('locations.name')} name="name" required value={f.name} onInput={(name) => setF({ ...f, name })} error={problemAt(act.failure, '/body/name')} />
      <TextField label={t('locations.address')} name="address" value={f.address} onInput={(address) => setF({ ...f, address })} error={problemAt(act.failure, '/body/address')} />
      <TextField label={t('locations.country')} name="country" value={f.country} onInput={(country) => setF({ ...f, country })} error={problemAt(act.failure, '/body/country')} />
      <TextField label={t('locations.currency')} name="currency" value={f.currency} onInput={(currency) => setF({ ...f, currency })} error={problemAt(act.failure, '/body/currency')} />
      <button type="submit" disabled={act.busy}>{t('locations.createButton')}</button>
      {act.notices}
    </form>
  );
}

/** Rename a location, change its address, or delete it (`onDone(undefined)` once deleted). */
function EditLocation(props: { location: Location; onDone: (l: Location | undefined) => Promise<void> }) {
  const l = props.location;
  const [f, setF] = useState({ name: l.name, address: l.address });
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const save = async () => { const r = await act.run(() => updateLocation(l.id, f), () => t('form.saved')); if (r) await props.onDone(r); };
  const remove = async () => {
    if (!(await confirm(t('locations.deleteConfirm', { name: l.name })))) return;
    if (await act.run(() => deleteLocation(l.id).then(() => true))) await props.onDone(undefined);
  };
  return (
    <section class="panel" aria-label={t('locations.editOne', { name: l.name })}>
      {dialog}
      <h2>{t('locations.editOne', { name: l.name })}</h2>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
        <TextField label={t('locations.name')} name="edit_name" required value={f.name} onInput={(name) => setF({ ...f, name })} error={problemAt(act.failure, '/body/name')} />
        <TextField label={t('locations.address')} name="edit_address" value={f.address} onInput={(address) => setF({ ...f, address })} error={problemAt(act.failure, '/body/address')} />
        <div class="inline">
          <button type="submit" disabled={act.busy}>{t('locations.save')}</button>
          <button type="button" class="danger" disabled={act.busy} onClick={() => void remove()}>{t('locations.delete')}</button>
        </div>
      </form>
      {act.notices}
    </section>
  );
}

/** A location's licences and content token (shared with Preferences > Apps and Books). */
export function LocationDetail(props: { location: Location; me: Me }) {
  const l = props.location;
  const lic = useLoad(() => licences(l.id), [l.id]);
  const token = useLoad(() => contentTokenStatus(l.id), [l.id]);
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const download = async () => {
    if (token.data?.active && !(await confirm(t('locations.tokenReplaceConfirm', { name: l.name })))) return;
    await act.run(() => downloadContentToken(l), () => t('locations.tokenDownloaded'));
    await token.reload();
  };
  return (
    <section class="panel" aria-label={l.name}>
      {dialog}
      <h2>{l.name}</h2>
      <h3>{t('locations.licences')}</h3>
      {lic.notice}
      <DataTable caption={t('locations.licences')} rows={lic.data ?? []} rowKey={(x) => `${x.adam_id}-${x.pricing_param}`} columns={[
        { key: 'name', label: t('apps.item'), cell: (x) => x.name },
        { key: 'total', label: t('apps.bought'), cell: (x) => x.total },
        { key: 'in_use', label: t('apps.inUse'), cell: (x) => x.in_use },
        { key: 'available', label: t('apps.available'), cell: (x) => x.available },
        { key: 'device_assignable', label: t('locations.deviceAssignable'), cell: (x) => yesNo(x.device_assignable) },
      ]} />
      <h3>{t('locations.token')}</h3>
      {token.notice}
      {token.data ? (
        <dl class="facts">
          <dt>{t('locations.tokenActive')}</dt><dd>{yesNo(token.data.active)}</dd>
          <dt>{t('locations.tokenIssued')}</dt><dd>{formatDate(token.data.issued_at)}</dd>
          <dt>{t('locations.tokenExpires')}</dt><dd>{formatDate(token.data.expires_at)}</dd>
        </dl>
      ) : null}
      {can(props.me, 'content.manage') ? <button type="button" class="secondary" disabled={act.busy} onClick={download}>{t('locations.tokenDownload')}</button> : null}
      {act.notices}
    </section>
  );
}

export const locationsRoute: PageRoute = { path: '/locations', component: LocationsPage, title: 'locations.title', permission: 'org.read', nav: { label: 'nav.locations', order: 60 } };
