// Sign in with the account's Managed Apple ID and password (POST /api/v1/session), or through the
// identity provider of the address's domain when it is federated (POST /api/v1/federation/sign-in
// with the address; the provider sends the browser back to /portal/federation/callback).
import { useState } from 'preact/hooks';
import { federatedSignIn } from '../api-identity.js';
import { ApiFailure, given, signIn } from '../api.js';
import { Notice, TextField, failureText, problemAt } from '../components/forms.js';
import { LANGS, lang, setLang, t, type Lang } from '../i18n/index.js';

export function SignIn(props: { onSignedIn: () => Promise<void>; notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true); setFailure(undefined);
    try {
      await signIn(email, password);
      await props.onSignedIn();
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };
  const federated = async () => {
    setBusy(true); setFailure(undefined);
    try {
      const { authorization_url } = await federatedSignIn({ email: given(email) ?? '' });
      window.location.assign(authorization_url);
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };
  const noProvider = failure instanceof ApiFailure && failure.status === 404;
  // A wrong password is 401 (or a field problem); the sentence says so without saying which.
  const wrong = failure instanceof ApiFailure && (failure.status === 401 || failure.code === 'invalid_credentials');
  return (
    <main class="center" id="main">
      <form class="card sign-in" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <div class="lang-corner">
          <select aria-label={t('app.language')} value={lang()} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {(Object.keys(LANGS) as Lang[]).map((l) => <option value={l} lang={l}>{LANGS[l].name}</option>)}
          </select>
        </div>
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        {props.notice && !failure ? <Notice kind="info">{props.notice}</Notice> : null}
        {failure !== undefined ? <Notice kind="error">{noProvider ? t('signIn.noProvider') : wrong ? t('signIn.failed') : failure instanceof ApiFailure && failure.fields.length ? t('form.fixBelow') : failureText(failure)}</Notice> : null}
        <TextField label={t('signIn.email')} name="email" type="email" autocomplete="username" required value={email} onInput={setEmail} error={problemAt(failure, '/body/email')} />
        <TextField label={t('signIn.password')} name="password" type="password" autocomplete="current-password" required value={password} onInput={setPassword} error={problemAt(failure, '/body/password')} />
        <button type="submit" disabled={busy}>{t('signIn.submit')}</button>
        <p class="or">{t('signIn.or')}</p>
        <button type="button" class="secondary" disabled={busy} onClick={() => void federated()}>{t('signIn.federated')}</button>
        <p><a href="/signup">{t('signIn.enrol')}</a></p>
      </form>
    </main>
  );
}
