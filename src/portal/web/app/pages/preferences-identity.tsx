// Preferences' sections of issue 16: the organisation's domains (add one, publish the TXT record
// shown, verify it, remove it), federated authentication (link a verified domain to an OpenID
// Connect provider, see the conflicts, migrate the existing Managed Apple IDs, enable, disable,
// replace the client secret), and the
// Apps and Books terms and billing information, accepted before the first purchase.
import { useState } from 'preact/hooks';
import {
  acceptContentTerms, addDomain, createFederation, disableFederation, domains, enableFederation, federationConflicts, federations, migrateFederation, removeDomain, rotateFederationSecret,
  setBilling, verifyDomain, type Billing, type Conflicts, type Domain, type Federation,
} from '../api-identity.js';
import { organisation } from '../api-pages.js';
import type { Me } from '../api.js';
import { SelectField, TextField, problemAt, useAction, useConfirm } from '../components/forms.js';
import { can, useLoad, yesNo } from '../components/page-parts.js';
import { refusalAt } from '../components/public-card.js';
import { DataTable } from '../components/table.js';
import { formatDate, t } from '../i18n/index.js';

export function Domains(props: { me: Me; onChanged: () => void }) {
  const list = useLoad(domains);
  const [name, setName] = useState('');
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const manage = can(props.me, 'domains.manage');
  const changed = async () => { await list.reload(); props.onChanged(); };
  const add = async () => { if (await act.run(() => addDomain(name), (d) => t('domains.added', { name: d.name }))) { setName(''); await changed(); } };
  const verify = async (d: Domain) => {
    if (await act.run(() => verifyDomain(d.id), (x) => (x.status === 'verified' ? t('domains.verified', { name: x.name }) : t('domains.notYet', { name: x.name })))) await changed();
  };
  const remove = async (d: Domain) => {
    if (!(await confirm(t('domains.removeConfirm', { name: d.name })))) return;
    if (await act.run(() => removeDomain(d.id).then(() => true), () => t('domains.removed', { name: d.name }))) await changed();
  };
  return (
    <>
      {dialog}
      <p>{t('domains.intro')}</p>
      {list.notice}
      <DataTable caption={t('prefs.domains')} rows={list.data ?? []} rowKey={(d) => d.id} columns={[
        { key: 'name', label: t('domains.name'), cell: (d) => d.name },
        { key: 'status', label: t('domains.status'), cell: (d) => (d.status === 'verified' ? t('domains.status.verified', { at: formatDate(d.verified_at) }) : t('domains.status.pending')) },
        { key: 'txt', label: t('domains.record'), cell: (d) => (d.status === 'verified' ? '—' : <code class="record">{d.txt_record.name} TXT "{d.txt_record.value}"</code>) },
        { key: 'actions', label: t('domains.actions'), hiddenLabel: true, cell: (d) => (manage ? (
          <span class="inline">
            {d.status === 'pending' ? <button type="button" class="small" disabled={act.busy} aria-label={t('domains.verifyOne', { name: d.name })} onClick={() => void verify(d)}>{t('domains.verify')}</button> : null}
            <button type="button" class="secondary small" disabled={act.busy} aria-label={t('domains.removeOne', { name: d.name })} onClick={() => void remove(d)}>{t('domains.remove')}</button>
          </span>
        ) : null) },
      ]} />
      {manage ? (
        <form class="row" onSubmit={(e) => { e.preventDefault(); void add(); }} noValidate>
          <TextField label={t('domains.name')} name="domain" required value={name} onInput={setName} error={refusalAt(act.failure, '/body/name')} />
          <div class="field"><button type="submit" disabled={act.busy}>{t('domains.add')}</button></div>
        </form>
      ) : null}
      {act.notices}
    </>
  );
}

