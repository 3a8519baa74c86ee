// `orchard sim enrol --serial A,B,C` or `--serials-file FILE`: several simulated devices walk
// Setup Assistant one after another. stdout gets one parseable line per device
// (`<serial> enrolled <UDID> <MDM ServerURL>` or `<serial> not-enrolled <reason>`); progress goes
// to `progress` (the CLI's: stderr, when someone watches). A server that cannot be reached stops
// the run (every next device would fail the same way); any other failure is that device's line.
import fs from 'node:fs';
import { ConfigError } from '../config.js';
import { SimulatedDevice, type SimFamily } from './device.js';

export interface ManyOptions {
  serials: string[];
  family: SimFamily;
  url: string;
  token: string;
  enrolUrl?: string;
  osVersion?: string;
  buildVersion?: string;
}

/** The serials named by `--serial A,B` and `--serials-file` (one per line, # comments). */
export function serialsOf(o: Record<string, string>): string[] {
  const listed = (o.serial ?? '').split(',');
  let fromFile: string[] = [];
  if (o['serials-file']) {
    try {
      fromFile = fs.readFileSync(o['serials-file'], 'utf8').split('\n').map((l) => l.replace(/#.*/, ''));
    } catch (err) {
      throw new ConfigError(`cannot read --serials-file ${o['serials-file']} (${(err as NodeJS.ErrnoException).code ?? String(err)}): give a file with one serial number a line`);
    }
  }
  return [...new Set([...listed, ...fromFile].map((s) => s.trim()).filter(Boolean))];
}

const unreachable = (err: unknown) => err instanceof TypeError && err.message === 'fetch failed';

/** Returns 0 when every device enrolled, 3 when some did not. */
export async function enrolMany(m: ManyOptions, out: (s: string) => void, progress: (line: string) => void): Promise<number> {
  let enrolled = 0;
  let refused = 0;
  for (const [i, serial] of m.serials.entries()) {
    const device = new SimulatedDevice({ serial, family: m.family, osVersion: m.osVersion, buildVersion: m.buildVersion });
    try {
      await device.obtainIdentity(m.url, m.token);
      const outcome = await device.enrol({ orchardUrl: m.enrolUrl ? undefined : m.url, enrolUrl: m.enrolUrl });
      if (outcome.state === 'not-enrolled') {
        refused++;
        out(`${serial} not-enrolled ${outcome.reason}\n`);
      } else {
        enrolled++;
        out(`${serial} enrolled ${device.udid} ${outcome.mdm.serverUrl}\n`);
      }
    } catch (err) {
      if (unreachable(err)) throw err;
      refused++;
      out(`${serial} not-enrolled ${(err as Error)?.message?.replace(/\s*\n\s*/g, ' ') ?? String(err)}\n`);
    }
    progress(`sim enrol: ${i + 1}/${m.serials.length} devices (${enrolled} enrolled, ${refused} not)`);
  }
  return refused ? 3 : 0;
}
