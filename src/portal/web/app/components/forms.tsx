// Form parts every page uses: labelled fields with the API's inline errors (by field pointer),
// notices that screen readers announce, a confirmation dialog before destructive actions, and
// a hook that runs an API call and keeps its failure and success message.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, type FieldProblem } from '../api.js';
import { t } from '../i18n/index.js';

let nextId = 0;
export const useId = (prefix: string) => useRef(`${prefix}-${++nextId}`).current;

/** A field problem of the API (details.errors[]) as a sentence in the interface's language. */
export function problemText(p: FieldProblem): string {
  switch (p.problem) {
    case 'missing': return t('form.problem.missing');
    case 'unknown_field': return t('form.problem.unknown');
    case 'wrong_type':
    case 'invalid_value': return p.expected ? t('form.problem.expected', { expected: p.expected }) : t('form.problem.invalid');
    default: return p.expected ? `${p.problem}: ${p.expected}` : p.problem;
  }
}

/** The API's problem for the field at `pointer` (e.g. `/body/name`), if any. */
export function problemAt(failure: unknown, pointer: string): string | undefined {
  if (!(failure instanceof ApiFailure)) return undefined;
  const p = failure.fields.find((f) => f.pointer === pointer || f.pointer.startsWith(`${pointer}/`));
  return p ? problemText(p) : undefined;
}

/** A label, the control, and the field's error under it, tied by ids for assistive technology. */
export function Field(props: { label: string; error?: string; hint?: string; required?: boolean; children: (ids: { id: string; describedBy?: string; invalid: boolean }) => ComponentChildren }) {
  const id = useId('f');
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy = [props.error ? errId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>{props.label}{props.required ? <span class="req"> ({t('form.required')})</span> : null}</label>
      {props.children({ id, describedBy, invalid: !!props.error })}
      {props.hint ? <p class="hint" id={hintId}>{props.hint}</p> : null}
      {props.error ? <p class="field-error" id={errId}>{props.error}</p> : null}
    </div>
  );
}

export function TextField(props: { label: string; value: string; onInput: (v: string) => void; error?: string; type?: 'text' | 'email' | 'password' | 'search'; required?: boolean; autocomplete?: string; name?: string }) {
  return (
    <Field label={props.label} error={props.error} required={props.required}>
      {({ id, describedBy, invalid }) => (
        <input id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value} required={props.required} autocomplete={props.autocomplete}
          aria-invalid={invalid} aria-describedby={describedBy}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)} />
      )}
    </Field>
  );
}

export function SelectField(props: { label: string; value: string; onChange: (v: string) => void; options: Array<{ value: string; label: string }>; error?: string; name?: string }) {
  return (
    <Field label={props.label} error={props.error}>
      {({ id, describedBy, invalid }) => (
        <select id={id} name={props.name} value={props.value} aria-invalid={invalid} aria-describedby={describedBy}
          onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
          {props.options.map((o) => <option value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}

/** A message announced to screen readers: success is polite, an error assertive. */
export function Notice(props: { kind: 'success' | 'error' | 'info'; children: ComponentChildren }) {
  return <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>{props.children}</div>;
}

/** The sentence to show for a failed call. */
export function failureText(err: unknown): string {
  if (err instanceof ApiFailure) return err.status === 0 ? t('form.networkError') : t('form.error', { message: err.message });
  if (err instanceof FormProblem) return err.message;
  return t('form.networkError');
}

/** A problem the form finds before calling the API (nothing chosen yet): said as it is. */
export class FormProblem extends Error {}

/** Runs API calls for a form: busy while running, the failure kept (fields keep their input), a success message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [success, setSuccess] = useState<string | undefined>(undefined);
  const run = useCallback(async <T,>(fn: () => Promise<T>, successText?: (r: T) => string): Promise<T | undefined> => {
    setBusy(true); setFailure(undefined); setSuccess(undefined);
    try {
      const r = await fn();
      if (successText) setSuccess(successText(r));
      return r;
    } catch (err) {
      setFailure(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const notices = (
    <>
      {failure !== undefined ? <Notice kind="error">{failureText(failure)}{fieldList(failure)}</Notice> : null}
      {success ? <Notice kind="success">{success}</Notice> : null}
    </>
  );
  /** Shows a problem found before any call (the API is not asked). */
  const fail = useCallback((message: string) => { setSuccess(undefined); setFailure(new FormProblem(message)); }, []);
  return { busy, failure, success, run, fail, notices, setSuccess };
}

function fieldList(failure: unknown): JSX.Element | null {
  if (!(failure instanceof ApiFailure) || failure.fields.length === 0) return null;
  return <ul>{failure.fields.map((f) => <li><code>{f.pointer}</code>: {problemText(f)}</li>)}</ul>;
}

/** A confirmation before a destructive action: `ask(text)` resolves true when confirmed. */
export function useConfirm(): [JSX.Element | null, (text: string) => Promise<boolean>] {
  const [state, setState] = useState<{ text: string; resolve: (ok: boolean) => void } | undefined>();
  const ask = useCallback((text: string) => new Promise<boolean>((resolve) => setState({ text, resolve })), []);
  const close = (ok: boolean) => { state?.resolve(ok); setState(undefined); };
  const element = state ? <ConfirmDialog text={state.text} onClose={close} /> : null;
  return [element, ask];
}

function ConfirmDialog(props: { text: string; onClose: (ok: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    const onCancel = (e: Event) => { e.preventDefault(); props.onClose(false); };
    d.addEventListener('cancel', onCancel);
    return () => d.removeEventListener('cancel', onCancel);
  }, []);
  const id = useId('confirm');
  return (
    <dialog ref={ref} class="confirm" aria-labelledby={id}>
      <p id={id}>{props.text}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => props.onClose(false)}>{t('form.cancel')}</button>
        <button type="button" class="danger" onClick={() => props.onClose(true)}>{t('form.confirm')}</button>
      </div>
    </dialog>
  );
}

/** A progress bar with its text (assistive technology reads the value). */
export function Progress(props: { done: number; total: number; label: string }) {
  return (
    <div class="progress">
      <progress max={props.total} value={props.done} aria-label={props.label} />
      <span>{props.label}</span>
    </div>
  );
}