export function Federations(props: { me: Me; version: number }) {
  const list = useLoad(federations);
  const doms = useLoad(domains, [props.version]);
  const manage = can(props.me, 'domains.manage');
  const verified = (doms.data ?? []).filter((d) => d.status === 'verified');
  const domainName = (id: string) => doms.data?.find((d) => d.id === id)?.name ?? id;
  const [shown, setShown] = useState<Federation>();
  return (
    <>
      <p>{t('federation.intro')}</p>
      {list.notice}
      <DataTable caption={t('prefs.federation')} rows={list.data ?? []} rowKey={(f) => f.id} columns={[
        { key: 'domain', label: t('domains.name'), cell: (f) => domainName(f.domain_id) },
        { key: 'issuer', label: t('federation.issuer'), cell: (f) => f.issuer },
        { key: 'client', label: t('federation.clientId'), cell: (f) => f.client_id },
        { key: 'enabled', label: t('federation.enabled'), cell: (f) => yesNo(f.enabled) },
        { key: 'open', label: t('federation.manage'), hiddenLabel: true, cell: (f) => (
          <button type="button" class="secondary small" aria-label={t('federation.manageOne', { name: domainName(f.domain_id) })} onClick={() => setShown(f)}>{t('federation.manage')}</button>
        ) },
      ]} />
      {shown ? <FederationPanel key={shown.id} federation={shown} domain={domainName(shown.domain_id)} manage={manage} onChanged={list.reload} /> : null}
      {manage ? <LinkProvider domains={verified} onDone={list.reload} /> : null}
    </>
  );
}

function LinkProvider(props: { domains: Domain[]; onDone: () => Promise<void> }) {
  const blank = { domain_id: '', issuer: '', client_id: '', client_secret: '' };
  const [f, setF] = useState(blank);
  const act = useAction();
  const domainId = f.domain_id || props.domains[0]?.id || '';
  const submit = async () => {
    if (await act.run(() => createFederation({ ...f, domain_id: domainId }), () => t('federation.linked'))) { setF(blank); await props.onDone(); }
  };
  if (props.domains.length === 0) return <p>{t('federation.needDomain')}</p>;
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
      <h3>{t('federation.link')}</h3>
      <SelectField label={t('domains.name')} name="domain_id" value={domainId} onChange={(domain_id) => setF({ ...f, domain_id })} options={props.domains.map((d) => ({ value: d.id, label: d.name }))} error={problemAt(act.failure, '/body/domain_id')} />
      <TextField label={t('federation.issuer')} name="issuer" required value={f.issuer} onInput={(issuer) => setF({ ...f, issuer })} error={refusalAt(act.failure, '/body/issuer')} />
      <TextField label={t('federation.clientId')} name="client_id" required value={f.client_id} onInput={(client_id) => setF({ ...f, client_id })} error={refusalAt(act.failure, '/body/client_id')} />
      <TextField label={t('federation.clientSecret')} name="client_secret" type="password" autocomplete="off" required value={f.client_secret} onInput={(client_secret) => setF({ ...f, client_secret })} error={refusalAt(act.failure, '/body/client_secret')} />
      <button type="submit" disabled={act.busy}>{t('federation.linkButton')}</button>
      {act.notices}
    </form>
  );
}

