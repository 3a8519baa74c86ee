// Devices: the organisation's devices, paged, sorted and filtered by the API; assign or
// unassign a selection, an order or a CSV of serial numbers (sent in chunks of 1,000 with a
// progress bar and an outcome per serial); release with confirmation; the device CSV.
import { useEffect, useState } from 'preact/hooks';
import {
  ApiFailure, assignDevices, deviceCsv, devices, devicesSortable, mdmServers, releaseDevices, unassignDevices,
  type AssignOutcome, type Device, type DeviceQuery, type MdmServer, type Page, type Selection,
} from '../api.js';
import { Field, Notice, Progress, SelectField, TextField, failureText, useAction, useConfirm } from '../components/forms.js';
import { DataTable, Pager } from '../components/table.js';
import { batches, serialsOfCsv } from '../csv.js';
import { t, term } from '../i18n/index.js';
import { href } from '../router.js';
import type { PageProps, PageRoute } from '../routes.js';

const FAMILIES = ['iPhone', 'iPad', 'iPod', 'Mac', 'AppleTV'];
export const CHUNK = 1000;

interface Outcome { serial_number: string; outcome: string }

/** Outcomes per serial from one chunk's answer (the API's per-target results when it gives them). */
function outcomesOf(serials: string[], kind: 'assign' | 'unassign', r: AssignOutcome): Outcome[] {
  if (Array.isArray(r.results)) return r.results.map((x) => ({ serial_number: x.serial_number, outcome: x.outcome ?? x.status ?? x.code ?? 'done' }));
  if (kind === 'assign') {
    const moved = new Set(r.moved_serial_numbers ?? r.moved_serials ?? []);
    return serials.map((s) => ({ serial_number: s, outcome: moved.has(s) ? 'moved' : 'assigned' }));
  }
  const not = new Set(r.not_assigned_serial_numbers ?? (Array.isArray(r.not_assigned) ? r.not_assigned : []));
  return serials.map((s) => ({ serial_number: s, outcome: not.has(s) ? 'not_assigned' : 'unassigned' }));
}

/**
 * Outcomes of a refused chunk: the API's per-target results when it gives them; else the serials
 * it names (details.serials) are refused and the rest of the chunk is left unchanged (one
 * refused serial stops its whole chunk: the API changes all or nothing).
 */
function refusedOutcomes(serials: string[], err: unknown): Outcome[] {
  const reason = err instanceof ApiFailure ? err.message : failureText(err);
  const results = err instanceof ApiFailure && Array.isArray(err.details.results) ? err.details.results as Array<{ serial_number: string; code?: string; message?: string; outcome?: string }> : undefined;
  if (results) return results.map((x) => ({ serial_number: x.serial_number, outcome: x.code || x.message ? `refused:${x.message ?? x.code}` : x.outcome ?? 'skipped' }));
  const listed = err instanceof ApiFailure ? err.details.serial_numbers ?? err.details.serials : undefined;
  const named = Array.isArray(listed) ? new Set(listed as string[]) : undefined;
  return serials.map((s) => ({ serial_number: s, outcome: !named || named.has(s) ? `refused:${reason}` : 'skipped' }));
}

const isRefused = (o: Outcome) => o.outcome.startsWith('refused:');
/** The table shows refused serials first and at most SHOWN rows; the download has them all. */
const SHOWN = 1000;
const shownOutcomes = (all: Outcome[]) => [...all.filter(isRefused), ...all.filter((o) => !isRefused(o))].slice(0, SHOWN);

