// Apps and Books: search the catalogue (apps and books, by platform and category), buy a
// quantity for a location with its credit or a company card, licences bought and in use per item
// and location, transfer licences between locations, assign an item to devices or device families
// and see, per device, whether it is installed (the device's InstalledApplicationList, from
// GET /devices/{serial}/mdm), and revoke.
import { useState } from 'preact/hooks';
import {
  assignContent, cards, catalog, catalogItem, purchase, purchaseSummary, revokeContent, transferLicences, locations,
  type CatalogItem, type Location, type TargetResult, FAMILIES,
} from '../api-pages.js';
import { deviceMdm } from '../api.js';
import { SelectField, TextField, problemAt, useAction, useConfirm } from '../components/forms.js';
import { Checkboxes, Section, TextArea, can, serialsOf, useLoad } from '../components/page-parts.js';
import { DataTable } from '../components/table.js';
import { t, term } from '../i18n/index.js';
import { href } from '../router.js';
import type { PageProps, PageRoute } from '../routes.js';

export function AppsPage(props: PageProps) {
  const locs = useLoad(locations);
  const summary = useLoad(purchaseSummary);
  const [locationId, setLocationId] = useState('');
  const loc = locs.data?.find((l) => l.id === locationId) ?? locs.data?.[0];
  const manage = can(props.me, 'content.manage');
  return (
    <>
      <h1>{t('apps.title')}</h1>
      {locs.notice}
      <div class="row">
        <SelectField label={t('apps.location')} name="location" value={loc?.id ?? ''} onChange={setLocationId}
          options={(locs.data ?? []).map((l) => ({ value: l.id, label: l.name }))} />
      </div>
      {loc ? <Catalogue location={loc} manage={manage} onBought={summary.reload} /> : null}
      <section class="panel" aria-labelledby="licences-title">
        <h2 id="licences-title">{t('apps.licences')}</h2>
        {summary.notice}
        <DataTable caption={t('apps.licences')} rows={summary.data ?? []} rowKey={(i) => i.adam_id} columns={[
          { key: 'name', label: t('apps.item'), cell: (i) => i.name },
          { key: 'purchased', label: t('apps.bought'), cell: (i) => i.purchased },
          { key: 'in_use', label: t('apps.inUse'), cell: (i) => i.in_use },
          { key: 'available', label: t('apps.available'), cell: (i) => i.available },
          { key: 'locations', label: t('apps.perLocation'), cell: (i) => (
            <ul class="plain">{i.locations.map((l) => <li>{t('apps.locationLine', { name: locs.data?.find((x) => x.id === l.location_id)?.name ?? l.location_id, total: l.total, in_use: l.in_use })}</li>)}</ul>
          ) },
        ]} />
      </section>
      {manage && loc && summary.data ? <Transfer items={summary.data} locations={locs.data ?? []} onDone={summary.reload} /> : null}
      {loc && summary.data ? (
        <Section me={props.me} permission="content.manage" title={t('apps.assignTitle')}>
          <Assign location={loc} items={summary.data.filter((i) => i.locations.some((l) => l.location_id === loc.id))} onDone={summary.reload} />
        </Section>
      ) : null}
    </>
  );
}

function Catalogue(props: { location: Location; manage: boolean; onBought: () => void }) {
  const [f, setF] = useState({ q: '', media: '', platform: '', category: '' });
  const [items, setItems] = useState<CatalogItem[]>();
  const [chosen, setChosen] = useState<CatalogItem>();
  const search = useAction();
  const go = async () => { const r = await search.run(() => catalog({ ...f, location_id: props.location.id })); if (r) setItems(r); };
  return (
    <section class="panel" aria-labelledby="catalogue-title">
      <h2 id="catalogue-title">{t('apps.catalogue')}</h2>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); void go(); }} noValidate>
        <TextField label={t('apps.search')} name="q" type="search" value={f.q} onInput={(q) => setF({ ...f, q })} />
        <SelectField label={t('apps.media')} name="media" value={f.media} onChange={(media) => setF({ ...f, media })}
          options={[{ value: '', label: t('apps.allMedia') }, { value: 'apps', label: t('apps.apps') }, { value: 'books', label: t('apps.books') }]} />
        <SelectField label={t('apps.platform')} name="platform" value={f.platform} onChange={(platform) => setF({ ...f, platform })}
          options={[{ value: '', label: t('apps.allPlatforms') }, ...['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'].map((p) => ({ value: p, label: p }))]} />
        <TextField label={t('apps.category')} name="category" value={f.category} onInput={(category) => setF({ ...f, category })} />
        <div class="field"><button type="submit" disabled={search.busy}>{t('apps.searchButton')}</button></div>
      </form>
      {search.notices}
      {items ? (
        <DataTable caption={t('apps.catalogue')} rows={items} rowKey={(i) => i.adam_id} columns={[
          { key: 'name', label: t('apps.item'), cell: (i) => i.name },
          { key: 'media', label: t('apps.media'), cell: (i) => i.media },
          { key: 'category', label: t('apps.category'), cell: (i) => i.category },
          { key: 'platforms', label: t('apps.platform'), cell: (i) => i.platforms.join(', ') },
          { key: 'price', label: t('apps.price'), cell: (i) => (i.price ? `${i.price.amount} ${i.price.currency}` : '—') },
          { key: 'buy', label: t('apps.buy'), hiddenLabel: true, cell: (i) => (props.manage
            ? <button type="button" class="secondary small" aria-label={t('apps.buyItem', { name: i.name })} onClick={() => setChosen(i)}>{t('apps.buy')}</button> : null) },
        ]} />
      ) : null}
      {chosen ? <Buy item={chosen} location={props.location} onBought={props.onBought} /> : null}
    </section>
  );
}

