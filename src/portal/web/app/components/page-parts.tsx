// Parts the admin pages share beyond forms.tsx: a file input that reads its file as text, a
// multi-line field, checkboxes for a list of values, a loader that keeps a read's answer and
// failure, and a section shown only with a permission.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Me } from '../api.js';
import { t } from '../i18n/index.js';
import { Field, Notice, failureText, useId } from './forms.js';

/** A file input whose file is read as text (a PEM certificate, a key); `onText('')` when cleared. */
export function FileField(props: { label: string; accept?: string; error?: string; hint?: string; onText: (text: string, name: string) => void }) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <input id={id} type="file" accept={props.accept} aria-invalid={invalid} aria-describedby={describedBy}
          onChange={async (e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            props.onText(file ? await file.text() : '', file?.name ?? '');
          }} />
      )}
    </Field>
  );
}

export function TextArea(props: { label: string; value: string; onInput: (v: string) => void; error?: string; hint?: string; rows?: number; name?: string }) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} name={props.name} rows={props.rows ?? 3} value={props.value} aria-invalid={invalid} aria-describedby={describedBy}
          onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)} />
      )}
    </Field>
  );
}

/** A group of checkboxes, one per value, in a fieldset with a legend. */
export function Checkboxes(props: { legend: string; values: readonly string[]; label?: (v: string) => string; checked: string[]; onChange: (checked: string[]) => void }) {
  const id = useId('cb');
  return (
    <fieldset class="checkboxes">
      <legend>{props.legend}</legend>
      {props.values.map((v, i) => (
        <label for={`${id}-${i}`}>
          <input id={`${id}-${i}`} type="checkbox" checked={props.checked.includes(v)}
            onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked ? [...props.checked, v] : props.checked.filter((c) => c !== v))} />
          {' '}{props.label ? props.label(v) : v}
        </label>
      ))}
    </fieldset>
  );
}

/** Serial numbers typed or pasted: separated by spaces, commas, semicolons or lines. */
export const serialsOf = (text: string): string[] => [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];

/** Runs a read on mount and on `reload()`: its answer, and its failure shown as a notice. */
export function useLoad<T>(read: () => Promise<T>, deps: unknown[] = []): { data: T | undefined; reload: () => Promise<void>; notice: ComponentChildren } {
  const [data, setData] = useState<T>();
  const [failure, setFailure] = useState<unknown>();
  const reload = useCallback(async () => {
    try { setData(await read()); setFailure(undefined); } catch (err) { setFailure(err); }
  }, deps);
  useEffect(() => { void reload(); }, [reload]);
  return { data, reload, notice: failure !== undefined ? <Notice kind="error">{failureText(failure)}</Notice> : null };
}

export type Permission = Me['permissions'][number];
export const can = (me: Me, permission: Permission) => me.permissions.includes(permission);

/** A titled panel shown only when the caller holds `permission`. */
export function Section(props: { me: Me; permission: Permission; title: string; children: ComponentChildren }) {
  const id = useId('sec');
  if (!can(props.me, props.permission)) return null;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function money(m: unknown): string {
  if (m && typeof m === 'object' && 'amount' in m) return `${(m as { amount: string }).amount} ${(m as { currency?: string }).currency ?? ''}`.trim();
  return m === null || m === undefined ? '—' : String(m);
}

export const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));
