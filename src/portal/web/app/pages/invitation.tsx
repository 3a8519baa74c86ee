// The pages an invited person and a federated sign-in land on, before any session (issue 16):
// /portal/invitation#token=... sets the password of an invited account under the password policy
// (a weak password leaves the link usable; a used or expired link says so), and
// /portal/federation/callback?code=...&state=... hands the identity provider's answer to
// POST /api/v1/federation/callback, which opens the session, then lands in the portal.
import { useEffect, useState } from 'preact/hooks';
import { acceptInvitation, federationCallback, linkToken } from '../api-identity.js';
import { ApiFailure } from '../api.js';
import { Notice, TextField, failureText, useAction } from '../components/forms.js';
import { PublicCard, refusalAt } from '../components/public-card.js';
import { t } from '../i18n/index.js';

/** A link that cannot be used any more (used, expired, revoked, unknown): what to do instead. */
const deadLink = (failure: unknown) => failure instanceof ApiFailure && failure.fields.length === 0 && failure.status >= 400 && failure.status < 500;

export function InvitationPage() {
  const token = linkToken();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState<string>();
  const act = useAction();
  const submit = async () => {
    if (password !== again) { act.fail(t('invitation.mismatch')); return; }
    const r = await act.run(() => acceptInvitation(token, password));
    if (r) setDone(r.email);
  };
  if (done) {
    return (
      <PublicCard title={t('invitation.title')}>
        <Notice kind="success">{t('invitation.done', { email: done })}</Notice>
        <p><a href="/">{t('signup.signInNow')}</a></p>
      </PublicCard>
    );
  }
  return (
    <PublicCard title={t('invitation.title')}>
      <p>{t('invitation.intro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <TextField label={t('invitation.password')} name="password" type="password" autocomplete="new-password" required value={password} onInput={setPassword} error={refusalAt(act.failure, '/body/password')} />
        <TextField label={t('invitation.again')} name="password_again" type="password" autocomplete="new-password" required value={again} onInput={setAgain} />
        {act.failure !== undefined ? <Notice kind="error">{deadLink(act.failure) ? t('invitation.deadLink', { reason: (act.failure as ApiFailure).message }) : failureText(act.failure)}</Notice> : null}
        <button type="submit" disabled={act.busy}>{t('invitation.submit')}</button>
      </form>
    </PublicCard>
  );
}

export function FederationCallbackPage() {
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => {
    federationCallback(window.location.search.replace(/^\?/, '')).then(
      () => window.location.replace('/'),
      (err) => setFailure(err),
    );
  }, []);
  return (
    <PublicCard title={t('federation.callbackTitle')}>
      {failure === undefined ? <p>{t('federation.finishing')}</p> : (
        <>
          <Notice kind="error">{failureText(failure)}</Notice>
          <p><a href="/">{t('federation.backToSignIn')}</a></p>
        </>
      )}
    </PublicCard>
  );
}