/** Saves every outcome as a CSV (serial_number,outcome), made in the browser from the answers. */
function saveOutcomes(all: Outcome[]): void {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = ['serial_number,outcome', ...all.map((o) => `${cell(o.serial_number)},${cell(outcomeText(o.outcome))}`)].join('\n') + '\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'device-outcomes.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const outcomeText = (o: string) => (o.startsWith('refused:') ? t('devices.outcome.refused', { reason: o.slice(8) })
  : (['assigned', 'moved', 'unchanged', 'unassigned', 'not_assigned', 'released', 'skipped'].includes(o) ? t(`devices.outcome.${o}` as 'devices.outcome.assigned') : o));

export function DevicesPage({ me }: PageProps) {
  const canManage = me.permissions.includes('devices.manage');
  const [query, setQuery] = useState<DeviceQuery>({ sort: 'serial_number', limit: 50 });
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page<Device>>();
  const [servers, setServers] = useState<MdmServer[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [serverId, setServerId] = useState('');
  const [order, setOrder] = useState('');
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [listFailure, setListFailure] = useState<unknown>();
  const [sortable, setSortable] = useState(false);
  const action = useAction();
  const [confirmEl, confirm] = useConfirm();
  const cursor = cursors[cursors.length - 1] ?? null;

  const reload = () => devices({ ...query, cursor }).then((p) => { setPage(p); setListFailure(undefined); }, setListFailure);
  useEffect(() => { void reload(); }, [JSON.stringify(query), cursor]);
  useEffect(() => { mdmServers().then(setServers, () => setServers([])); void devicesSortable().then(setSortable); }, []);
  const filter = (patch: Partial<DeviceQuery>) => { setQuery((q) => ({ ...q, ...patch })); setCursors([null]); };
  // Typed filters reach the API once typing pauses, not on every key.
  const [typed, setTyped] = useState<{ serial_number: string; order_number: string }>({ serial_number: '', order_number: '' });
  useEffect(() => {
    const timer = setTimeout(() => filter({ serial_number: typed.serial_number.trim() || undefined, order_number: typed.order_number.trim() || undefined }), 300);
    return () => clearTimeout(timer);
  }, [typed.serial_number, typed.order_number]);

  const needServer = () => { if (!serverId) { action.fail(t('devices.pickServer')); return false; } return true; };
  const onSelection = async (kind: 'assign' | 'unassign') => {
    if (!needServer()) return;
    const serials = [...selected];
    const r = await action.run(() => (kind === 'assign' ? assignDevices : unassignDevices)(serverId, { serial_numbers: serials }), () => t('devices.done', { count: serials.length }));
    if (r) { setOutcomes(outcomesOf(serials, kind, r)); setSelected(new Set()); void reload(); }
  };
  const onOrder = async () => {
    if (!needServer()) return;
    const r = await action.run(() => assignDevices(serverId, { order_numbers: [order.trim()] }), (x) => t('devices.done', { count: (x.assigned ?? 0) + (x.unchanged ?? 0) }));
    if (r) void reload();
  };
  const onCsv = async (kind: 'assign' | 'unassign') => {
    if (!needServer()) return;
    if (!file) { action.fail(t('devices.noCsv')); return; }
    const serials = serialsOfCsv(await file.text());
    const all: Outcome[] = [];
    setOutcomes([]);
    setProgress({ done: 0, total: serials.length });
    await action.run(async () => {
      for (const chunk of batches(serials, CHUNK)) {
        const sel: Selection = { csv: chunk.join('\n') + '\n' };
        try {
          all.push(...outcomesOf(chunk, kind, await (kind === 'assign' ? assignDevices : unassignDevices)(serverId, sel)));
        } catch (err) {
          if (err instanceof ApiFailure && err.status === 401) throw err;
          all.push(...refusedOutcomes(chunk, err));
        }
        setProgress({ done: all.length, total: serials.length });
        setOutcomes([...all]);
      }
    }, () => t('devices.done', { count: all.filter((o) => !isRefused(o) && o.outcome !== 'skipped').length }));
    void reload();
  };
  const onRelease = async () => {
    const serials = [...selected];
    if (!(await confirm(t('devices.releaseConfirm', { count: serials.length })))) return;
    const r = await action.run(() => releaseDevices({ serial_numbers: serials }), (x) => t('devices.done', { count: x.released }));
    if (r) { setOutcomes(serials.map((s) => ({ serial_number: s, outcome: 'released' }))); setSelected(new Set()); void reload(); }
  };
  const toggle = (s: string) => { const n = new Set(selected); if (n.has(s)) n.delete(s); else n.add(s); setSelected(n); };
  const rows = page?.items ?? [];
  const allOnPage = rows.length > 0 && rows.every((d) => selected.has(d.serial_number));
  const serverOptions = [{ value: '', label: '—' }, ...servers.map((s) => ({ value: s.id, label: s.name }))];

  return (
    <>
      <h1>{t('devices.title')}</h1>
      {confirmEl}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label={t('devices.searchSerial')} name="serial_number" value={typed.serial_number} onInput={(v) => setTyped({ ...typed, serial_number: v })} />
        <SelectField label={t('devices.family')} name="family" value={query.family ?? ''} onChange={(v) => filter({ family: v || undefined })}
          options={[{ value: '', label: t('devices.allFamilies') }, ...FAMILIES.map((f) => ({ value: f, label: f }))]} />
        <SelectField label={t('devices.server')} name="mdm_server_id" value={query.mdm_server_id ?? ''} onChange={(v) => filter({ mdm_server_id: v || undefined })}
          options={[{ value: '', label: t('devices.allServers') }, ...servers.map((s) => ({ value: s.id, label: s.name }))]} />
        <TextField label={t('devices.order')} name="order_number" value={typed.order_number} onInput={(v) => setTyped({ ...typed, order_number: v })} />
      </form>
      <p><button type="button" class="secondary" onClick={() => action.run(deviceCsv)}>{t('devices.downloadCsv')}</button></p>
      {listFailure ? <Notice kind="error">{failureText(listFailure)}</Notice> : null}
      <DataTable caption={t('devices.title')} rows={rows} rowKey={(d) => d.serial_number} sort={sortable ? query.sort : undefined} onSort={sortable ? (sort) => filter({ sort }) : undefined} columns={[
        ...(canManage ? [{
          key: 'select', label: t('devices.selectColumn'), hiddenLabel: true, cell: (d: Device) => <input type="checkbox" checked={selected.has(d.serial_number)} onChange={() => toggle(d.serial_number)} aria-label={t('devices.select', { serial: d.serial_number })} />,
        }] : []),
        { key: 'serial_number', label: t('devices.serial'), sortable: true, cell: (d) => <a href={href(`/devices/${encodeURIComponent(d.serial_number)}`)}>{d.serial_number}</a> },
        { key: 'family', label: t('devices.family'), sortable: true, cell: (d) => d.family },
        { key: 'model', label: t('devices.model'), sortable: true, cell: (d) => d.model },
        { key: 'order_number', label: t('devices.order'), sortable: true, cell: (d) => d.order_number ?? '—' },
        { key: 'mdm_server', label: t('devices.server'), cell: (d) => d.mdm_server_name ?? '—' },
        // The enrolment state when the list carries it; until then the ADE profile status it does carry.
        rows.some((d) => 'enrolment_state' in d)
          ? { key: 'enrolment_state', label: t('devices.state'), cell: (d: Device) => term(d.enrolment_state) }
          : { key: 'profile_status', label: t('devices.profile'), cell: (d: Device) => term(d.profile_status as string | undefined) },
      ]} />
      {canManage && rows.length > 0 ? (
        <label class="inline"><input type="checkbox" checked={allOnPage} onChange={() => setSelected(allOnPage ? new Set() : new Set(rows.map((d) => d.serial_number)))} /> {t('devices.selectAll')}</label>
      ) : null}
      <Pager hasPrevious={cursors.length > 1} next={page?.next_cursor ?? null} onFirst={() => setCursors([null])} onNext={(c) => setCursors([...cursors, c])} />
      {canManage ? (
        <section class="panel" aria-labelledby="assign-title">
          <h2 id="assign-title">{t('devices.assign')}</h2>
          {action.notices}
          <SelectField label={t('devices.assignTo')} name="server" value={serverId} onChange={setServerId} options={serverOptions} />
          <div class="row">
            <span>{t('devices.selected', { count: selected.size })}</span>
            <button type="button" disabled={action.busy || selected.size === 0} onClick={() => onSelection('assign')}>{t('devices.assign')}</button>
            <button type="button" class="secondary" disabled={action.busy || selected.size === 0} onClick={() => onSelection('unassign')}>{t('devices.unassign')}</button>
            <button type="button" class="danger" disabled={action.busy || selected.size === 0} onClick={onRelease}>{t('devices.release')}</button>
          </div>
          <div class="row">
            <TextField label={t('devices.byOrder')} name="order" value={order} onInput={setOrder} />
            <button type="button" disabled={action.busy || !order.trim()} onClick={onOrder}>{t('devices.assignOrder')}</button>
          </div>
          <div class="row">
            <Field label={t('devices.csv')}>
              {({ id, describedBy }) => <input id={id} name="csv" type="file" accept=".csv,text/csv,text/plain" aria-describedby={describedBy}
                onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0])} />}
            </Field>
            <button type="button" disabled={action.busy} onClick={() => onCsv('assign')}>{t('devices.uploadCsv')}</button>
            <button type="button" class="secondary" disabled={action.busy} onClick={() => onCsv('unassign')}>{t('devices.unassignCsv')}</button>
          </div>
          {progress ? <Progress done={progress.done} total={progress.total} label={t('devices.progress', progress)} /> : null}
          {outcomes.length > 0 ? (
            <p class="row">
              <span>{t('devices.outcomeSummary', { refused: outcomes.filter(isRefused).length, total: outcomes.length })}</span>
              <button type="button" class="secondary" onClick={() => saveOutcomes(outcomes)}>{t('devices.downloadOutcomes')}</button>
            </p>
          ) : null}
          {outcomes.length > 0 ? (
            <DataTable caption={t('devices.outcome')} rows={shownOutcomes(outcomes)} rowKey={(o) => o.serial_number} columns={[
              { key: 'serial_number', label: t('devices.serial'), cell: (o) => o.serial_number },
              { key: 'outcome', label: t('devices.outcome'), cell: (o) => <span class={isRefused(o) ? 'bad' : o.outcome === 'skipped' ? '' : 'good'}>{outcomeText(o.outcome)}</span> },
            ]} />
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export const devicesRoute: PageRoute = { path: '/devices', component: DevicesPage, title: 'devices.title', permission: 'devices.read', nav: { label: 'nav.devices', order: 20 } };
