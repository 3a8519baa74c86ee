// People: the organisation's accounts (first, middle and last name, Managed Apple ID, email for
// mail, roles, location). Create one (without a password Orchard mails an invitation to set it),
// edit its names, email, location and roles, deactivate or reactivate it (with a confirmation),
// delete it, resend its invitation, set a new password. The name fields come from
// ACCOUNT_TEXT_FIELDS (api-pages.ts), so adding one is one entry there and its label.
import { useState } from 'preact/hooks';
import {
  ACCOUNT_TEXT_FIELDS, ROLE_NAMES, accounts, createAccount, deleteAccount, locations, resendInvitation, resetPassword, updateAccount,
  type Account, type AccountText, type Location,
} from '../api-pages.js';
import { SelectField, TextField, problemAt, useAction, useConfirm } from '../components/forms.js';
import { Checkboxes, Section, can, useLoad } from '../components/page-parts.js';
import { refusalAt } from '../components/public-card.js';
import { DataTable } from '../components/table.js';
import { formatDate, t, type MessageKey } from '../i18n/index.js';
import type { PageProps, PageRoute } from '../routes.js';

const fieldLabel = (f: string) => t(`people.field.${f}` as MessageKey);
const roleLabel = (r: string) => t(`role.${r}` as MessageKey);
const locationOptions = (list: Location[] | undefined) => [{ value: '', label: t('people.noLocation') }, ...(list ?? []).map((l) => ({ value: l.id, label: l.name }))];

export function PeoplePage(props: PageProps) {
  const list = useLoad(accounts);
  const places = useLoad(locations);
  const [editing, setEditing] = useState<Account>();
  const manage = can(props.me, 'accounts.manage');
  const placeName = (id: string | null | undefined) => (id ? places.data?.find((l) => l.id === id)?.name ?? id : '—');
  return (
    <>
      <h1>{t('people.title')}</h1>
      {list.notice}
      <DataTable caption={t('people.title')} rows={list.data ?? []} rowKey={(a) => a.id} columns={[
        { key: 'email', label: t('people.email'), cell: (a) => a.email },
        ...ACCOUNT_TEXT_FIELDS.map((f) => ({ key: f, label: fieldLabel(f), cell: (a: Account) => String(a[f] ?? '') })),
        { key: 'roles', label: t('people.roles'), cell: (a) => a.roles.map(roleLabel).join(', ') || '—' },
        { key: 'active', label: t('people.status'), cell: (a) => (a.active ? t('people.active') : t('people.inactive')) },
        { key: 'contact_email', label: t('people.contactEmail'), cell: (a) => a.contact_email || '—' },
        { key: 'location', label: t('people.location'), cell: (a) => placeName(a.location_id) },
        { key: 'edit', label: t('people.edit'), hiddenLabel: true, cell: (a) => (manage
          ? <button type="button" class="secondary small" aria-label={t('people.editOne', { email: a.email })} onClick={() => setEditing(a)}>{t('people.edit')}</button> : null) },
      ]} />
      {editing ? <Edit key={editing.id} account={editing} locations={places.data} onDone={async () => { await list.reload(); }} onClose={() => setEditing(undefined)} /> : null}
      <Section me={props.me} permission="accounts.manage" title={t('people.create')}>
        <Create locations={places.data} onDone={list.reload} />
      </Section>
    </>
  );
}

function Create(props: { locations: Location[] | undefined; onDone: () => void }) {
  const blank = { email: '', password: '', contact_email: '', location_id: '', ...Object.fromEntries(ACCOUNT_TEXT_FIELDS.map((f) => [f, ''])) } as AccountText & { email: string; password: string; contact_email: string; location_id: string };
  const [f, setF] = useState(blank);
  const [roles, setRoles] = useState<string[]>([]);
  const act = useAction();
  const submit = async () => {
    const invited = f.password.trim() === '';
    const r = await act.run(() => createAccount({ ...f, roles }), (a) => t(invited ? 'people.invited' : 'people.created', { email: a.email }));
    if (r) { setF(blank); setRoles([]); props.onDone(); }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
      <TextField label={t('people.email')} name="email" type="email" required value={f.email} onInput={(email) => setF({ ...f, email })} error={refusalAt(act.failure, '/body/email')} />
      {ACCOUNT_TEXT_FIELDS.map((k) => <TextField label={fieldLabel(k)} name={k} value={f[k]} onInput={(v) => setF({ ...f, [k]: v })} error={refusalAt(act.failure, `/body/${k}`)} />)}
      <TextField label={t('people.contactEmail')} name="contact_email" type="email" value={f.contact_email} onInput={(contact_email) => setF({ ...f, contact_email })} error={refusalAt(act.failure, '/body/contact_email')} />
      <SelectField label={t('people.location')} name="location_id" value={f.location_id} onChange={(location_id) => setF({ ...f, location_id })} options={locationOptions(props.locations)} error={problemAt(act.failure, '/body/location_id')} />
      <TextField label={t('people.password')} name="password" type="password" autocomplete="new-password" value={f.password} onInput={(password) => setF({ ...f, password })} error={refusalAt(act.failure, '/body/password')} />
      <p class="hint">{t('people.passwordHint')}</p>
      <Checkboxes legend={t('people.roles')} values={ROLE_NAMES} label={roleLabel} checked={roles} onChange={setRoles} />
      <button type="submit" disabled={act.busy}>{t('people.createButton')}</button>
      {act.notices}
    </form>
  );
}

