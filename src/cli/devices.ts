// `orchard devices assign --server ID --csv FILE`: assigns the serial numbers of a CSV file (first
// column; a header row is skipped) to an MDM server through the admin API's typed client, in
// chunks of --chunk serials (default 10,000; the API takes at most 100,000 a request). Each chunk
// is one request and one transaction on the server: all of it or none of it. A failure names how
// many serials the chunks before it assigned; running the command again is safe (devices already
// on the server count as unchanged). Progress after each chunk on stderr (a terminal or
// --progress); stdout gets the totals as JSON.
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { ApiClientError, createOrchardClient, ok } from '../client/index.js';
import { ConfigError } from '../config.js';
import { adminToken } from '../sim/cli-args.js';
import { CliError } from './errors.js';
import type { ProgressLog } from './progress.js';

const KNOWN = ['server', 'csv', 'url', 'token', 'token-file', 'chunk'];
const SERIAL = /^[A-Z0-9]{8,14}$/;

function options(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument ${a} (npx orchard devices --help)`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!KNOWN.includes(name)) throw new ConfigError(`unknown option --${name} (npx orchard devices --help)`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`option --${name} needs a value (npx orchard devices --help)`);
    out[name] = value;
  }
  return out;
}

/** The first column's values, without a header row and blank lines, trimmed. */
export function serialsOfCsv(text: string): string[] {
  const rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  const firsts = rows.map((r) => r[0] ?? '').filter((s) => s !== '');
  if (firsts.length && !SERIAL.test(firsts[0]!.toUpperCase())) firsts.shift();
  return firsts;
}

export interface AssignTotals { mdm_server_id: string; serials: number; assigned: number; moved: number; unchanged: number; chunks: number }

export async function devicesCommand(argv: string[], out: (s: string) => void, progress: ProgressLog): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'assign') throw new ConfigError(`${sub === undefined ? 'a subcommand is needed' : `unknown subcommand ${sub}`}: npx orchard devices assign … (npx orchard devices --help)`);
  const o = options(rest);
  if (!o.server || !o.csv) throw new ConfigError('--server and --csv are required (npx orchard devices --help)');
  const chunk = o.chunk === undefined ? 10_000 : Number(o.chunk);
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 100_000) throw new ConfigError('--chunk must be a whole number from 1 to 100000');
  const serials = serialsOfCsv(fs.readFileSync(o.csv, 'utf8'));
  if (!serials.length) throw new CliError(`${o.csv} lists no serial numbers: put one in the first column of each line`);
  const api = createOrchardClient({ url: o.url ?? 'http://localhost:8080', token: adminToken(o) });

  const totals: AssignTotals = { mdm_server_id: o.server, serials: serials.length, assigned: 0, moved: 0, unchanged: 0, chunks: 0 };
  for (let from = 0; from < serials.length; from += chunk) {
    const part = serials.slice(from, from + chunk);
    const answer = await ok(api.POST('/mdm-servers/{id}/devices', { params: { path: { id: o.server } }, body: { serial_numbers: part } })).catch((err: unknown) => {
      if (err instanceof ApiClientError && from > 0) {
        throw new CliError(`the server refused serials ${from + 1}–${from + part.length} (${err.describe()}); the ${from} before them are assigned: fix the file and run the command again`);
      }
      throw err;
    });
    totals.assigned += answer.assigned;
    totals.moved += answer.moved;
    totals.unchanged += answer.unchanged;
    totals.chunks += 1;
    progress(`devices assign: ${from + part.length}/${serials.length} serials (assigned ${totals.assigned}, moved ${totals.moved}, unchanged ${totals.unchanged})`);
  }
  out(JSON.stringify(totals) + '\n');
}
