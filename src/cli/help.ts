// Usage texts of `orchard` and its commands, and the flags every command takes. `orchard --help`
// and `orchard <command> --help` print them and exit 0; errors point here in one line.
import { ADMIN_USAGE } from './admin.js';
import { BENCH_USAGE } from './bench.js';
import { SIM_USAGE } from '../sim/cli.js';

const SETTINGS = `settings (flags, or the environment variables in README.md "Configuration"):
  --data-dir DIR   --port N   --dep-port N   --host ADDR   --base-url URL   --dep-base-url URL
  --log-level debug|info|warn|error|silent   --test-controls
  --apns-mode simulator|production|sandbox   --apns-address HOST   --apns-port N   --apns-connections N`;

const GLOBAL = `every command also takes:
  --help, -h    this command's usage
  --verbose     on failure, the stack trace as well as the one-line message
  --progress    progress lines on stderr even when stderr is not a terminal`;

export const USAGE = `usage: npx orchard <command> [options]

commands:
  serve            run the server (default)
  sim enrol        a simulated device walks Setup Assistant
  sim run          a simulated device enrols, checks in and answers pushed commands until Ctrl-C
  token            write an MDM server's current server token (.p7m) to a file
  apns-sim         run the local APNs on its own
  bench            fleet-scale benchmarks against a temporary server (BENCHMARKS.md)
  admin reset-password   set a new password for an account, from the data directory
  help [command]   show this text, or a command's

npx orchard <command> --help shows a command's options.

${GLOBAL}
`;

const SERVE_USAGE = `usage: npx orchard serve [settings]

Runs Orchard: the admin API and portal, MDM, enrolment and the Apps and Books API on --port, the
Device Assignment API on --dep-port. The first start on an empty data directory creates the demo
organisation and prints its Administrator's password once (lost it? npx orchard admin reset-password).

${SETTINGS}

${GLOBAL}
`;

const TOKEN_USAGE = `usage: npx orchard token --server <name|id> [--org <organisation ID>] [--out FILE] [--data-dir DIR]

Writes an MDM server's current server token (.p7m, encrypted to the server's public key) to FILE
(default: the token's own file name), reading the data directory as serve does.

${GLOBAL}
`;

const APNS_SIM_USAGE = `usage: npx orchard apns-sim [--host ADDR] [--port 2197] [--device-port 2198] [--environment production|sandbox]
                          [--push-ca FILE] [--tls-cert FILE --tls-key FILE] [--data-dir DIR]

Runs the local APNs on its own, with TLS and push CA from the data directory's PKI unless the
files are given.

${GLOBAL}
`;

const SIM_HELP = `${SIM_USAGE}
${GLOBAL}
`;

const BENCH_HELP = `usage: npx ${BENCH_USAGE}

${GLOBAL}
`;

const ADMIN_HELP = `${ADMIN_USAGE}
${GLOBAL}
`;

const BY_COMMAND: Record<string, string> = {
  serve: SERVE_USAGE, sim: SIM_HELP, token: TOKEN_USAGE, 'apns-sim': APNS_SIM_USAGE, bench: BENCH_HELP, admin: ADMIN_HELP,
};

export const COMMANDS = Object.keys(BY_COMMAND);

/** The usage of `command` (the general one for no or an unknown command). */
export function usageOf(command: string | undefined): string {
  return (command && BY_COMMAND[command]) || USAGE;
}