function Buy(props: { item: CatalogItem; location: Location; onBought: () => void }) {
  const cardList = useLoad(cards);
  const [quantity, setQuantity] = useState('1');
  const [pay, setPay] = useState('credit');
  const act = useAction();
  const submit = async () => {
    const r = await act.run(() => purchase({ location_id: props.location.id, adam_id: props.item.adam_id, quantity: Number(quantity), card_id: pay === 'credit' ? null : pay }),
      (p) => t('apps.bought.done', { quantity: p.quantity, name: p.name, location: props.location.name }));
    if (r) props.onBought();
  };
  return (
    <form class="panel" aria-label={t('apps.buyItem', { name: props.item.name })} onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
      <h3>{t('apps.buyItem', { name: props.item.name })}</h3>
      {cardList.notice}
      <div class="row">
        <TextField label={t('apps.quantity')} name="quantity" value={quantity} onInput={setQuantity} error={problemAt(act.failure, '/body/quantity')} />
        <SelectField label={t('apps.payWith')} name="payment" value={pay} onChange={setPay}
          options={[{ value: 'credit', label: t('apps.credit', { location: props.location.name }) }, ...(cardList.data ?? []).map((c) => ({ value: c.id, label: t('apps.card', { label: c.label, last4: c.last4 }) }))]} />
        <div class="field"><button type="submit" disabled={act.busy}>{t('apps.buyButton')}</button></div>
      </div>
      {act.notices}
    </form>
  );
}

function Transfer(props: { items: Array<{ adam_id: string; name: string }>; locations: Location[]; onDone: () => void }) {
  const [f, setF] = useState({ adam_id: props.items[0]?.adam_id ?? '', from: props.locations[0]?.id ?? '', to: props.locations[1]?.id ?? props.locations[0]?.id ?? '', quantity: '1' });
  const act = useAction();
  const locOptions = props.locations.map((l) => ({ value: l.id, label: l.name }));
  const submit = async () => {
    const r = await act.run(() => transferLicences({ adam_id: f.adam_id, from_location_id: f.from, to_location_id: f.to, quantity: Number(f.quantity) }), () => t('apps.transferred'));
    if (r !== undefined) props.onDone();
  };
  return (
    <section class="panel" aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('apps.transferTitle')}</h2>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <SelectField label={t('apps.item')} name="adam_id" value={f.adam_id} onChange={(adam_id) => setF({ ...f, adam_id })} options={props.items.map((i) => ({ value: i.adam_id, label: i.name }))} />
        <SelectField label={t('apps.from')} name="from" value={f.from} onChange={(from) => setF({ ...f, from })} options={locOptions} />
        <SelectField label={t('apps.to')} name="to" value={f.to} onChange={(to) => setF({ ...f, to })} options={locOptions} />
        <TextField label={t('apps.quantity')} name="quantity" value={f.quantity} onInput={(quantity) => setF({ ...f, quantity })} error={problemAt(act.failure, '/body/quantity')} />
        <div class="field"><button type="submit" disabled={act.busy}>{t('apps.transferButton')}</button></div>
      </form>
      {act.notices}
    </section>
  );
}

type Installed = Record<string, boolean | null>;

