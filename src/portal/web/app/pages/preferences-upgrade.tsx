// Preferences' upgrade import (issue 16, docs/upgrade-import.md): an Administrator chooses the
// export file of an old Device Enrollment Program / Volume Purchase Program account; a dry run
// shows what it would bring (counts) and every refusal at its place in the file, in plain words;
// "Import" writes it all (or nothing) and shows the result, with the new MDM servers' token
// downloads; the list of past imports. The file's text goes to the API as it is: the API judges it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiFailure, type FieldProblem, type Me } from '../api.js';
import { downloadServerToken, mdmServersFull } from '../api-pages.js';
import { importUpgrade, planUpgradeImport, upgradeImports, type UpgradeCounts, type UpgradeImport as ImportRecord, type UpgradePlan, type UpgradeRefusal } from '../api-upgrade.js';
import { Notice, failureText, problemText, useAction } from '../components/forms.js';
import { FileField, can, useLoad } from '../components/page-parts.js';
import { DataTable } from '../components/table.js';
import { formatDate, t, type MessageKey } from '../i18n/index.js';
import { href } from '../router.js';

const COUNT_KEYS = ['servers', 'devices', 'orders', 'purchases', 'licences', 'content_tokens', 'invitations', 'existing_accounts'] as const;
/** The refusal codes said in plain words (the API's own sentence follows as the detail); others show the API's sentence only. */
const CODES = [
  'upgrade_already_imported', 'serial_taken', 'serial_exists', 'serial_duplicate', 'server_name_taken', 'server_name_duplicate', 'server_unknown',
  'default_family_duplicate', 'order_exists', 'order_date_mismatch', 'location_unknown', 'location_duplicate', 'product_unknown',
  's_token_invalid', 's_token_expired', 's_token_taken', 'email_taken', 'managed_apple_id_domain_unverified', 'purchaser_duplicate',
] as const;
const FIELDS = [
  'format', 'version', 'account_name', 'name', 'public_key', 'default_for', 'serial_number', 'model', 'device_family', 'order_number', 'order_date',
  'mdm_server', 's_token', 'adam_id', 'licence_count', 'pricing_param', 'given_name', 'family_name', 'email', 'managed_apple_id', 'location',
] as const;
const LISTS: Record<string, { key: MessageKey; name: (x: any) => unknown }> = {
  servers: { key: 'upgrade.place.server', name: (x) => x?.name },
  devices: { key: 'upgrade.place.device', name: (x) => x?.serial_number },
  locations: { key: 'upgrade.place.location', name: (x) => x?.name },
  purchasers: { key: 'upgrade.place.purchaser', name: (x) => x?.managed_apple_id ?? x?.email },
  purchases: { key: 'upgrade.place.purchase', name: (x) => x?.adam_id },
};

/** The file as JSON, to name the items refusals point at (undefined when it is not JSON: the API says so). */
function parsed(text: string): any {
  try { return JSON.parse(text); } catch { return undefined; }
}

/** A pointer into the file (`/body/device_enrollment/devices/3/serial_number`) without the API's `/body` root. */
export const pointerInFile = (pointer: string) => pointer.replace(/^\/body(?=\/|$)/, '') || '/';

/** Where a pointer lands, in words: "Device 4 (UPGRD0000004) › serial number", with the item's name read from the file. */
export function placeOf(pointer: string, doc: any): string {
  const parts = pointerInFile(pointer).split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!parts.length) return t('upgrade.place.file');
  const words: string[] = [];
  let node = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const list = LISTS[part];
    const next = parts[i + 1];
    if (list && next !== undefined && /^\d+$/.test(next)) {
      node = node?.[part]?.[Number(next)];
      const name = list.name(node);
      words.push(`${t(list.key, { n: Number(next) + 1 })}${typeof name === 'string' && name ? ` (${name})` : ''}`);
      i++;
      continue;
    }
    if (part === 'device_enrollment' || part === 'volume_purchase') { node = node?.[part]; if (i === parts.length - 1) words.push(t(`upgrade.place.${part}`)); continue; }
    node = node?.[part];
    words.push((FIELDS as readonly string[]).includes(part) ? t(`upgrade.field.${part as (typeof FIELDS)[number]}`) : part);
  }
  return words.join(' › ');
}