function FederationPanel(props: { federation: Federation; domain: string; manage: boolean; onChanged: () => Promise<void> }) {
  const f = props.federation;
  const conflicts = useLoad(() => federationConflicts(f.id), [f.id]);
  const [enabled, setEnabled] = useState(f.enabled);
  const act = useAction();
  const migrate = async () => { if (await act.run(() => migrateFederation(f.id), (r) => t('federation.migrated', { count: r.migrated }))) await conflicts.reload(); };
  const enable = async () => {
    const r = await act.run(() => enableFederation(f.id), () => t('federation.enabledNow', { name: props.domain }));
    if (r) { setEnabled(true); await props.onChanged(); }
    // A refusal for conflicts carries them: show the latest.
    else await conflicts.reload();
  };
  const [dialog, confirm] = useConfirm();
  const disable = async () => {
    if (!(await confirm(t('federation.disableConfirm', { name: props.domain })))) return;
    if (await act.run(() => disableFederation(f.id), () => t('federation.disabledNow', { name: props.domain }))) { setEnabled(false); await props.onChanged(); }
  };
  const [secret, setSecret] = useState('');
  const rotate = async () => {
    if (await act.run(() => rotateFederationSecret(f.id, secret), () => t('federation.secretReplaced'))) setSecret('');
  };
  const c: Conflicts | undefined = conflicts.data;
  return (
    <section class="panel" aria-label={t('federation.manageOne', { name: props.domain })}>
      <h3>{t('federation.manageOne', { name: props.domain })}</h3>
      {conflicts.notice}
      {c ? (
        <dl class="facts">
          <dt>{t('federation.conflictManaged')}</dt><dd>{c.managed_apple_ids.join(', ') || t('federation.none')}</dd>
          <dt>{t('federation.conflictPersonal')}</dt><dd>{c.personal_apple_ids.join(', ') || t('federation.none')}</dd>
          <dt>{t('federation.conflictClaimed')}</dt><dd>{yesNo(c.claimed_by_another_organisation)}</dd>
          <dt>{t('federation.enabled')}</dt><dd>{yesNo(enabled)}</dd>
        </dl>
      ) : null}
      {props.manage ? (
        <div class="inline">
          <button type="button" class="secondary" disabled={act.busy || !c?.managed_apple_ids.length} onClick={() => void migrate()}>{t('federation.migrate')}</button>
          {!enabled ? <button type="button" disabled={act.busy} onClick={() => void enable()}>{t('federation.enable')}</button>
            : <button type="button" class="danger" disabled={act.busy} onClick={() => void disable()}>{t('federation.disable')}</button>}
        </div>
      ) : null}
      {props.manage ? (
        <form class="rotate-secret" onSubmit={(e) => { e.preventDefault(); void rotate(); }} noValidate>
          <TextField label={t('federation.newSecret')} name="new_client_secret" type="password" autocomplete="off" required value={secret} onInput={setSecret} error={refusalAt(act.failure, '/body/client_secret')} />
          <button type="submit" class="secondary" disabled={act.busy}>{t('federation.replaceSecret')}</button>
        </form>
      ) : null}
      {act.notices}
      {dialog}
    </section>
  );
}

/** The Apps and Books terms and billing information: both are needed before the first purchase. */
export function AppsAndBooksTerms(props: { me: Me }) {
  const org = useLoad(organisation);
  const [edit, setEdit] = useState<Billing>();
  const act = useAction();
  const ab = org.data?.apps_and_books;
  const accept = async () => { if (await act.run(acceptContentTerms, () => t('contentTerms.accepted'))) await org.reload(); };
  const save = async () => { if (await act.run(() => setBilling(edit!), () => t('form.saved'))) { setEdit(undefined); await org.reload(); } };
  if (!org.data) return <>{org.notice}</>;
  if (!ab) return null;
  return (
    <>
      <p>{t('contentTerms.intro')}</p>
      <dl class="facts">
        <dt>{t('contentTerms.terms')}</dt>
        <dd>{ab.terms_accepted ? t('contentTerms.acceptedAt', { at: formatDate(ab.terms_accepted_at) }) : t('contentTerms.notAccepted')}</dd>
        <dt>{t('contentTerms.billing')}</dt>
        <dd>{ab.billing ? `${ab.billing.name}, ${ab.billing.email}, ${ab.billing.address}${ab.billing.tax_id ? `, ${ab.billing.tax_id}` : ''}` : t('contentTerms.noBilling')}</dd>
      </dl>
      {!ab.terms_accepted && can(props.me, 'terms.accept') ? <button type="button" disabled={act.busy} onClick={() => void accept()}>{t('contentTerms.accept')}</button> : null}
      {can(props.me, 'org.manage') && !edit
        ? <button type="button" class="secondary" onClick={() => setEdit({ name: ab.billing?.name ?? '', email: ab.billing?.email ?? '', address: ab.billing?.address ?? '', tax_id: ab.billing?.tax_id ?? '' })}>{t('contentTerms.editBilling')}</button> : null}
      {edit ? (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
          {(['name', 'email', 'address', 'tax_id'] as const).map((k) => (
            <TextField label={t(`contentTerms.billing.${k}`)} name={`billing_${k}`} required={k !== 'tax_id'} value={edit[k]} onInput={(v) => setEdit({ ...edit, [k]: v })} error={refusalAt(act.failure, `/body/${k}`)} />
          ))}
          <div class="inline">
            <button type="submit" disabled={act.busy}>{t('prefs.save')}</button>
            <button type="button" class="secondary" onClick={() => setEdit(undefined)}>{t('form.cancel')}</button>
          </div>
        </form>
      ) : null}
      {act.notices}
    </>
  );
}
