// A simulated iPhone, iPad, Mac or Apple TV: its facts (serial, UDID, model, OS), its device
// identity from the factory (Orchard's device attestation CA), and after Setup Assistant its
// MDM identity and installed enrolment profile. Then, as a device does once the profile is
// installed: it checks in (Authenticate, TokenUpdate with its push token), holds its APNs
// connection and runs the MDM connect loop only when a push with its PushMagic arrives
// (src/sim/mdm-client.ts, src/sim/push-listener.ts). With the cloud configuration's
// AwaitDeviceConfigured it stays in Setup Assistant until DeviceConfigured
// (developer.apple.com/documentation/devicemanagement/device-configured-command).
import { randomBytes, type X509Certificate } from 'node:crypto';
import type { Identity } from '../crypto/types.js';
import type { PlistDict } from '../plist/index.js';
import { obtainDeviceAttestation } from './identity.js';
import { freshKeys, type KeySource } from './keys.js';
import { MdmClient, type ConnectSummary, type SimDeviceFacts } from './mdm-client.js';
import type { SimState } from './mdm-responses.js';
import { listenForPushes, type PushListener } from './push-listener.js';
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
  /** The APNs token this device registers (32 random bytes by default, as a device's). */
  pushToken?: Buffer;
  fetchImpl?: FetchImpl;
  now?: () => Date;
}

export interface ListenOptions {
  /** Answers NotNow for these request types (a locked device). */
  notNow?: (requestType: string) => boolean;
  onPush?(ours: boolean, apnsId: string | undefined): void;
  onWake?(summary: ConnectSummary): void;
  onError?(err: unknown): void;
  onUnregistered?(timestampMs: number | undefined): void;
}

/** A check-in message the server did not take. */
export class CheckInError extends Error {
  constructor(readonly messageType: string, readonly status: number, readonly body: string) {
    super(`${messageType}: HTTP ${status}${body ? ` ${body.slice(0, 200)}` : ''}`);
    this.name = 'CheckInError';
  }
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
  readonly pushToken: Buffer;
  private readonly fetchImpl?: FetchImpl;
  private client?: MdmClient;
  private pushListener?: PushListener;
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
    this.pushToken = o.pushToken ?? randomBytes(32);
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
      // A new profile: a new MDM client (PushMagic, state) on the next check-in.
      this.stop();
      this.client = undefined;
    }
    return outcome;
  }

  /** The facts the MDM half reports (DeviceInformation, check-in). */
  get facts(): SimDeviceFacts {
    return {
      udid: this.udid, serialNumber: this.serial, family: this.family, model: this.model, modelName: this.model,
      productName: this.productName, osVersion: this.osVersion, buildVersion: this.buildVersion, deviceName: this.deviceName,
      ...(this.imei ? { imei: this.imei } : {}),
    };
  }

  /**
   * The MDM half: the device's client for the server the installed profile names, signing with
   * its MDM identity and registering its own push token. One per enrolment: its PushMagic and
   * state (installed apps, awaiting configuration) persist across check-ins and wakes. `restore`
   * picks up a saved enrolment's PushMagic and state (src/sim/saved-enrolment.ts).
   */
  mdmClient(restore: { pushMagic?: string; state?: SimState } = {}): MdmClient {
    if (!this.mdm || !this.mdmIdentity) throw new Error('the device is not enrolled: walk Setup Assistant first');
    if (this.client && !restore.pushMagic && !restore.state) return this.client;
    this.client = new MdmClient({
      identity: this.mdmIdentity, serverUrl: this.mdm.serverUrl, checkInUrl: this.mdm.checkInUrl, topic: this.mdm.topic,
      device: this.facts, pushToken: this.pushToken, pushMagic: restore.pushMagic, state: restore.state, fetchImpl: this.fetchImpl,
    });
    // The cloud configuration asked the device to wait in Setup Assistant for DeviceConfigured.
    if (!restore.state) this.client.state.awaitingConfiguration = this.cloudConfig?.AwaitDeviceConfigured === true;
    return this.client;
  }

  /**
   * Still in Setup Assistant: not enrolled yet, or enrolled under a configuration with
   * AwaitDeviceConfigured and DeviceConfigured has not arrived.
   */
  get inSetupAssistant(): boolean {
    if (!this.mdm) return true;
    return this.client ? this.client.state.awaitingConfiguration : this.cloudConfig?.AwaitDeviceConfigured === true;
  }

  /**
   * Check-in after the profile is installed (Apple: authenticate, token-update): Authenticate
   * (skipped with `authenticate: false`, as a device that restarts only sends TokenUpdate), then
   * TokenUpdate with its push token, PushMagic and AwaitingConfiguration.
   */
  async checkIn(o: { authenticate?: boolean } = {}): Promise<void> {
    const c = this.mdmClient();
    const ok = async (type: string, reply: Promise<{ status: number; body: Buffer }>) => {
      const r = await reply;
      if (r.status !== 200) throw new CheckInError(type, r.status, r.body.toString('utf8'));
    };
    if (o.authenticate !== false) await ok('Authenticate', c.authenticate());
    await ok('TokenUpdate', c.tokenUpdate({ awaitingConfiguration: c.state.awaitingConfiguration }));
  }

  /**
   * Holds the APNs device channel open (`<deviceChannelUrl>/devices/{token}/stream?topic=<Topic>`)
   * and runs the connect loop on each push carrying this device's PushMagic. It never polls.
   */
  listenForPushes(deviceChannelUrl: string, o: ListenOptions = {}): PushListener {
    const client = this.mdmClient();
    this.pushListener?.close();
    this.pushListener = listenForPushes({ client, deviceChannelUrl, topic: this.mdm!.topic, ...o });
    return this.pushListener;
  }

  /** The push listener, while the device listens. */
  get listener(): PushListener | undefined {
    return this.pushListener;
  }

  /** Checks in, then listens for pushes; resolves once the local APNs has registered the token. */
  async run(deviceChannelUrl: string, o: ListenOptions & { authenticate?: boolean } = {}): Promise<PushListener> {
    await this.checkIn({ authenticate: o.authenticate });
    const listener = this.listenForPushes(deviceChannelUrl, o);
    await listener.ready;
    return listener;
  }

  /** Drops the APNs connection: no more pushes reach the device. */
  stop(): void {
    this.pushListener?.close();
    this.pushListener = undefined;
  }
}
