// Preferences, as in Business Manager: enrolment information (organisation, D-U-N-S, contacts,
// terms); Your MDM Servers (add with a certificate file, download the .p7m token, renew, rename,
// delete, see assigned devices); the default server per device family; purchase information;
// Apps and Books (content tokens per location, credit and credit codes, cards, purchase history);
// the domains of Managed Apple IDs, federated authentication and the Apps and Books terms and
// billing (preferences-identity.tsx); the APNs push certificate; webhooks; the built-in MDM's
// enrolment profile; the upgrade import of an old DEP/VPP account (preferences-upgrade.tsx). Each section is shown only to the roles whose permission it needs (the API decides again on every call).
import { useState } from 'preact/hooks';
import {
  FAMILIES, ORGANISATION_FIELDS, acceptTerms, addCard, cards, createMdmServer, createWebhook, credit, deleteMdmServer, deleteWebhook,
  downloadEnrollmentProfile, downloadServerToken, locations, mdmServersFull, organisation, purchaseSettings, purchases, pushCertificate,
  pushCertificateRequest, redeemCredit, removeCard, renameMdmServer, renewServerToken, serverDefaults, serverDevices, setPurchaseSettings,
  setServerDefault, updateOrganisation, uploadPushCertificate, webhooks, type Location, type MdmServerFull, type Webhook,
} from '../api-pages.js';
import { ApiFailure } from '../api.js';
import { SelectField, TextField, problemAt, useAction, useConfirm } from '../components/forms.js';
import { FileField, Section, TextArea, can, money, useLoad, yesNo } from '../components/page-parts.js';
import { DataTable } from '../components/table.js';
import { formatDate, t, type MessageKey } from '../i18n/index.js';
import type { Me } from '../api.js';
import type { PageProps, PageRoute } from '../routes.js';
import { LocationDetail } from './locations.js';
import { AppsAndBooksTerms, Domains, Federations } from './preferences-identity.js';
import { UpgradeImport } from './preferences-upgrade.js';

export function PreferencesPage(props: PageProps) {
  const me = props.me;
  // The default-server choices follow the server list: adding, renaming or deleting one reloads them.
  const [servers, setServers] = useState(0);
  // The federation form offers the verified domains: verifying one reloads them.
  const [domainsVersion, setDomainsVersion] = useState(0);
  // An upgrade import adds MDM servers and defaults: the server list and the defaults reload.
  const [imports, setImports] = useState(0);
  return (
    <>
      <h1>{t('prefs.title')}</h1>
      <Section me={me} permission="org.read" title={t('prefs.enrolment')}><Enrolment me={me} /></Section>
      <Section me={me} permission="org.read" title={t('prefs.domains')}><Domains me={me} onChanged={() => setDomainsVersion((n) => n + 1)} /></Section>
      <Section me={me} permission="org.read" title={t('prefs.federation')}><Federations me={me} version={domainsVersion} /></Section>
      <Section me={me} permission="servers.manage" title={t('prefs.servers')}><Servers key={imports} onChanged={() => setServers((n) => n + 1)} /></Section>
      <Section me={me} permission="servers.manage" title={t('prefs.defaults')}><Defaults me={me} version={servers + imports} /></Section>
      <Section me={me} permission="org.read" title={t('prefs.purchase')}><PurchaseInfo me={me} /></Section>
      <Section me={me} permission="org.read" title={t('prefs.contentTerms')}><AppsAndBooksTerms me={me} /></Section>
      <Section me={me} permission="content.read" title={t('prefs.content')}><Content me={me} /></Section>
      <Section me={me} permission="push.manage" title={t('prefs.push')}><Push /></Section>
      <Section me={me} permission="events.manage" title={t('prefs.webhooks')}><Webhooks /></Section>
      <Section me={me} permission="devices.manage" title={t('prefs.profile')}><Profile /></Section>
      <Section me={me} permission="upgrade.import" title={t('prefs.upgrade')}><UpgradeImport me={me} onImported={() => setImports((n) => n + 1)} /></Section>
    </>
  );
}