function Edit(props: { account: Account; locations: Location[] | undefined; onDone: () => Promise<void>; onClose: () => void }) {
  const a = props.account;
  const [details, setDetails] = useState({
    ...Object.fromEntries(ACCOUNT_TEXT_FIELDS.map((f) => [f, String(a[f] ?? '')])) as AccountText,
    contact_email: a.contact_email ?? '', location_id: a.location_id ?? '',
  });
  const [roles, setRoles] = useState<string[]>(a.roles);
  const [password, setPassword] = useState('');
  const [active, setActive] = useState(a.active);
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const saveDetails = async () => {
    const patch = { ...details, contact_email: details.contact_email.trim() || null, location_id: details.location_id || null };
    if (await act.run(() => updateAccount(a.id, patch), () => t('people.detailsSaved'))) await props.onDone();
  };
  const saveRoles = async () => { if (await act.run(() => updateAccount(a.id, { roles }), () => t('people.rolesSaved'))) await props.onDone(); };
  const toggle = async () => {
    if (active && !(await confirm(t('people.deactivateConfirm', { email: a.email })))) return;
    const r = await act.run(() => updateAccount(a.id, { active: !active }), (x) => (x.active ? t('people.reactivated') : t('people.deactivated')));
    if (r) { setActive(r.active); await props.onDone(); }
  };
  const remove = async () => {
    if (!(await confirm(t('people.deleteConfirm', { email: a.email })))) return;
    if (await act.run(() => deleteAccount(a.id).then(() => true))) { await props.onDone(); props.onClose(); }
  };
  const reinvite = () => act.run(() => resendInvitation(a.id), (inv) => t('people.invitationSent', { email: a.email, at: formatDate(inv.expires_at) }));
  const reset = async () => {
    const ok = await act.run(() => resetPassword(a.id, password).then(() => true), () => t('people.passwordSet'));
    if (ok) setPassword('');
  };
  return (
    <section class="panel" aria-label={t('people.editOne', { email: a.email })}>
      {dialog}
      <h2>{t('people.editOne', { email: a.email })}</h2>
      {act.notices}
      <form onSubmit={(e) => { e.preventDefault(); void saveDetails(); }} noValidate>
        {ACCOUNT_TEXT_FIELDS.map((k) => <TextField label={fieldLabel(k)} name={`edit_${k}`} value={details[k]} onInput={(v) => setDetails({ ...details, [k]: v })} error={refusalAt(act.failure, `/body/${k}`)} />)}
        <TextField label={t('people.contactEmail')} name="edit_contact_email" type="email" value={details.contact_email} onInput={(contact_email) => setDetails({ ...details, contact_email })} error={refusalAt(act.failure, '/body/contact_email')} />
        <SelectField label={t('people.location')} name="edit_location_id" value={details.location_id} onChange={(location_id) => setDetails({ ...details, location_id })} options={locationOptions(props.locations)} error={problemAt(act.failure, '/body/location_id')} />
        <button type="submit" disabled={act.busy}>{t('people.saveDetails')}</button>
      </form>
      <Checkboxes legend={t('people.roles')} values={ROLE_NAMES} label={roleLabel} checked={roles} onChange={setRoles} />
      <div class="inline">
        <button type="button" disabled={act.busy} onClick={saveRoles}>{t('people.saveRoles')}</button>
        <button type="button" class={active ? 'danger' : 'secondary'} disabled={act.busy} onClick={toggle}>{active ? t('people.deactivate') : t('people.reactivate')}</button>
        <button type="button" class="secondary" disabled={act.busy} onClick={() => void reinvite()}>{t('people.resendInvitation')}</button>
        <button type="button" class="danger" disabled={act.busy} onClick={remove}>{t('people.delete')}</button>
      </div>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void reset(); }} noValidate>
        <TextField label={t('people.newPassword')} name="new_password" type="password" autocomplete="new-password" value={password} onInput={setPassword} error={refusalAt(act.failure, '/body/password')} />
        <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('people.resetPassword')}</button></div>
      </form>
      <button type="button" class="secondary" onClick={props.onClose}>{t('form.close')}</button>
    </section>
  );
}

export const peopleRoute: PageRoute = { path: '/people', component: PeoplePage, title: 'people.title', permission: 'accounts.read', nav: { label: 'nav.people', order: 50 } };
