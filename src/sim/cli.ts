// `orchard sim enrol`: one simulated device walks Setup Assistant against a running Orchard
// (or posts its MachineInfo to another MDM's enrolment URL) and prints what it ended with.
// `orchard sim run` (src/sim/cli-run.ts): the same, then the device checks in and answers pushes.
// Their usage is in src/cli/help.ts.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { SimulatedDevice, type SimFamily } from './device.js';
import { adminToken, FAMILIES, parse } from './cli-args.js';
import { enrolMany, serialsOf } from './cli-many.js';
import { simRun, type RunControls } from './cli-run.js';

/**
 * `controls.stopped` ends `sim run` (the CLI resolves it on SIGINT/SIGTERM); `controls.progress`
 * hears how an enrolment of several devices goes.
 */
export async function simCommand(argv: string[], out: (s: string) => void, controls?: RunControls & { progress?: (line: string) => void }): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') {
    if (!controls?.stopped) throw new Error('sim run needs a stop signal');
    return simRun(parse(rest), out, controls);
  }
  if (sub !== 'enrol' && sub !== 'enroll') throw new ConfigError(`unknown sim command ${sub ?? '(none)'}: the commands are \`sim enrol\` and \`sim run\` (npx orchard sim --help)`);
  const o = parse(rest);
  const known = ['serial', 'serials-file', 'family', 'url', 'udid', 'token', 'token-file', 'enrol-url', 'email', 'password', 'os-version', 'build'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw new ConfigError(`unknown option --${unknown[0]} (npx orchard sim --help)`);
  const serials = serialsOf(o);
  if (!serials.length || !o.url) throw new ConfigError('--serial (or --serials-file) and --url are required (npx orchard sim --help)');
  const family = (o.family ?? 'iPhone') as SimFamily;
  if (!FAMILIES.includes(family)) throw new ConfigError(`--family must be one of ${FAMILIES.join(', ')}`);
  const token = adminToken(o);
  if (serials.length > 1 || o['serials-file']) {
    if (o.udid || o.email) throw new ConfigError('--udid and --email name one device: leave them out when enrolling several (npx orchard sim --help)');
    return enrolMany({ serials, family, url: o.url, token, enrolUrl: o['enrol-url'], osVersion: o['os-version'], buildVersion: o.build }, out, controls?.progress ?? (() => {}));
  }
  const device = new SimulatedDevice({ serial: serials[0]!, family, udid: o.udid, osVersion: o['os-version'], buildVersion: o.build });
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
