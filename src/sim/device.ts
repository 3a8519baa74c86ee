// A simulated iPhone, iPad, Mac or Apple TV: its facts (serial, UDID, model, OS), its device
// identity from the factory (Orchard's device attestation CA), and after Setup Assistant its
// MDM identity and installed enrolment profile. The MDM half (check-in, commands) builds on
// `mdm` and `mdmIdentity` (src/sim/mdm-client.ts, issue 6).
import { randomBytes, type X509Certificate } from 'node:crypto';
import type { Identity } from '../crypto/types.js';
import type { PlistDict } from '../plist/index.js';
import { obtainDeviceAttestation } from './identity.js';
import { freshKeys, type KeySource } from './keys.js';
import type { FetchImpl } from './scep-client.js';
import { walkSetupAssistant, type InstalledMdm, type SetupOutcome } from './setup-assistant.js';

export type SimFamily = 'iPhone' | 'iPad' | 'Mac' | 'AppleTV';

/** Typical hardware per family: model name, product name, OS version and build. */
const DEFAULTS: Record<SimFamily, { model: string; productName: string; osVersion: string; buildVersion: string; cellular: boolean }> = {
  iPhone: { model: 'iPhone 15', productName: 'iPhone15,4', osVersion: '17.5.1', buildVersion: '21F90', cellular: true },
  iPad: { model: 'iPad Air (5th generation)', productName: 'iPad13,16', osVersion: '17.5.1', buildVersion: '21F90', cellular: false },
  Mac: { model: 'MacBook Air (M2, 2022)', productName: 'Mac14,2', osVersion: '14.5', buildVersion: '23F79', cellular: false },
  AppleTV: { model: 'Apple TV 4K (3rd generation)', productName: 'AppleTV14,1', osVersion: '17.5', buildVersion: '21L569', cellular: false },
};

export interface SimulatedDeviceOptions {
  serial: string;
  family: SimFamily;
  udid?: string;
  model?: string;
  productName?: string;
  osVersion?: string;
  buildVersion?: string;
  language?: string;
  keys?: KeySource;
  fetchImpl?: FetchImpl;
  now?: () => Date;
}

export interface EnrolOptions {
  /** Orchard's base URL: activation is `<url>/enroll/cloud-config`. */
  orchardUrl?: string;
  /** Another MDM's enrolment URL: skip activation and POST MachineInfo there. */
  enrolUrl?: string;
  credentials?: { email: string; password: string };
  anchors?: X509Certificate[];
}

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) n *= 2;
    sum += n > 9 ? n - 9 : n;
  }
  return (10 - (sum % 10)) % 10;
}

export class SimulatedDevice {
  readonly serial: string;
  readonly udid: string;
  readonly family: SimFamily;
  readonly model: string;
  readonly productName: string;
  readonly osVersion: string;
  readonly buildVersion: string;
  readonly language: string;
  readonly imei?: string;
  readonly deviceName: string;
  readonly keys: KeySource;
  private readonly fetchImpl?: FetchImpl;
  private readonly now: () => Date;

  attestation?: Identity;
  activationAnchors: X509Certificate[] = [];
  /** After enrolment: the identity the MDM knows this device by, and the installed profile. */
  mdmIdentity?: Identity;
  profile?: PlistDict;
  profileVerified = false;
  mdm?: InstalledMdm;
  cloudConfig?: PlistDict;

  constructor(o: SimulatedDeviceOptions) {
    const d = DEFAULTS[o.family];
    this.serial = o.serial;
    this.family = o.family;
    // iOS UDIDs since 2018: 8 hex, dash, 16 hex.
    this.udid = o.udid ?? `${randomBytes(4).toString('hex')}-${randomBytes(8).toString('hex')}`.toUpperCase();
    this.model = o.model ?? d.model;
    this.productName = o.productName ?? d.productName;
    this.osVersion = o.osVersion ?? d.osVersion;
    this.buildVersion = o.buildVersion ?? d.buildVersion;
    this.language = o.language ?? 'en';
    if (d.cellular) {
      const body = `35${String(parseInt(randomBytes(6).toString('hex'), 16)).padStart(12, '0').slice(0, 12)}`;
      this.imei = body + luhnDigit(body);
    }
    this.deviceName = `${o.family === 'AppleTV' ? 'Apple TV' : o.family} ${this.serial.slice(-4)}`;
    this.keys = o.keys ?? freshKeys;
    this.fetchImpl = o.fetchImpl;
    this.now = o.now ?? (() => new Date());
  }

  /** From the factory: a device identity certified by Orchard's device attestation CA. */
  async obtainIdentity(orchardUrl: string, adminToken: string): Promise<void> {
    const a = await obtainDeviceAttestation({ orchardUrl, adminToken, serial: this.serial, udid: this.udid, keys: this.keys, fetchImpl: this.fetchImpl });
    this.attestation = a.identity;
    this.activationAnchors = a.activationAnchors;
  }

  /** Walks Setup Assistant; on success the device holds its MDM identity and profile. */
  async enrol(o: EnrolOptions): Promise<SetupOutcome> {
    if (!this.attestation) throw new Error('the device has no identity yet: call obtainIdentity first');
    const outcome = await walkSetupAssistant({
      serial: this.serial, udid: this.udid, productName: this.productName, buildVersion: this.buildVersion, osVersion: this.osVersion,
      imei: this.imei, language: this.language, attestation: this.attestation, activationAnchors: this.activationAnchors, keys: this.keys,
    }, {
      activationUrl: o.orchardUrl ? `${o.orchardUrl.replace(/\/+$/, '')}/enroll/cloud-config` : undefined,
      enrolUrl: o.enrolUrl, credentials: o.credentials, anchors: o.anchors, now: this.now, fetchImpl: this.fetchImpl,
    });
    if (outcome.state === 'enrolled') {
      this.mdmIdentity = outcome.identity;
      this.profile = outcome.profile;
      this.profileVerified = outcome.profileVerified;
      this.mdm = outcome.mdm;
      this.cloudConfig = outcome.cloudConfig;
    }
    return outcome;
  }

  /** The facts the MDM half reports (DeviceInformation, check-in). */
  get facts() {
    return {
      udid: this.udid, serial: this.serial, model: this.model, productName: this.productName, osVersion: this.osVersion,
      buildVersion: this.buildVersion, deviceName: this.deviceName, family: this.family,
    };
  }
}
