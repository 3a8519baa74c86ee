// The shell: who is signed in (GET /api/v1/me), the sign-in page, the "session ended" page,
// the sidebar of Business Manager (each entry shown only to roles with its permission), the
// language switch and the routed page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { me as fetchMe, onSessionEnded, signOut, type Me } from './api.js';
import { LANGS, lang, onLangChange, setLang, t, type Lang } from './i18n/index.js';
import { SignIn } from './pages/sign-in.js';
import { publicPage } from './public-pages.js';
import { ROUTES, type PageRoute } from './routes.js';
import { href, match, navigate, useHashPath } from './router.js';

type Phase = { kind: 'loading' } | { kind: 'signed-out'; notice?: string } | { kind: 'ended' } | { kind: 'in'; me: Me };

export const allowed = (me: Me, r: PageRoute) => !r.permission || me.permissions.includes(r.permission);

export function App() {
  // A mailed link (sign-up, invitation) or the identity provider's return: its page, no session asked.
  const Public = publicPage();
  const [, setLang] = useState<Lang>(lang());
  useEffect(() => onLangChange(setLang), []);
  // Another link to the same page (a new token in the fragment) is a new page.
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (Public) return <Public key={hash} />;
  return <Portal />;
}

function Portal() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [, setLangState] = useState<Lang>(lang());
  useEffect(() => onLangChange(setLangState), []);
  useEffect(() => {
    onSessionEnded(() => setPhase((p) => (p.kind === 'in' ? { kind: 'ended' } : p)));
    fetchMe(true).then((m) => setPhase({ kind: 'in', me: m }), () => setPhase({ kind: 'signed-out' }));
  }, []);

  if (phase.kind === 'loading') return <p class="loading">{t('app.loading')}</p>;
  if (phase.kind === 'ended') return <SessionEnded onAgain={() => setPhase({ kind: 'signed-out' })} />;
  if (phase.kind === 'signed-out') {
    return <SignIn notice={phase.notice} onSignedIn={async () => setPhase({ kind: 'in', me: await fetchMe() })} />;
  }
  const out = async () => {
    await signOut().catch(() => undefined);
    navigate('/');
    setPhase({ kind: 'signed-out', notice: t('session.signedOut') });
  };
  return <Shell me={phase.me} onSignOut={out} />;
}

function LanguageSwitch() {
  return (
    <label class="lang">
      <span>{t('app.language')}</span>
      <select value={lang()} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
        {(Object.keys(LANGS) as Lang[]).map((l) => <option value={l} lang={l}>{LANGS[l].name}</option>)}
      </select>
    </label>
  );
}

function Shell(props: { me: Me; onSignOut: () => void }) {
  const path = useHashPath();
  const found = match(ROUTES, path);
  const nav = ROUTES.filter((r) => r.nav && allowed(props.me, r)).sort((a, b) => a.nav!.order - b.nav!.order);
  const active = found ? navOwner(found.route, nav) : undefined;
  // After a navigation, focus moves to the new page's content (a screen reader reads it next);
  // not on the first load, where the first Tab should reach "Skip to content".
  const navigated = useRef(false);
  useEffect(() => {
    document.title = `${found ? t(found.route.title, found.params) : t('app.notFound')} · Orchard`;
  }, [path, lang()]);
  useEffect(() => {
    if (navigated.current) document.getElementById('main')?.focus({ preventScroll: true });
    navigated.current = true;
  }, [path]);
  let body;
  if (!found) body = <p>{t('app.notFound')}</p>;
  else if (!allowed(props.me, found.route)) body = <p>{t('app.forbidden')}</p>;
  else { const Page = found.route.component; body = <Page key={path} params={found.params} me={props.me} />; }
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('app.skip')}</a>
      <header class="topbar">
        <a class="brand" href={href('/')}>{t('app.name')}</a>
        <div class="who">
          <span class="email">{t('app.signedInAs', { email: props.me.email })}</span>
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={props.onSignOut}>{t('app.signOut')}</button>
        </div>
      </header>
      <nav class="sidebar" aria-label={t('app.menu')}>
        <ul>
          {nav.map((r) => (
            <li><a href={href(r.path)} aria-current={r === active ? 'page' : undefined}>{t(r.nav!.label)}</a></li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>{body}</main>
    </div>
  );
}

/** The sidebar entry a page belongs to: its own, or the entry whose path starts its path (a device under Devices). */
function navOwner(route: PageRoute, nav: PageRoute[]): PageRoute | undefined {
  if (route.nav) return route;
  const first = route.path.split('/').filter(Boolean)[0];
  return nav.find((r) => r.path.split('/').filter(Boolean)[0] === first);
}

function SessionEnded(props: { onAgain: () => void }) {
  return (
    <main class="center" id="main">
      <section class="card" aria-labelledby="ended-title">
        <h1 id="ended-title">{t('session.endedTitle')}</h1>
        <p>{t('session.endedText')}</p>
        <button type="button" onClick={props.onAgain}>{t('session.signInAgain')}</button>
      </section>
    </main>
  );
}