function Assign(props: { location: Location; items: Array<{ adam_id: string; name: string }>; onDone: () => void }) {
  const [adamId, setAdamId] = useState(props.items[0]?.adam_id ?? '');
  const [serials, setSerials] = useState('');
  const [families, setFamilies] = useState<string[]>([]);
  const [results, setResults] = useState<TargetResult[]>();
  const [installed, setInstalled] = useState<Installed>({});
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const item = props.items.find((i) => i.adam_id === adamId) ?? props.items[0];
  const check = useAction();
  /**
   * Whether each device of the results lists the item's bundle among its installed apps (its
   * latest InstalledApplicationList answer, GET /devices/{serial}/mdm), eight devices at a time.
   */
  const checkInstalls = (rows: TargetResult[]) => check.run(async () => {
    if (!item) return;
    const { bundle_id: bundle } = await catalogItem(item.adam_id);
    const serials = rows.map((r) => r.serial_number).filter((s): s is string => !!s);
    const out: Installed = {};
    for (let i = 0; i < serials.length; i += 8) {
      await Promise.all(serials.slice(i, i + 8).map(async (serial) => {
        const apps = (await deviceMdm(serial)).installed_apps?.items;
        out[serial] = apps && bundle ? apps.some((a) => a.identifier === bundle) : null;
      }));
    }
    setInstalled(out);
  });
  const assign = async () => {
    if (!item) return;
    const r = await act.run(() => assignContent({ location_id: props.location.id, adam_id: item.adam_id, serial_numbers: serialsOf(serials), families }),
      (rows) => t('apps.assigned', { count: rows.filter((x) => x.status === 'associated' || x.status === 'already_associated').length, name: item.name }));
    if (r) { setResults(r); setInstalled({}); props.onDone(); }
  };
  const revoke = async () => {
    if (!item || !(await confirm(t('apps.revokeConfirm', { name: item.name })))) return;
    const r = await act.run(() => revokeContent({ location_id: props.location.id, adam_id: item.adam_id, serial_numbers: serialsOf(serials) }),
      (rows) => t('apps.revoked', { count: rows.filter((x) => x.status === 'removed').length }));
    if (r) { setResults(r); props.onDone(); }
  };
  if (!item) return <p>{t('apps.noLicences')}</p>;
  return (
    <>
      {dialog}
      <form onSubmit={(e) => { e.preventDefault(); void assign(); }} noValidate>
        <SelectField label={t('apps.item')} name="assign_item" value={item.adam_id} onChange={setAdamId} options={props.items.map((i) => ({ value: i.adam_id, label: i.name }))} />
        <TextArea label={t('apps.serials')} name="serial_numbers" value={serials} onInput={setSerials} hint={t('apps.serialsHint')} error={problemAt(act.failure, '/body/serial_numbers')} />
        <Checkboxes legend={t('apps.families')} values={FAMILIES} checked={families} onChange={setFamilies} />
        <div class="inline">
          <button type="submit" disabled={act.busy}>{t('apps.assignButton')}</button>
          <button type="button" class="danger" disabled={act.busy || serialsOf(serials).length === 0} onClick={revoke}>{t('apps.revokeButton')}</button>
        </div>
      </form>
      {act.notices}
      {results ? (
        <>
          <DataTable caption={t('apps.results')} rows={results} rowKey={(r) => r.serial_number || r.client_user_id || ''} columns={[
            { key: 'serial_number', label: t('apps.device'), cell: (r) => (r.serial_number ? <a href={href(`/devices/${encodeURIComponent(r.serial_number)}`)}>{r.serial_number}</a> : r.client_user_id) },
            { key: 'status', label: t('apps.status'), cell: (r) => <span class={`badge badge-${r.status}`}>{term(r.status)}</span> },
            { key: 'reason', label: t('apps.reason'), cell: (r) => r.reason ?? '—' },
            { key: 'command', label: t('apps.command'), cell: (r) => (r.command_uuid ? <code>{r.command_uuid}</code> : '—') },
            { key: 'installed', label: t('apps.installed'), cell: (r) => { const v = r.serial_number ? installed[r.serial_number] : undefined; return v === undefined ? '—' : v === null ? t('apps.notReported') : v ? t('apps.installedYes') : t('apps.installedNo'); } },
          ]} />
          <button type="button" class="secondary" disabled={check.busy} onClick={() => void checkInstalls(results)}>{t('apps.checkInstalls')}</button>
          {check.notices}
        </>
      ) : null}
    </>
  );
}

export const appsRoute: PageRoute = { path: '/apps', component: AppsPage, title: 'apps.title', permission: 'content.read', nav: { label: 'nav.apps', order: 30 } };
