// Usage texts of `orchard` and its commands, and the flags every command takes. `orchard --help`
// and `orchard <command> --help` print them and exit 0; errors point here in one line.
// Kept free of the commands' modules (bench's usage aside), so that help answers at once.
import { readFixture } from '../fixtures.js';

/** The demo organisation's Administrator, whose password `admin reset-password` resets by default. */
export const demoAdministratorEmail = () => readFixture<{ administrator: { email: string } }>('demo-organisation.json').administrator.email;

const SIM_USAGE = `usage: npx orchard sim enrol --serial SERIAL [--family iPhone|iPad|Mac|AppleTV] --url ORCHARD_URL
                             [--udid UDID] [--token TOKEN | --token-file FILE] [--enrol-url URL]
                             [--email ID --password PW] [--os-version V --build B]
       npx orchard sim enrol --serial S1,S2,… | --serials-file FILE  --url ORCHARD_URL […]
       npx orchard sim run   --serial SERIAL [--family iPhone|iPad|Mac|AppleTV] --url ORCHARD_URL
                             [--token TOKEN | --token-file FILE] [--state-dir DIR] [--udid UDID]
                             [--os-version V --build B]

  run           enrols (or reuses the enrolment saved under --state-dir), checks in, holds its
                APNs connection (the device channel Orchard's GET /api/v1/apns names) and answers
                each push's commands until Ctrl-C, one log line per push and per command
  --state-dir   where the device's enrolment is kept between runs (<DIR>/<SERIAL>.json)

  several       --serial S1,S2,… or --serials-file FILE (one serial a line): the devices enrol one
                after another, one line each on stdout (<serial> enrolled <UDID> <ServerURL> or
                <serial> not-enrolled <reason>; exit 3 if any did not), progress on stderr
  --url         Orchard's base URL (device identity and activation)
  --token       an Administrator API token (default: the contents of --token-file,
                which defaults to ./data/admin-token)
  --enrol-url   POST MachineInfo here instead of asking Orchard for the cloud configuration
                (to enrol with another MDM)
  --email/--password   the Managed Apple ID for a configuration web URL sign-in
`;

const ADMIN_USAGE = `usage: npx orchard admin reset-password [--email <Managed Apple ID>] [--data-dir DIR]
       npx orchard admin import-upgrade <file> [--as <Managed Apple ID>] [--dry-run] [--data-dir DIR]

reset-password sets a new random password for an account and prints it once. Without --email: the demo
organisation's Administrator (${demoAdministratorEmail()}). Works on the data directory, whether or not the
server runs; the account's other portal sign-ins are handled as any password change.

import-upgrade imports an old Device Enrollment Program / Volume Purchase Program export
(docs/upgrade-import.md) into the organisation of the Administrator --as names (default: the demo
organisation's), all or nothing, as POST /api/v1/organisation/upgrade-imports does. --dry-run
prints what it would bring and every refusal, writing nothing.
`;


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
  devices assign   assign the serial numbers of a CSV file to an MDM server, with progress
  apns-sim         run the local APNs on its own
  bench            fleet-scale benchmarks against a temporary server (BENCHMARKS.md)
  admin reset-password   set a new password for an account, from the data directory
  admin import-upgrade   import an old DEP/VPP account's export file into an organisation
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


const ADMIN_HELP = `${ADMIN_USAGE}
${GLOBAL}
`;

const DEVICES_HELP = `usage: npx orchard devices assign --server MDM_SERVER_ID --csv FILE [--url ORCHARD_URL]
                             [--token TOKEN | --token-file FILE] [--chunk N]

Assigns the devices whose serial numbers a CSV file lists (first column; a header row is skipped)
to an MDM server, through the admin API (POST /api/v1/mdm-servers/{id}/devices), --chunk serials
a request (default 10000, at most 100000), each request all or nothing. Progress after each chunk
on stderr; the totals as JSON on stdout.
  --url         Orchard's base URL (default http://localhost:8080)
  --token       an API token with devices.manage (default: the contents of --token-file,
                which defaults to ./data/admin-token)

${GLOBAL}
`;

const BY_COMMAND: Record<string, string> = {
  devices: DEVICES_HELP,
  serve: SERVE_USAGE, sim: SIM_HELP, token: TOKEN_USAGE, 'apns-sim': APNS_SIM_USAGE, admin: ADMIN_HELP,
};

export const COMMANDS = ['serve', 'sim', 'token', 'devices', 'apns-sim', 'bench', 'admin'];

/** The usage of `command` (the general one for no or an unknown command). */
export async function usageOf(command: string | undefined): Promise<string> {
  // bench's names its scenarios, which live with the benchmark code.
  if (command === 'bench') return `usage: npx ${(await import('./bench.js')).BENCH_USAGE}\n\n${GLOBAL}\n`;
  return (command && BY_COMMAND[command]) || USAGE;
}