function Enrolment(props: { me: Me }) {
  const org = useLoad(organisation);
  const [edit, setEdit] = useState<Record<string, string>>();
  const act = useAction();
  const o = org.data;
  const save = async () => {
    if (await act.run(() => updateOrganisation(edit!), () => t('form.saved'))) { setEdit(undefined); await org.reload(); }
  };
  const accept = async () => { if (await act.run(acceptTerms, () => t('prefs.termsAccepted'))) await org.reload(); };
  if (!o) return <>{org.notice}</>;
  return (
    <>
      {act.notices}
      <dl class="facts">
        <dt>{t('prefs.orgName')}</dt><dd>{o.name}</dd>
        <dt>{t('prefs.orgId')}</dt><dd>{o.org_id}</dd>
        <dt>{t('prefs.duns')}</dt><dd>{o.duns ?? '—'}</dd>
        <dt>{t('prefs.email')}</dt><dd>{o.email || '—'}</dd>
        <dt>{t('prefs.phone')}</dt><dd>{o.phone || '—'}</dd>
        <dt>{t('prefs.address')}</dt><dd>{o.address || '—'}</dd>
        <dt>{t('prefs.terms')}</dt>
        <dd>{o.terms.accepted ? t('prefs.termsOk', { version: o.terms.accepted_version, at: formatDate(o.terms.accepted_at) }) : t('prefs.termsNeeded', { version: o.terms.required_version })}</dd>
      </dl>
      {!o.terms.accepted && can(props.me, 'terms.accept') ? <button type="button" onClick={accept}>{t('prefs.acceptTerms')}</button> : null}
      {can(props.me, 'org.manage') && !edit
        ? <button type="button" class="secondary" onClick={() => setEdit(Object.fromEntries(ORGANISATION_FIELDS.map((f) => [f, o[f]])))}>{t('prefs.editOrg')}</button> : null}
      {edit ? (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
          {ORGANISATION_FIELDS.map((f) => (
            <TextField label={t(`prefs.${f === 'name' ? 'orgName' : f}` as MessageKey)} name={f} value={edit[f] ?? ''} onInput={(v) => setEdit({ ...edit, [f]: v })} error={problemAt(act.failure, `/body/${f}`)} />
          ))}
          <div class="inline">
            <button type="submit" disabled={act.busy}>{t('prefs.save')}</button>
            <button type="button" class="secondary" onClick={() => setEdit(undefined)}>{t('form.cancel')}</button>
          </div>
        </form>
      ) : null}
    </>
  );
}

function Servers(props: { onChanged: () => void }) {
  const list = useLoad(mdmServersFull);
  const reload = async () => { await list.reload(); props.onChanged(); };
  const [name, setName] = useState('');
  const [cert, setCert] = useState('');
  const [open, setOpen] = useState<MdmServerFull>();
  const act = useAction();
  const add = async () => {
    const s = await act.run(() => createMdmServer(name, cert), (x) => t('prefs.serverAdded', { name: x.name }));
    if (s) { setName(''); await reload(); }
  };
  return (
    <>
      {list.notice}
      <DataTable caption={t('prefs.servers')} rows={list.data ?? []} rowKey={(s) => s.id} columns={[
        { key: 'name', label: t('prefs.serverName'), cell: (s) => s.name },
        { key: 'devices', label: t('prefs.serverDevices'), cell: (s) => s.device_count },
        { key: 'expires', label: t('prefs.tokenExpires'), cell: (s) => formatDate(s.token?.expires_at) },
        { key: 'open', label: t('prefs.manage'), hiddenLabel: true, cell: (s) => <button type="button" class="secondary small" aria-label={t('prefs.manageOne', { name: s.name })} onClick={() => setOpen(s)}>{t('prefs.manage')}</button> },
      ]} />
      {open ? <ServerPanel key={open.id} server={list.data?.find((x) => x.id === open.id) ?? open} onChanged={async (gone) => { await reload(); if (gone) setOpen(undefined); }} /> : null}
      <h3>{t('prefs.addServer')}</h3>
      <form onSubmit={(e) => { e.preventDefault(); void add(); }} noValidate>
        <TextField label={t('prefs.serverName')} name="server_name" required value={name} onInput={setName} error={problemAt(act.failure, '/body/name')} />
        <FileField label={t('prefs.serverCert')} accept=".pem,.crt,.cer" hint={t('prefs.serverCertHint')} error={problemAt(act.failure, '/body/public_key')} onText={setCert} />
        <button type="submit" disabled={act.busy}>{t('prefs.addServerButton')}</button>
      </form>
      {act.notices}
    </>
  );
}

