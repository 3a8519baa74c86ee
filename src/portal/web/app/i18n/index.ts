// The interface's language: from localStorage when chosen, else the browser's; English otherwise.
import { en, type MessageKey, type Messages } from './en.js';
import { fr } from './fr.js';

export type Lang = 'en' | 'fr';
export const LANGS: Record<Lang, { name: string; messages: Messages }> = {
  en: { name: 'English', messages: en },
  fr: { name: 'Français', messages: fr },
};
const STORE_KEY = 'orchard.lang';

function initial(): Lang {
  const stored = safeStorage()?.getItem(STORE_KEY);
  if (stored === 'en' || stored === 'fr') return stored;
  return (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
function safeStorage(): Storage | undefined {
  try { return window.localStorage; } catch { return undefined; }
}

let current: Lang = initial();
const listeners = new Set<(l: Lang) => void>();
document.documentElement.lang = current;

export const lang = (): Lang => current;
export function setLang(l: Lang): void {
  current = l;
  safeStorage()?.setItem(STORE_KEY, l);
  document.documentElement.lang = l;
  for (const f of listeners) f(l);
}
export function onLangChange(f: (l: Lang) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The text of `key` in the current language, `{name}` replaced by vars.name. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = LANGS[current].messages[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A value of one of the API's vocabularies (a state, a status, an outcome) in the current language; unknown values as they are. */
export function term(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `term.${value}`;
  return key in en ? t(key as MessageKey) : value;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(current === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
export type { MessageKey };
