// `orchard token --server <name|id> [--org <organisation ID>] [--out FILE]`: writes an MDM
// server's current token file, reading the data directory as `serve` does (the server may be
// running: SQLite WAL allows a second reader).
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../config.js';
import { openDataDir } from './data-dir.js';

/** Splits our own flags off; the rest (--data-dir...) goes to loadConfig. */
export function ownFlags(argv: string[], names: string[]): { own: Record<string, string>; rest: string[] } {
  const own: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? [argv[i]!.split('=')[0]!, argv[i]!.slice(argv[i]!.indexOf('=') + 1)] : [argv[i]!, undefined];
    if (!names.includes(flag)) { rest.push(argv[i]!); continue; }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new ConfigError(`option ${flag} needs a value`);
    own[flag] = v;
  }
  return { own, rest };
}

export async function tokenCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<string> {
  const { own, rest } = ownFlags(argv, ['--server', '--org', '--out']);
  if (!own['--server']) throw new ConfigError('token: --server <name|id> is required');
  const config = loadConfig(process.env, rest);
  const { store, services, close } = openDataDir(config, 'token');
  try {
    const orgs = own['--org'] ? [await store.organisations.getByOrgId(own['--org'])].filter((o) => o !== undefined) : await store.organisations.list();
    if (!orgs.length) throw new ConfigError(`token: no organisation ${own['--org']}`);
    const matches = [];
    for (const org of orgs) {
      try {
        matches.push(await services.servers.resolve(org.id, own['--server']));
      } catch { /* not in this organisation */ }
    }
    if (matches.length === 0) throw new ConfigError(`token: no MDM server "${own['--server']}"`);
    if (matches.length > 1) throw new ConfigError(`token: "${own['--server']}" names servers in several organisations; add --org`);
    const token = await services.servers.downloadToken(matches[0]!.orgId, matches[0]!.id);
    const file = own['--out'] ?? token.fileName;
    fs.writeFileSync(file, token.body, { mode: 0o600 });
    out.write(`wrote ${file} (expires ${token.expiresAt.toISOString()})\n`);
    return file;
  } finally {
    close();
  }
}