function ServerPanel(props: { server: MdmServerFull; onChanged: (gone: boolean) => Promise<void> }) {
  const s = props.server;
  const [name, setName] = useState(s.name);
  const [cert, setCert] = useState('');
  const devices = useLoad(() => serverDevices(s.id), [s.id]);
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const rename = async () => { if (await act.run(() => renameMdmServer(s.id, name), () => t('prefs.renamed'))) await props.onChanged(false); };
  const renew = async () => { if (await act.run(() => renewServerToken(s.id, cert || undefined), () => t('prefs.renewed'))) await props.onChanged(false); };
  const remove = async () => {
    if (!(await confirm(t('prefs.deleteServerConfirm', { name: s.name, count: s.device_count })))) return;
    if ((await act.run(() => deleteMdmServer(s.id).then(() => true), () => t('prefs.deleted'))) === true) await props.onChanged(true);
  };
  return (
    <section class="panel" aria-label={s.name}>
      {dialog}
      <h3>{s.name}</h3>
      {act.notices}
      <dl class="facts">
        <dt>{t('prefs.tokenFile')}</dt><dd>{s.token?.file_name ?? '—'}</dd>
        <dt>{t('prefs.tokenIssued')}</dt><dd>{formatDate(s.token?.issued_at)}</dd>
        <dt>{t('prefs.tokenExpires')}</dt><dd>{formatDate(s.token?.expires_at)}</dd>
      </dl>
      <button type="button" onClick={() => void act.run(() => downloadServerToken(s), () => t('prefs.tokenDownloaded'))}>{t('prefs.downloadToken')}</button>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void rename(); }} noValidate>
        <TextField label={t('prefs.newName')} name="rename" value={name} onInput={setName} error={problemAt(act.failure, '/body/name')} />
        <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('prefs.rename')}</button></div>
      </form>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void renew(); }} noValidate>
        <FileField label={t('prefs.renewCert')} accept=".pem,.crt,.cer" hint={t('prefs.renewHint')} onText={setCert} />
        <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('prefs.renew')}</button></div>
      </form>
      <button type="button" class="danger" disabled={act.busy} onClick={remove}>{t('prefs.deleteServer')}</button>
      <h4>{t('prefs.assignedDevices')}</h4>
      {devices.notice}
      <DataTable caption={t('prefs.assignedDevices')} rows={devices.data ?? []} rowKey={(d) => d.serial_number} columns={[
        { key: 'serial_number', label: t('devices.serial'), cell: (d) => d.serial_number },
        { key: 'family', label: t('devices.family'), cell: (d) => d.family },
        { key: 'model', label: t('devices.model'), cell: (d) => d.model },
      ]} />
    </section>
  );
}

function Defaults(props: { me: Me; version: number }) {
  const defaults = useLoad(serverDefaults, [props.version]);
  const servers = useLoad(mdmServersFull, [props.version]);
  const act = useAction();
  const manage = can(props.me, 'servers.manage');
  const set = async (family: string, id: string) => { if (await act.run(() => setServerDefault(family, id || null), () => t('prefs.defaultSet', { family }))) await defaults.reload(); };
  const options = [{ value: '', label: t('prefs.noDefault') }, ...(servers.data ?? []).map((s) => ({ value: s.id, label: s.name }))];
  return (
    <>
      {defaults.notice}
      {act.notices}
      <div class="row">
        {FAMILIES.map((f) => (manage
          ? <SelectField label={t('prefs.defaultFor', { family: f })} name={`default_${f}`} value={defaults.data?.[f]?.id ?? ''} onChange={(v) => void set(f, v)} options={options} />
          : <p><strong>{t('prefs.defaultFor', { family: f })}</strong>: {defaults.data?.[f]?.name ?? t('prefs.noDefault')}</p>))}
      </div>
    </>
  );
}

