// The device simulator's MDM half: check-in messages (Authenticate, TokenUpdate, CheckOut ...)
// and the command loop, every request signed with Mdm-Signature (base64 detached CMS over the
// exact body, profile key SignMessage). Answers come from mdm-responses.ts.
// Apple: developer.apple.com/documentation/devicemanagement/check-in and
// …/sending-mdm-commands-to-a-device, …/handling-notnow-status-responses.
import { randomBytes } from 'node:crypto';
import { cmsSign } from '../crypto/cms.js';
import type { Identity } from '../crypto/types.js';
import { buildPlist, parsePlistDict, type PlistDict } from '../plist/index.js';
import { defaultAppStore, type AppStoreLookup } from './app-store.js';
import { answerCommand, initialState, type SimDeviceFacts, type SimState } from './mdm-responses.js';

export type { SimDeviceFacts } from './mdm-responses.js';

export interface MdmReplyRaw {
  status: number;
  body: Buffer;
  contentType?: string;
}

export interface ConnectStep {
  commandUuid: string;
  requestType: string;
  status: 'Acknowledged' | 'Error' | 'CommandFormatError' | 'NotNow';
}

export interface ConnectSummary {
  steps: ConnectStep[];
  /** The status of the last reply that ended the loop (200 with empty body normally). */
  finalStatus: number;
}

type FetchImpl = (url: string, init: { method: string; headers: Record<string, string>; body: Buffer }) => Promise<{ status: number; headers: { get(n: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface MdmClientOptions {
  identity: Identity;
  serverUrl: string;
  checkInUrl: string;
  topic: string;
  device: SimDeviceFacts;
  pushToken?: Buffer;
  /** The PushMagic this device sends in TokenUpdate (a fresh one by default; a saved one on restart). */
  pushMagic?: string;
  /** The device's state to start from (installed apps, awaiting configuration ...); a fresh device's by default. */
  state?: SimState;
  fetchImpl?: FetchImpl;
  /** Where InstallApplication/InstallMedia look up an iTunesStoreID; the App Store stand-in by default. */
  appStore?: AppStoreLookup;
}

export class MdmClient {
  readonly state: SimState;
  readonly pushToken: Buffer;
  readonly pushMagic: string;
  /**
   * Requests sent to the server URL: `idle` counts the connect loops the device started (each
   * one opens with Idle), `reports` the command results. A device that is only woken by pushes
   * has exactly one Idle per connect loop its push listener ran.
   */
  readonly counters = { idle: 0, reports: 0 };
  private readonly fetchImpl: FetchImpl;

  constructor(private readonly opts: MdmClientOptions) {
    this.state = opts.state ?? initialState(opts.device);
    this.pushToken = opts.pushToken ?? randomBytes(32);
    this.pushMagic = opts.pushMagic ?? randomBytes(16).toString('hex').toUpperCase().replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');
    this.fetchImpl = opts.fetchImpl ?? ((url, init) => fetch(url, init));
  }

  get udid() {
    return this.opts.device.udid;
  }

  /** Sends a signed plist; `signWith` lets tests forge a signature with another identity. */
  async send(url: string, contentType: string, msg: PlistDict, signWith: Identity | null = this.opts.identity): Promise<MdmReplyRaw> {
    const body = Buffer.from(buildPlist(msg), 'utf8');
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (signWith) headers['Mdm-Signature'] = cmsSign(body, signWith, { detached: true }).toString('base64');
    const res = await this.fetchImpl(url, { method: 'PUT', headers, body });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? undefined };
  }

  checkin(msg: PlistDict, signWith?: Identity | null) {
    return this.send(this.opts.checkInUrl, 'application/x-apple-aspen-mdm-checkin', msg, signWith);
  }

  private base(): PlistDict {
    return { UDID: this.opts.device.udid, Topic: this.opts.topic };
  }

  authenticate() {
    const d = this.opts.device;
    const msg: PlistDict = {
      MessageType: 'Authenticate', ...this.base(), BuildVersion: d.buildVersion, DeviceName: d.deviceName, Model: d.model,
      ModelName: d.modelName, OSVersion: d.osVersion, ProductName: d.productName, SerialNumber: d.serialNumber,
    };
    if (d.imei) Object.assign(msg, { IMEI: d.imei, MEID: d.imei.slice(0, 14) });
    return this.checkin(msg);
  }

  tokenUpdate(o: { awaitingConfiguration?: boolean; userId?: string; userShortName?: string; userLongName?: string } = {}) {
    this.state.awaitingConfiguration = o.awaitingConfiguration ?? this.state.awaitingConfiguration;
    const msg: PlistDict = {
      MessageType: 'TokenUpdate', ...this.base(), Token: this.pushToken, PushMagic: this.pushMagic,
      AwaitingConfiguration: this.state.awaitingConfiguration,
    };
    if (this.opts.device.family !== 'Mac' && this.opts.device.family !== 'AppleTV' && !o.userId) msg.UnlockToken = randomBytes(64);
    if (o.userId) Object.assign(msg, { UserID: o.userId, UserShortName: o.userShortName ?? 'user', UserLongName: o.userLongName ?? 'User' });
    return this.checkin(msg);
  }

  checkOut() {
    return this.checkin({ MessageType: 'CheckOut', ...this.base() });
  }

  /** One connect request: Idle, or a report with the command's result keys. */
  connect(status: string, extra: PlistDict = {}, signWith?: Identity | null) {
    if (status === 'Idle') this.counters.idle++;
    else this.counters.reports++;
    return this.send(this.opts.serverUrl, 'application/x-apple-aspen-mdm', { Status: status, UDID: this.opts.device.udid, ...extra }, signWith);
  }

  /**
   * Polls with Idle and answers each command until the server has nothing left (an empty 200).
   * `notNow(requestType)` makes the device answer NotNow, as a locked iPhone does for some commands.
   */
  async connectLoop(o: { notNow?: (requestType: string) => boolean; maxSteps?: number } = {}): Promise<ConnectSummary> {
    const steps: ConnectStep[] = [];
    let reply = await this.connect('Idle');
    for (let i = 0; i < (o.maxSteps ?? 200); i++) {
      if (reply.status !== 200 || reply.body.length === 0) return { steps, finalStatus: reply.status };
      const msg = parsePlistDict(reply.body);
      const uuid = String(msg.CommandUUID);
      const cmd = msg.Command as PlistDict;
      const type = String(cmd?.RequestType);
      if (o.notNow?.(type)) {
        steps.push({ commandUuid: uuid, requestType: type, status: 'NotNow' });
        reply = await this.connect('NotNow', { CommandUUID: uuid });
        continue;
      }
      const answer = answerCommand(this.opts.device, this.state, cmd, this.opts.appStore ?? defaultAppStore);
      steps.push({ commandUuid: uuid, requestType: type, status: answer.status });
      reply = await this.connect(answer.status, { CommandUUID: uuid, ...(answer.keys ?? {}) });
    }
    return { steps, finalStatus: reply.status };
  }
}