interface Said { pointer: string; place: string; text: string; detail?: string }
const saidOfRefusal = (r: UpgradeRefusal, doc: any): Said => {
  const known = (CODES as readonly string[]).includes(r.code);
  return { pointer: r.pointer, place: placeOf(r.pointer, doc), text: known ? t(`upgrade.code.${r.code as (typeof CODES)[number]}`) : r.message, detail: known ? r.message : undefined };
};
const saidOfProblem = (p: FieldProblem, doc: any): Said => ({ pointer: p.pointer, place: placeOf(p.pointer, doc), text: problemText(p) });

/** Every refusal of a failed import or dry run: the plan's refusals, else the format's field problems. */
function refusalsOf(failure: unknown, doc: any): Said[] {
  if (!(failure instanceof ApiFailure)) return [];
  const refusals = failure.details.refusals;
  if (Array.isArray(refusals)) return (refusals as UpgradeRefusal[]).map((r) => saidOfRefusal(r, doc));
  if (failure.fields.length) return failure.fields.map((p) => saidOfProblem(p, doc));
  // One refusal without details (the same file again; a body that is not JSON): the whole file.
  if (failure.code === 'upgrade_already_imported') return [saidOfRefusal({ pointer: '/body', code: failure.code, message: failure.message }, doc)];
  return [];
}

function RefusalList(props: { items: Said[] }) {
  if (!props.items.length) return null;
  return (
    <ul class="refusals">
      {props.items.map((r) => (
        <li>
          <strong>{r.place}</strong>: {r.text}
          <br /><span class="refusal-where">{t('upgrade.pointer')} <code>{pointerInFile(r.pointer)}</code></span>
          {r.detail ? <><br /><span class="refusal-where">{r.detail}</span></> : null}
        </li>
      ))}
    </ul>
  );
}

function Counts(props: { counts: UpgradeCounts; caption: string }) {
  return (
    <dl class="facts" aria-label={props.caption}>
      {COUNT_KEYS.map((k) => <><dt>{t(`upgrade.count.${k}`)}</dt><dd>{props.counts[k]}</dd></>)}
    </dl>
  );
}

export const countsSummary = (c: UpgradeCounts) => t('upgrade.summary', { ...c });

export function UpgradeImport(props: { me: Me; onImported: () => void }) {
  const history = useLoad(upgradeImports);
  const [file, setFile] = useState<{ text: string; name: string; n: number }>();
  return (
    <>
      <p>{t('upgrade.intro')}</p>
      {can(props.me, 'upgrade.import') ? (
        <>
          <FileField label={t('upgrade.file')} accept=".json,application/json" hint={t('upgrade.fileHint')}
            onText={(text, name) => setFile(text || name ? { text, name, n: (file?.n ?? 0) + 1 } : undefined)} />
          {file ? <Checked key={file.n} text={file.text} name={file.name} onImported={async () => { await history.reload(); props.onImported(); }} /> : null}
        </>
      ) : null}
      <h3>{t('upgrade.history')}</h3>
      {history.notice}
      <DataTable caption={t('upgrade.history')} rows={history.data ?? []} rowKey={(r) => r.id} columns={[
        { key: 'at', label: t('upgrade.when'), cell: (r) => formatDate(r.imported_at) },
        { key: 'account', label: t('upgrade.account'), cell: (r) => r.account_name },
        { key: 'by', label: t('upgrade.by'), cell: (r) => r.imported_by },
        { key: 'counts', label: t('upgrade.what'), cell: (r) => countsSummary(r.counts) },
      ]} />
    </>
  );
}