const listOf = (text: string) => text.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

function PurchaseInfo(props: { me: Me }) {
  const p = useLoad(purchaseSettings);
  const [edit, setEdit] = useState<{ customer_numbers: string; reseller_ids: string }>();
  const act = useAction();
  const save = async () => {
    if (await act.run(() => setPurchaseSettings({ customer_numbers: listOf(edit!.customer_numbers), reseller_ids: listOf(edit!.reseller_ids) }), () => t('form.saved'))) { setEdit(undefined); await p.reload(); }
  };
  if (!p.data) return <>{p.notice}</>;
  return (
    <>
      {act.notices}
      {edit ? (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
          <TextArea label={t('prefs.customerNumbers')} name="customer_numbers" value={edit.customer_numbers} onInput={(v) => setEdit({ ...edit, customer_numbers: v })} hint={t('prefs.listHint')} error={problemAt(act.failure, '/body/customer_numbers')} />
          <TextArea label={t('prefs.resellerIds')} name="reseller_ids" value={edit.reseller_ids} onInput={(v) => setEdit({ ...edit, reseller_ids: v })} hint={t('prefs.listHint')} error={problemAt(act.failure, '/body/reseller_ids')} />
          <div class="inline">
            <button type="submit" disabled={act.busy}>{t('prefs.save')}</button>
            <button type="button" class="secondary" onClick={() => setEdit(undefined)}>{t('form.cancel')}</button>
          </div>
        </form>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('prefs.customerNumbers')}</dt><dd>{p.data.customer_numbers.join(', ') || '—'}</dd>
            <dt>{t('prefs.resellerIds')}</dt><dd>{p.data.reseller_ids.join(', ') || '—'}</dd>
          </dl>
          {can(props.me, 'org.manage') ? <button type="button" class="secondary" onClick={() => setEdit({ customer_numbers: p.data!.customer_numbers.join('\n'), reseller_ids: p.data!.reseller_ids.join('\n') })}>{t('prefs.editPurchase')}</button> : null}
        </>
      )}
    </>
  );
}

function Content(props: { me: Me }) {
  const locs = useLoad(locations);
  const cardList = useLoad(cards);
  const history = useLoad(purchases);
  const [locId, setLocId] = useState('');
  const loc = locs.data?.find((l) => l.id === locId) ?? locs.data?.[0];
  const manage = can(props.me, 'content.manage');
  return (
    <>
      {locs.notice}
      <SelectField label={t('apps.location')} name="content_location" value={loc?.id ?? ''} onChange={setLocId} options={(locs.data ?? []).map((l) => ({ value: l.id, label: l.name }))} />
      {loc ? <LocationDetail key={loc.id} location={loc} me={props.me} /> : null}
      {loc ? <Credit key={`c-${loc.id}`} location={loc} manage={manage} /> : null}
      <h3>{t('prefs.cards')}</h3>
      {cardList.notice}
      <Cards cards={cardList.data ?? []} manage={manage} onChanged={cardList.reload} />
      <h3>{t('prefs.history')}</h3>
      {history.notice}
      <DataTable caption={t('prefs.history')} rows={history.data ?? []} rowKey={(p) => p.id} columns={[
        { key: 'at', label: t('prefs.when'), cell: (p) => formatDate(p.purchased_at) },
        { key: 'name', label: t('apps.item'), cell: (p) => p.name },
        { key: 'location', label: t('apps.location'), cell: (p) => locs.data?.find((l) => l.id === p.location_id)?.name ?? p.location_id },
        { key: 'quantity', label: t('apps.quantity'), cell: (p) => p.quantity },
        { key: 'total', label: t('prefs.total'), cell: (p) => money(p.total) },
        { key: 'payment', label: t('apps.payWith'), cell: (p) => p.payment_method },
      ]} />
    </>
  );
}

