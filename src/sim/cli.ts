// `orchard sim enrol`: one simulated device walks Setup Assistant against a running Orchard
// (or posts its MachineInfo to another MDM's enrolment URL) and prints what it ended with.
// `orchard sim run` (src/sim/cli-run.ts): the same, then the device checks in and answers pushes.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { SimulatedDevice, type SimFamily } from './device.js';
import { adminToken, FAMILIES, parse } from './cli-args.js';
import { simRun, type RunControls } from './cli-run.js';

export const SIM_USAGE = `usage: npx orchard sim enrol --serial SERIAL [--family iPhone|iPad|Mac|AppleTV] --url ORCHARD_URL
                             [--udid UDID] [--token TOKEN | --token-file FILE] [--enrol-url URL]
                             [--email ID --password PW] [--os-version V --build B]
       npx orchard sim run   --serial SERIAL [--family iPhone|iPad|Mac|AppleTV] --url ORCHARD_URL
                             [--token TOKEN | --token-file FILE] [--state-dir DIR] [--udid UDID]
                             [--os-version V --build B]

  run           enrols (or reuses the enrolment saved under --state-dir), checks in, holds its
                APNs connection (the device channel Orchard's GET /api/v1/apns names) and answers
                each push's commands until Ctrl-C, one log line per push and per command
  --state-dir   where the device's enrolment is kept between runs (<DIR>/<SERIAL>.json)

  --url         Orchard's base URL (device identity and activation)
  --token       an Administrator API token (default: the contents of --token-file,
                which defaults to ./data/admin-token)
  --enrol-url   POST MachineInfo here instead of asking Orchard for the cloud configuration
                (to enrol with another MDM)
  --email/--password   the Managed Apple ID for a configuration web URL sign-in
`;

/** `controls.stopped` ends `sim run` (the CLI resolves it on SIGINT/SIGTERM). */
export async function simCommand(argv: string[], out: (s: string) => void, controls?: RunControls): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') {
    if (!controls) throw new Error('sim run needs a stop signal');
    return simRun(parse(rest), out, controls);
  }
  if (sub !== 'enrol' && sub !== 'enroll') throw new ConfigError(`unknown sim command ${sub ?? '(none)'}: the commands are \`sim enrol\` and \`sim run\` (npx orchard sim --help)`);
  const o = parse(rest);
  const known = ['serial', 'family', 'url', 'udid', 'token', 'token-file', 'enrol-url', 'email', 'password', 'os-version', 'build'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw new ConfigError(`unknown option --${unknown[0]} (npx orchard sim --help)`);
  if (!o.serial || !o.url) throw new ConfigError('--serial and --url are required (npx orchard sim --help)');
  const family = (o.family ?? 'iPhone') as SimFamily;
  if (!FAMILIES.includes(family)) throw new ConfigError(`--family must be one of ${FAMILIES.join(', ')}`);
  const token = adminToken(o);
  const device = new SimulatedDevice({ serial: o.serial, family, udid: o.udid, osVersion: o['os-version'], buildVersion: o.build });
  await device.obtainIdentity(o.url, token);
  out(`device ${device.serial} (${device.family}, ${device.productName}, UDID ${device.udid}) has its device identity\n`);
  const outcome = await device.enrol({
    orchardUrl: o['enrol-url'] ? undefined : o.url, enrolUrl: o['enrol-url'],
    credentials: o.email ? { email: o.email, password: o.password ?? '' } : undefined,
  });
  if (outcome.state === 'not-enrolled') {
    out(`not enrolled: ${outcome.reason}\n`);
    return 3;
  }
  out([
    `enrolled: profile ${outcome.profileVerified ? 'verified' : 'signed, not verified'} (${String(outcome.profile.PayloadIdentifier)})`,
    `  MDM ServerURL   ${outcome.mdm.serverUrl}`,
    `  CheckInURL      ${outcome.mdm.checkInUrl}`,
    `  Topic           ${outcome.mdm.topic}`,
    `  identity        ${outcome.identity.cert.subject.replace(/\n/g, ', ')} (issuer ${outcome.identity.cert.issuer.replace(/\n/g, ', ')})`,
    '',
  ].join('\n'));
  return 0;
}
