// The frame of the pages shown before any session (sign-up, the links of mails, the identity
// provider's return): a card with its title and the language switch, as the sign-in page has.
import type { ComponentChildren } from 'preact';
import { ApiFailure } from '../api.js';
import { LANGS, lang, setLang, t, type Lang } from '../i18n/index.js';
import { problemAt } from './forms.js';

/** `full`: a card as wide as the screen allows (the operator's tables). */
export function PublicCard(props: { title: string; wide?: boolean; full?: boolean; children: ComponentChildren }) {
  return (
    <main class="center" id="main">
      <section class={`card${props.wide ? ' card-wide' : ''}${props.full ? ' card-full' : ''}`} aria-labelledby="public-title">
        <div class="lang-corner">
          <select aria-label={t('app.language')} value={lang()} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {(Object.keys(LANGS) as Lang[]).map((l) => <option value={l} lang={l}>{LANGS[l].name}</option>)}
          </select>
        </div>
        <h1 id="public-title">{props.title}</h1>
        {props.children}
      </section>
    </main>
  );
}

/**
 * The refusal of the field at `pointer`: a business rule's own words when the API refused that
 * one field (a password under the policy: "at least 12 characters"), else the field problem.
 */
export function refusalAt(failure: unknown, pointer: string): string | undefined {
  const p = problemAt(failure, pointer);
  if (!p || !(failure instanceof ApiFailure)) return p;
  const only = failure.fields.length === 1 && failure.fields[0]!.problem === 'invalid_value' && !failure.fields[0]!.expected;
  return only ? failure.message : p;
}