function Credit(props: { location: Location; manage: boolean }) {
  const c = useLoad(() => credit(props.location.id), [props.location.id]);
  const [code, setCode] = useState('');
  const act = useAction();
  const redeem = async () => { if (await act.run(() => redeemCredit(props.location.id, code), (r) => t('prefs.redeemed', { balance: money(r.balance) }))) { setCode(''); await c.reload(); } };
  return (
    <>
      <h3>{t('prefs.credit')}</h3>
      {c.notice}
      <p>{t('prefs.balance', { name: props.location.name, balance: money(c.data?.balance) })}</p>
      {props.manage ? (
        <form class="row" onSubmit={(e) => { e.preventDefault(); void redeem(); }} noValidate>
          <TextField label={t('prefs.creditCode')} name="credit_code" value={code} onInput={setCode} error={problemAt(act.failure, '/body/code')} />
          <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('prefs.redeem')}</button></div>
        </form>
      ) : null}
      {act.notices}
    </>
  );
}

function Cards(props: { cards: Array<{ id: string; label: string; last4: string; created_at: string }>; manage: boolean; onChanged: () => Promise<void> }) {
  const [label, setLabel] = useState('');
  const [last4, setLast4] = useState('');
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const add = async () => { if (await act.run(() => addCard(label, last4), (c) => t('prefs.cardAdded', { label: c.label }))) { setLabel(''); setLast4(''); await props.onChanged(); } };
  const remove = async (c: { id: string; label: string }) => {
    if (!(await confirm(t('prefs.removeCardConfirm', { label: c.label })))) return;
    if ((await act.run(() => removeCard(c.id).then(() => true), () => t('prefs.cardRemoved'))) === true) await props.onChanged();
  };
  return (
    <>
      {dialog}
      <DataTable caption={t('prefs.cards')} rows={props.cards} rowKey={(c) => c.id} columns={[
        { key: 'label', label: t('prefs.cardLabel'), cell: (c) => c.label },
        { key: 'last4', label: t('prefs.cardLast4'), cell: (c) => `•••• ${c.last4}` },
        { key: 'remove', label: t('prefs.remove'), hiddenLabel: true, cell: (c) => (props.manage ? <button type="button" class="danger small" aria-label={t('prefs.removeOne', { name: c.label })} onClick={() => void remove(c)}>{t('prefs.remove')}</button> : null) },
      ]} />
      {props.manage ? (
        <form class="row" onSubmit={(e) => { e.preventDefault(); void add(); }} noValidate>
          <TextField label={t('prefs.cardLabel')} name="card_label" value={label} onInput={setLabel} error={problemAt(act.failure, '/body/label')} />
          <TextField label={t('prefs.cardLast4')} name="card_last4" value={last4} onInput={setLast4} error={problemAt(act.failure, '/body/last4')} />
          <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('prefs.addCard')}</button></div>
        </form>
      ) : null}
      {act.notices}
    </>
  );
}

