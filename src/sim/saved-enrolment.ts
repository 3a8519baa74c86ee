// A simulated device's enrolment on disk, so `orchard sim run --state-dir DIR` comes back as the
// same device: same UDID, MDM identity (certificate and key), installed profile, push token and
// PushMagic, and what commands changed (installed apps, awaiting configuration). A real device
// keeps all of this across restarts; it walks Setup Assistant again only after an erase.
// One JSON file per serial number, written with mode 0600 (it holds a private key).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildPlist, parsePlistDict } from '../plist/index.js';
import { SimulatedDevice, type SimFamily, type SimulatedDeviceOptions } from './device.js';
import type { SimState } from './mdm-responses.js';
import type { InstalledMdm } from './setup-assistant.js';

export interface SavedEnrolment {
  version: 1;
  serial: string;
  family: SimFamily;
  udid: string;
  osVersion: string;
  buildVersion: string;
  identity: { certificate: string; key: string; chain: string[] };
  mdm: InstalledMdm;
  /** XML plists: the installed profile and the cloud configuration it came with. */
  profile: string;
  profileVerified: boolean;
  cloudConfig?: string;
  pushToken: string;
  pushMagic: string;
  state: SimState;
}

export const savedEnrolmentPath = (dir: string, serial: string) => path.join(dir, `${serial}.json`);

export function saveEnrolment(device: SimulatedDevice): SavedEnrolment {
  if (!device.mdm || !device.mdmIdentity || !device.profile) throw new Error('the device is not enrolled');
  const client = device.mdmClient();
  return {
    version: 1, serial: device.serial, family: device.family, udid: device.udid, osVersion: device.osVersion, buildVersion: device.buildVersion,
    identity: {
      certificate: device.mdmIdentity.cert.toString(),
      key: device.mdmIdentity.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      chain: (device.mdmIdentity.chain ?? []).map((c) => c.toString()),
    },
    mdm: device.mdm, profile: buildPlist(device.profile), profileVerified: device.profileVerified,
    cloudConfig: device.cloudConfig ? buildPlist(device.cloudConfig) : undefined,
    pushToken: device.pushToken.toString('hex'), pushMagic: client.pushMagic, state: client.state,
  };
}

/** The device a saved enrolment describes, enrolled, with its PushMagic and state. */
export function restoreDevice(saved: SavedEnrolment, o: Omit<SimulatedDeviceOptions, 'serial' | 'family' | 'udid' | 'pushToken'> = {}): SimulatedDevice {
  if (saved.version !== 1) throw new Error(`unknown saved enrolment version ${String(saved.version)}`);
  const device = new SimulatedDevice({
    ...o, serial: saved.serial, family: saved.family, udid: saved.udid, osVersion: saved.osVersion, buildVersion: saved.buildVersion,
    pushToken: Buffer.from(saved.pushToken, 'hex'),
  });
  device.mdmIdentity = {
    cert: new X509Certificate(saved.identity.certificate), key: createPrivateKey(saved.identity.key),
    chain: saved.identity.chain.map((c) => new X509Certificate(c)),
  };
  device.mdm = saved.mdm;
  device.profile = parsePlistDict(saved.profile);
  device.profileVerified = saved.profileVerified;
  device.cloudConfig = saved.cloudConfig ? parsePlistDict(saved.cloudConfig) : undefined;
  device.mdmClient({ pushMagic: saved.pushMagic, state: saved.state });
  return device;
}

export function readSavedEnrolment(dir: string, serial: string): SavedEnrolment | undefined {
  const file = savedEnrolmentPath(dir, serial);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SavedEnrolment;
}

export function writeSavedEnrolment(dir: string, device: SimulatedDevice): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = savedEnrolmentPath(dir, device.serial);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(saveEnrolment(device), null, 1) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}