/** One chosen file: its dry run, then its import. */
function Checked(props: { text: string; name: string; onImported: () => Promise<void> }) {
  const doc = useMemo(() => parsed(props.text), [props.text]);
  const dry = useAction();
  const imp = useAction();
  const [plan, setPlan] = useState<UpgradePlan>();
  const [done, setDone] = useState<ImportRecord>();
  // Which call spoke last: a refused import hides the plan (it no longer holds) until the file is checked again.
  const [last, setLast] = useState<'dry' | 'import'>('dry');
  const check = async () => { setLast('dry'); setPlan(undefined); setPlan(await dry.run(() => planUpgradeImport(props.text))); };
  useEffect(() => { void check(); }, []);
  const go = async () => {
    setLast('import');
    const rec = await imp.run(() => importUpgrade(props.text));
    if (rec) { setDone(rec); await props.onImported(); } else setPlan(undefined);
  };
  const failure = plan ? undefined : last === 'import' ? imp.failure : dry.failure;
  const said = plan ? plan.refusals.map((r) => saidOfRefusal(r, doc)) : refusalsOf(failure, doc);
  const accountName = typeof doc?.account_name === 'string' ? doc.account_name : props.name;
  return (
    <section class="panel upgrade-plan" aria-label={t('upgrade.planOf', { name: props.name })}>
      <h3>{accountName}</h3>
      {dry.busy ? <p role="status">{t('upgrade.checking')}</p> : null}
      {failure !== undefined ? (
        <Notice kind="error">
          {last === 'import' ? t('upgrade.importRefused') : t('upgrade.fileRefused')} {failureText(failure)}
          <RefusalList items={said} />
        </Notice>
      ) : null}
      {plan && !done ? (
        <>
          {plan.refusals.length
            ? <Notice kind="error">{t('upgrade.planRefused', { count: plan.refusals.length })}<RefusalList items={said} /></Notice>
            : <Notice kind="info">{t('upgrade.planReady')}</Notice>}
          <h4>{t('upgrade.wouldImport')}</h4>
          <Counts counts={plan.counts} caption={t('upgrade.wouldImport')} />
          <div class="inline">
            <button type="button" disabled={imp.busy || plan.refusals.length > 0} onClick={() => void go()}>{t('upgrade.import')}</button>
            <button type="button" class="secondary" disabled={dry.busy || imp.busy} onClick={() => void check()}>{t('upgrade.checkAgain')}</button>
          </div>
        </>
      ) : null}
      {!plan && !dry.busy && !imp.busy && !done ? <button type="button" class="secondary" onClick={() => void check()}>{t('upgrade.checkAgain')}</button> : null}
      {done ? <Result record={done} doc={doc} /> : null}
    </section>
  );
}

/** What the import made; the new MDM servers' tokens to download (the MDM reads them at GET /mdm-servers/{id}/token). */
function Result(props: { record: ImportRecord; doc: any }) {
  const names: string[] = (props.doc?.device_enrollment?.servers ?? []).map((s: any) => s?.name).filter((n: unknown) => typeof n === 'string');
  const servers = useLoad(mdmServersFull, [props.record.id]);
  const made = (servers.data ?? []).filter((s) => names.includes(s.name));
  const act = useAction();
  const toServers = () => {
    const heading = [...document.querySelectorAll<HTMLElement>('section.panel > h2')].find((h) => h.textContent === t('prefs.servers'));
    heading?.scrollIntoView({ block: 'start' });
  };
  const c = props.record.counts;
  return (
    <>
      <Notice kind="success">{t('upgrade.imported', { name: props.record.account_name, at: formatDate(props.record.imported_at) })}</Notice>
      <Counts counts={c} caption={t('upgrade.imported.counts')} />
      {c.servers > 0 ? (
        <>
          <h4>{t('upgrade.tokens')}</h4>
          <p>{t('upgrade.tokensText')}</p>
          {servers.notice}
          {act.notices}
          <ul class="plain">
            {made.map((s) => <li><button type="button" class="secondary small" onClick={() => void act.run(() => downloadServerToken(s), () => t('prefs.tokenDownloaded'))}>{t('upgrade.downloadToken', { name: s.name })}</button></li>)}
          </ul>
          <button type="button" class="secondary" onClick={toServers}>{t('upgrade.openServers')}</button>
        </>
      ) : null}
      {c.invitations > 0 ? <p>{t('upgrade.invited', { count: c.invitations })} <a href={href('/people')}>{t('upgrade.openPeople')}</a></p> : null}
    </>
  );
}
