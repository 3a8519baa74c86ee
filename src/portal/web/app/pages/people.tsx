// People: the organisation's accounts and their roles. Create one with a password, edit its
// roles, deactivate or reactivate it (with a confirmation), set a new password. The text fields
// come from ACCOUNT_TEXT_FIELDS (api-pages.ts), so adding a field is one entry there and its label.
import { useState } from 'preact/hooks';
import { ACCOUNT_TEXT_FIELDS, ROLE_NAMES, accounts, createAccount, resetPassword, updateAccount, type Account, type AccountText } from '../api-pages.js';
import { TextField, problemAt, useAction, useConfirm } from '../components/forms.js';
import { Checkboxes, Section, can, useLoad } from '../components/page-parts.js';
import { DataTable } from '../components/table.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { PageProps, PageRoute } from '../routes.js';

const fieldLabel = (f: string) => t(`people.field.${f}` as MessageKey);
const roleLabel = (r: string) => t(`role.${r}` as MessageKey);

export function PeoplePage(props: PageProps) {
  const list = useLoad(accounts);
  const [editing, setEditing] = useState<Account>();
  const manage = can(props.me, 'accounts.manage');
  return (
    <>
      <h1>{t('people.title')}</h1>
      {list.notice}
      <DataTable caption={t('people.title')} rows={list.data ?? []} rowKey={(a) => a.id} columns={[
        { key: 'email', label: t('people.email'), cell: (a) => a.email },
        ...ACCOUNT_TEXT_FIELDS.map((f) => ({ key: f, label: fieldLabel(f), cell: (a: Account) => String(a[f] ?? '') })),
        { key: 'roles', label: t('people.roles'), cell: (a) => a.roles.map(roleLabel).join(', ') || '—' },
        { key: 'active', label: t('people.status'), cell: (a) => (a.active ? t('people.active') : t('people.inactive')) },
        { key: 'edit', label: t('people.edit'), hiddenLabel: true, cell: (a) => (manage
          ? <button type="button" class="secondary small" aria-label={t('people.editOne', { email: a.email })} onClick={() => setEditing(a)}>{t('people.edit')}</button> : null) },
      ]} />
      {editing ? <Edit key={editing.id} account={editing} onDone={async () => { await list.reload(); }} onClose={() => setEditing(undefined)} /> : null}
      <Section me={props.me} permission="accounts.manage" title={t('people.create')}>
        <Create onDone={list.reload} />
      </Section>
    </>
  );
}

function Create(props: { onDone: () => void }) {
  const blank = { email: '', password: '', ...Object.fromEntries(ACCOUNT_TEXT_FIELDS.map((f) => [f, ''])) } as AccountText & { email: string; password: string };
  const [f, setF] = useState(blank);
  const [roles, setRoles] = useState<string[]>([]);
  const act = useAction();
  const submit = async () => {
    const r = await act.run(() => createAccount({ ...f, roles }), (a) => t('people.created', { email: a.email }));
    if (r) { setF(blank); setRoles([]); props.onDone(); }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
      <TextField label={t('people.email')} name="email" type="email" required value={f.email} onInput={(email) => setF({ ...f, email })} error={problemAt(act.failure, '/body/email')} />
      {ACCOUNT_TEXT_FIELDS.map((k) => <TextField label={fieldLabel(k)} name={k} value={f[k]} onInput={(v) => setF({ ...f, [k]: v })} error={problemAt(act.failure, `/body/${k}`)} />)}
      <TextField label={t('people.password')} name="password" type="password" autocomplete="new-password" value={f.password} onInput={(password) => setF({ ...f, password })} error={problemAt(act.failure, '/body/password')} />
      <Checkboxes legend={t('people.roles')} values={ROLE_NAMES} label={roleLabel} checked={roles} onChange={setRoles} />
      <button type="submit" disabled={act.busy}>{t('people.createButton')}</button>
      {act.notices}
    </form>
  );
}

function Edit(props: { account: Account; onDone: () => Promise<void>; onClose: () => void }) {
  const a = props.account;
  const [roles, setRoles] = useState<string[]>(a.roles);
  const [password, setPassword] = useState('');
  const [active, setActive] = useState(a.active);
  const act = useAction();
  const [dialog, confirm] = useConfirm();
  const saveRoles = async () => { if (await act.run(() => updateAccount(a.id, { roles }), () => t('people.rolesSaved'))) await props.onDone(); };
  const toggle = async () => {
    if (active && !(await confirm(t('people.deactivateConfirm', { email: a.email })))) return;
    const r = await act.run(() => updateAccount(a.id, { active: !active }), (x) => (x.active ? t('people.reactivated') : t('people.deactivated')));
    if (r) { setActive(r.active); await props.onDone(); }
  };
  const reset = async () => {
    const ok = await act.run(() => resetPassword(a.id, password).then(() => true), () => t('people.passwordSet'));
    if (ok) setPassword('');
  };
  return (
    <section class="panel" aria-label={t('people.editOne', { email: a.email })}>
      {dialog}
      <h2>{t('people.editOne', { email: a.email })}</h2>
      {act.notices}
      <Checkboxes legend={t('people.roles')} values={ROLE_NAMES} label={roleLabel} checked={roles} onChange={setRoles} />
      <div class="inline">
        <button type="button" disabled={act.busy} onClick={saveRoles}>{t('people.saveRoles')}</button>
        <button type="button" class={active ? 'danger' : 'secondary'} disabled={act.busy} onClick={toggle}>{active ? t('people.deactivate') : t('people.reactivate')}</button>
      </div>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void reset(); }} noValidate>
        <TextField label={t('people.newPassword')} name="new_password" type="password" autocomplete="new-password" value={password} onInput={setPassword} error={problemAt(act.failure, '/body/password')} />
        <div class="field"><button type="submit" class="secondary" disabled={act.busy}>{t('people.resetPassword')}</button></div>
      </form>
      <button type="button" class="secondary" onClick={props.onClose}>{t('form.close')}</button>
    </section>
  );
}

export const peopleRoute: PageRoute = { path: '/people', component: PeoplePage, title: 'people.title', permission: 'accounts.read', nav: { label: 'nav.people', order: 50 } };