function Push() {
  const cert = useLoad(() => pushCertificate().catch((e) => { if (e instanceof ApiFailure && e.status === 404) return null; throw e; }));
  const [vendor, setVendor] = useState({ vendor_certificate: '', vendor_private_key: '' });
  const [upload, setUpload] = useState({ certificate: '', private_key: '' });
  const act = useAction();
  const install = async () => { if (await act.run(() => uploadPushCertificate(upload.certificate, upload.private_key || undefined), () => t('prefs.pushInstalled'))) await cert.reload(); };
  const c = cert.data;
  return (
    <>
      {cert.notice}
      {act.notices}
      {c === null ? <p>{t('prefs.pushNone')}</p> : c ? (
        <dl class="facts">
          <dt>{t('prefs.pushTopic')}</dt><dd><code>{c.topic}</code></dd>
          <dt>{t('prefs.pushExpires')}</dt><dd>{formatDate(c.not_after)} ({t('prefs.daysLeft', { days: c.days_left })})</dd>
        </dl>
      ) : null}
      <h3>{t('prefs.pushRequest')}</h3>
      <form onSubmit={(e) => { e.preventDefault(); void act.run(() => pushCertificateRequest(vendor), () => t('prefs.pushRequestSaved')); }} noValidate>
        <FileField label={t('prefs.vendorCert')} accept=".pem,.crt" onText={(v) => setVendor({ ...vendor, vendor_certificate: v })} error={problemAt(act.failure, '/body/vendor_certificate')} />
        <FileField label={t('prefs.vendorKey')} accept=".pem,.key" onText={(v) => setVendor({ ...vendor, vendor_private_key: v })} error={problemAt(act.failure, '/body/vendor_private_key')} />
        <button type="submit" class="secondary" disabled={act.busy}>{t('prefs.pushRequestButton')}</button>
      </form>
      <h3>{t('prefs.pushUpload')}</h3>
      <form onSubmit={(e) => { e.preventDefault(); void install(); }} noValidate>
        <FileField label={t('prefs.pushCert')} accept=".pem,.crt" onText={(v) => setUpload({ ...upload, certificate: v })} error={problemAt(act.failure, '/body/certificate')} />
        <FileField label={t('prefs.pushKey')} accept=".pem,.key" hint={t('prefs.pushKeyHint')} onText={(v) => setUpload({ ...upload, private_key: v })} />
        <button type="submit" disabled={act.busy}>{t('prefs.pushUploadButton')}</button>
      </form>
    </>
  );
}

function Webhooks() {
  const list = useLoad(webhooks);
  const [url, setUrl] = useState('');
  const [created, setCreated] = useState<Webhook>();
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const add = async () => { const w = await act.run(() => createWebhook(url), () => t('prefs.webhookAdded')); if (w) { setUrl(''); setCreated(w); await list.reload(); } };
  const remove = async (w: Webhook) => {
    if (!(await confirm(t('prefs.webhookDeleteConfirm', { url: w.url })))) return;
    if ((await act.run(() => deleteWebhook(w.id).then(() => true), () => t('prefs.webhookDeleted'))) === true) await list.reload();
  };
  return (
    <>
      {dialog}
      {list.notice}
      <DataTable caption={t('prefs.webhooks')} rows={list.data ?? []} rowKey={(w) => w.id} columns={[
        { key: 'url', label: t('prefs.webhookUrl'), cell: (w) => <code>{w.url}</code> },
        { key: 'active', label: t('prefs.webhookActive'), cell: (w) => yesNo(w.active) },
        { key: 'created_at', label: t('prefs.when'), cell: (w) => formatDate(w.created_at) },
        { key: 'remove', label: t('prefs.remove'), hiddenLabel: true, cell: (w) => <button type="button" class="danger small" aria-label={t('prefs.removeOne', { name: w.url })} onClick={() => void remove(w)}>{t('prefs.remove')}</button> },
      ]} />
      <form class="row" onSubmit={(e) => { e.preventDefault(); void add(); }} noValidate>
        <TextField label={t('prefs.webhookUrl')} name="webhook_url" value={url} onInput={setUrl} error={problemAt(act.failure, '/body/url')} />
        <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('prefs.addWebhook')}</button></div>
      </form>
      {act.notices}
      {created?.secret ? <p>{t('prefs.webhookSecret')} <code class="secret">{created.secret}</code></p> : null}
    </>
  );
}

function Profile() {
  const act = useAction();
  return (
    <>
      <p>{t('prefs.profileText')}</p>
      <button type="button" class="secondary" disabled={act.busy} onClick={() => void act.run(downloadEnrollmentProfile, () => t('prefs.profileDownloaded'))}>{t('prefs.profileDownload')}</button>
      {act.notices}
    </>
  );
}

export const preferencesRoute: PageRoute = { path: '/preferences', component: PreferencesPage, title: 'prefs.title', permission: 'org.read', nav: { label: 'nav.preferences', order: 70 } };
