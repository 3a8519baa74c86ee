// Command-line arguments shared by `orchard sim enrol` and `orchard sim run`.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';

export const FAMILIES = ['iPhone', 'iPad', 'Mac', 'AppleTV'];

export function parse(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument ${a} (npx orchard sim --help)`);
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else {
      const v = argv[++i];
      if (v === undefined) throw new ConfigError(`option ${a} needs a value`);
      out[a.slice(2)] = v;
    }
  }
  return out;
}

export function adminToken(o: Record<string, string>): string {
  if (o.token) return o.token;
  const file = path.resolve(o['token-file'] ?? './data/admin-token');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`cannot read the API token from ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): pass --token TOKEN or --token-file FILE (serve writes <data dir>/admin-token on its first start)`);
  }
}

