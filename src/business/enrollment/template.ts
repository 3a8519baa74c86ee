// Fills the JSON templates in profiles/ (format described in profiles/README.md). Substitution
// is structural — a placeholder becomes a typed plist value — so nothing is ever spliced into
// XML text, and a value cannot change the profile's shape.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../fixtures.js';
import type { PlistValue } from '../../plist/index.js';

export type TemplateValues = Record<string, PlistValue | undefined>;

const WHOLE = /^\{\{([A-Za-z0-9_]+)(\?)?\}\}$/;
const INNER = /\{\{([A-Za-z0-9_]+)\}\}/g;
const OMIT = Symbol('omit');

const cache = new Map<string, unknown>();

/** A template from profiles/, parsed once per process. */
export function loadTemplate(name: string): unknown {
  let t = cache.get(name);
  if (t === undefined) {
    t = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'profiles', name), 'utf8'));
    cache.set(name, t);
  }
  return t;
}

function fill(node: unknown, values: TemplateValues, where: string): PlistValue | typeof OMIT {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole) {
      const v = values[whole[1]!];
      if (v !== undefined) return v;
      if (whole[2]) return OMIT;
      throw new Error(`template ${where}: no value for {{${whole[1]}}}`);
    }
    return node.replace(INNER, (_m, name: string) => {
      const v = values[name];
      if (v === undefined) throw new Error(`template ${where}: no value for {{${name}}}`);
      return String(v);
    });
  }
  if (Array.isArray(node)) {
    return node.map((n, i) => fill(n, values, `${where}[${i}]`)).filter((v): v is PlistValue => v !== OMIT);
  }
  if (node !== null && typeof node === 'object') {
    const out: Record<string, PlistValue> = {};
    for (const [k, n] of Object.entries(node)) {
      const v = fill(n, values, `${where}.${k}`);
      if (v !== OMIT) out[k] = v;
    }
    return out;
  }
  return node as PlistValue;
}

/** The template `name` with its placeholders replaced by `values`. */
export function renderTemplate(name: string, values: TemplateValues): PlistValue {
  const v = fill(loadTemplate(name), values, name);
  if (v === OMIT) throw new Error(`template ${name} is empty`);
  return v;
}
