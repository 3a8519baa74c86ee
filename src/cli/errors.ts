// How the command line reports a failure: ONE line on stderr that says what to do, and an exit
// code (2 for a usage or settings mistake, 1 for anything else). Stacks only with --verbose: a
// user who mistyped a URL needs the URL, not undici's internals.
import { ApiClientError } from '../client/index.js';
import { ConfigError } from '../config.js';

/** A failure the user can act on; `message` is the whole answer (one line, no stack). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

interface NetworkCause {
  code: string;
  address?: string;
  port?: number;
}

/**
 * The network cause of a failed `fetch` (undici throws `TypeError: fetch failed` and puts the
 * socket error in `cause`; with several addresses for a name, an AggregateError of them).
 */
export function networkCause(err: unknown): NetworkCause | undefined {
  if (!(err instanceof TypeError) || err.message !== 'fetch failed') return undefined;
  const cause = (err as { cause?: any }).cause;
  const first = cause?.code ? cause : cause?.errors?.[0];
  const code = first?.code ?? cause?.code;
  if (typeof code !== 'string') return { code: cause?.message ?? 'network error' };
  return { code, address: first?.address, port: first?.port };
}

const WHY: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

/**
 * Turns a failed fetch into "cannot reach <url>" with what to check. `urls` are the URLs the
 * command was given; the one whose port matches the failed socket is named.
 */
export function unreachable(err: unknown, urls: Array<string | undefined>): CliError | undefined {
  const cause = networkCause(err);
  if (!cause) return undefined;
  const given = urls.filter((u): u is string => !!u);
  const portOf = (u: string) => {
    try {
      const p = new URL(u);
      return Number(p.port || (p.protocol === 'https:' ? 443 : 80));
    } catch {
      return undefined;
    }
  };
  const url = given.find((u) => cause.port !== undefined && portOf(u) === cause.port) ?? given[0]
    ?? (cause.address ? `${cause.address}:${cause.port}` : 'the server');
  const why = WHY[cause.code] ? `${WHY[cause.code]}, ${cause.code}` : cause.code;
  return new CliError(`cannot reach ${url} (${why}): check that Orchard is running there (npx orchard serve) and that the URL's host and port are the ones it printed`);
}

/** A file the command could not open or write (fs errors carry `code` and `path`). */
function fileFailure(err: unknown): CliError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.code !== 'string' || typeof e.path !== 'string') return undefined;
  const why: Record<string, string> = { ENOENT: 'it does not exist', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a directory', ENOTDIR: 'a part of the path is not a directory' };
  return new CliError(`cannot use ${e.path} (${why[e.code] ? `${why[e.code]}, ` : ''}${e.code}): check the path given (or the data directory, --data-dir) and its permissions`);
}

/** A port another process holds (the commands that listen besides serve: apns-sim). */
function portFailure(err: unknown): CliError | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (!(err instanceof Error) || e.code !== 'EADDRINUSE') return undefined;
  return new CliError(`port ${e.port ?? '?'} is already in use${e.address ? ` on ${e.address}` : ''}: stop what holds it, or choose another port (see the command's --help)`);
}

/** What the admin API refused (the typed client's error): the route, status, code, message and field pointers. */
function apiFailure(err: unknown): CliError | undefined {
  if (!(err instanceof ApiClientError)) return undefined;
  const hint = err.status === 401 ? ': check the token (--token or --token-file)' : err.status === 403 ? ": the token's account lacks the role this needs" : '';
  return new CliError(`the server refused ${err.describe()}${hint}`);
}

/** The http(s) URLs on a command line (`--url U`, `--url=U`), to name the one that failed. */
export function urlsIn(argv: string[]): string[] {
  return argv.map((a) => a.slice(a.indexOf('=') + 1)).filter((a) => /^https?:\/\//i.test(a));
}

/**
 * The one line (or, verbose, the stack) that `orchard` prints for `err`, and its exit code.
 * `argv` names the URLs a network failure may be about.
 */
export function describeFailure(err: unknown, verbose: boolean, argv: string[] = []): { text: string; exitCode: number } {
  const known = err instanceof CliError ? err : unreachable(err, urlsIn(argv)) ?? apiFailure(err) ?? fileFailure(err) ?? portFailure(err);
  const exitCode = err instanceof ConfigError ? 2 : known?.exitCode ?? 1;
  if (verbose) {
    const stack = (e: unknown): string => (e instanceof Error ? `${e.stack ?? e.message}${e.cause ? `\ncaused by: ${stack(e.cause)}` : ''}` : String(e));
    return { text: `orchard: ${known ? `${known.message}\n` : ''}${stack(err)}\n`, exitCode };
  }
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
  if (known || err instanceof ConfigError) return { text: `orchard: ${oneLine((known ?? (err as Error)).message)}\n`, exitCode };
  const message = err instanceof Error ? err.message : String(err);
  return { text: `orchard: ${oneLine(message)} (run again with --verbose for details)\n`, exitCode };
}
