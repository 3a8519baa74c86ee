// What a simulated iPhone, iPad, Mac or Apple TV answers to each command: Apple's response keys,
// values shaped like real devices' (per platform), and state that commands change (installed
// apps and profiles, awaiting configuration). Apple: each command's page under
// developer.apple.com/documentation/devicemanagement/ ("Example request and response").
import { parsePlistDict, type PlistDict, type PlistValue, dataOf } from '../plist/index.js';

export interface SimDeviceFacts {
  udid: string;
  serialNumber: string;
  /** iPhone | iPad | Mac | AppleTV */
  family: 'iPhone' | 'iPad' | 'Mac' | 'AppleTV';
  model: string;
  modelName: string;
  productName: string;
  osVersion: string;
  buildVersion: string;
  deviceName: string;
  imei?: string;
}

export interface SimApp {
  Identifier: string;
  Name: string;
  Version: string;
  ShortVersion: string;
  BundleSize: number;
  managed?: boolean;
}

export interface SimState {
  apps: SimApp[];
  profiles: Array<{ PayloadIdentifier: string; PayloadUUID: string; PayloadDisplayName: string; IsManaged: boolean }>;
  awaitingConfiguration: boolean;
  enrolledViaDep: boolean;
  supervised: boolean;
}

const app = (Identifier: string, Name: string, ShortVersion: string, Version: string, BundleSize: number): SimApp => ({ Identifier, Name, Version, ShortVersion, BundleSize });

export function initialState(f: SimDeviceFacts): SimState {
  const apps =
    f.family === 'Mac'
      ? [app('com.apple.Safari', 'Safari', '17.4', '19618.1.15.11.12', 93_458_432), app('com.apple.iWork.Keynote', 'Keynote', '14.0', '7038.0.86', 652_136_448), app('com.tinyspeck.slackmacgap', 'Slack', '4.37.94', '437094', 412_303_360)]
      : f.family === 'AppleTV'
        ? [app('com.google.ios.youtube', 'YouTube', '2.03.02', '2.03.02', 96_747_520), app('com.netflix.Netflix', 'Netflix', '3.0.1', '3123', 132_120_576)]
        : [app('com.apple.Keynote', 'Keynote', '14.0', '7038.0.86', 592_502_784), app('com.microsoft.Office.Outlook', 'Microsoft Outlook', '4.2411.0', '4.2411.0', 361_238_528), app('com.tinyspeck.chatlyio', 'Slack', '24.05.10', '24.05.10.0', 242_106_368)];
  return { apps, profiles: [], awaitingConfiguration: false, enrolledViaDep: true, supervised: true };
}

const GB = 1024 ** 3;

function deviceInformation(f: SimDeviceFacts, s: SimState, queries: string[]): PlistDict {
  const mobile = f.family === 'iPhone' || f.family === 'iPad';
  const all: Record<string, PlistValue> = {
    UDID: f.udid, SerialNumber: f.serialNumber, DeviceName: f.deviceName, OSVersion: f.osVersion, BuildVersion: f.buildVersion,
    Model: f.model, ModelName: f.modelName, ProductName: f.productName, IsSupervised: s.supervised, AwaitingConfiguration: s.awaitingConfiguration,
    DeviceCapacity: f.family === 'Mac' ? 460.43 : f.family === 'AppleTV' ? 29.31 : 119.19,
    AvailableDeviceCapacity: f.family === 'Mac' ? 311.8 : f.family === 'AppleTV' ? 21.07 : 84.52,
    WiFiMAC: 'f0:18:98:3a:6c:21', BluetoothMAC: 'f0:18:98:3a:6c:22', IsActivationLockEnabled: false, IsCloudBackupEnabled: mobile,
    Languages: ['en-GB', 'fr-FR'], Locales: ['en_GB'], TimeZone: 'Europe/London',
  };
  if (mobile) Object.assign(all, { BatteryLevel: 0.82, IsDeviceLocatorServiceEnabled: true, ModemFirmwareVersion: f.family === 'iPhone' ? '2.60.02' : '' });
  if (f.imei) Object.assign(all, { IMEI: f.imei, MEID: f.imei.slice(0, 14), ICCID: '89 44 10 00 00 00 12 34 56 7', CurrentCarrierNetwork: 'Vodafone UK' });
  if (f.family === 'Mac') Object.assign(all, { IsAppleSilicon: true, SupportsLOMDevice: false, HostName: `${f.deviceName.replace(/\W+/g, '-')}.local`, LocalHostName: f.deviceName.replace(/\W+/g, '-') });
  if (f.family === 'AppleTV') Object.assign(all, { IsMultiUser: false });
  const out: PlistDict = {};
  for (const q of queries) if (all[q] !== undefined) out[q] = all[q]!;
  return { QueryResponses: out };
}

function securityInfo(f: SimDeviceFacts, s: SimState): PlistDict {
  const ManagementStatus = { EnrolledViaDEP: s.enrolledViaDep, IsUserEnrollment: false, UserApprovedEnrollment: true };
  if (f.family === 'Mac') {
    return { SecurityInfo: {
      FDE_Enabled: true, SystemIntegrityProtectionEnabled: true, AuthenticatedRootVolumeEnabled: true, RemoteDesktopEnabled: false,
      FirewallSettings: { FirewallEnabled: true, BlockAllIncoming: false, StealthMode: false }, SecureBoot: { SecureBootLevel: 'full' },
      BootstrapTokenAllowedForAuthentication: 'allowed', IsRecoveryLockEnabled: false, ManagementStatus,
    } };
  }
  if (f.family === 'AppleTV') return { SecurityInfo: { ManagementStatus } };
  return { SecurityInfo: {
    HardwareEncryptionCaps: 3, PasscodePresent: true, PasscodeCompliant: true, PasscodeCompliantWithProfiles: true, PasscodeLockGracePeriodEnforced: 0,
    ManagementStatus,
  } };
}

const STORE_APPS: Record<number, [string, string]> = {
  361309726: ['com.apple.Pages', 'Pages'], 361285480: ['com.apple.Keynote', 'Keynote'], 361304891: ['com.apple.Numbers', 'Numbers'],
};

export interface SimAnswer {
  status: 'Acknowledged' | 'Error' | 'CommandFormatError';
  keys?: PlistDict;
}

const error = (code: number, text: string): SimAnswer => ({
  status: 'Error', keys: { ErrorChain: [{ ErrorCode: code, ErrorDomain: 'MCMDMErrorDomain', LocalizedDescription: text, USEnglishDescription: text }] },
});

/** The device's answer to one command; mutates `s` as the command would. */
export function answerCommand(f: SimDeviceFacts, s: SimState, cmd: PlistDict): SimAnswer {
  const type = cmd.RequestType;
  switch (type) {
    case 'DeviceInformation': {
      const q = cmd.Queries;
      if (!Array.isArray(q)) return { status: 'CommandFormatError' };
      return { status: 'Acknowledged', keys: deviceInformation(f, s, q as string[]) };
    }
    case 'SecurityInfo': return { status: 'Acknowledged', keys: securityInfo(f, s) };
    case 'InstalledApplicationList': {
      const ids = Array.isArray(cmd.Identifiers) ? (cmd.Identifiers as string[]) : undefined;
      const list = s.apps.filter((a) => (!ids || ids.includes(a.Identifier)) && (!cmd.ManagedAppsOnly || a.managed));
      return { status: 'Acknowledged', keys: { InstalledApplicationList: list.map(({ managed: _m, ...a }) => ({ ...a, Installing: false, IsValidated: true })) } };
    }
    case 'ManagedApplicationList': {
      const managed = Object.fromEntries(s.apps.filter((a) => a.managed).map((a) => [a.Identifier, {
        Status: 'Managed', ManagementFlags: 1, HasConfiguration: false, HasFeedback: false, IsValidated: true, ExternalVersionIdentifier: 0,
      }]));
      return { status: 'Acknowledged', keys: { ManagedApplicationList: managed } };
    }
    case 'InstallApplication': {
      const storeId = typeof cmd.iTunesStoreID === 'number' ? cmd.iTunesStoreID : undefined;
      const known = storeId !== undefined ? STORE_APPS[storeId] : undefined;
      const id = typeof cmd.Identifier === 'string' ? cmd.Identifier : known?.[0] ?? (storeId !== undefined ? `com.example.store${storeId}` : 'com.example.enterprise');
      const existing = s.apps.find((a) => a.Identifier === id);
      if (existing) existing.managed = true;
      else s.apps.push({ ...app(id, known?.[1] ?? id.split('.').pop()!, '1.0', '1', 48_234_496), managed: true });
      return { status: 'Acknowledged', keys: { Identifier: id, State: 'Queued' } };
    }
    case 'InstallEnterpriseApplication': return { status: 'Acknowledged' };
    case 'RemoveApplication': {
      const i = s.apps.findIndex((a) => a.Identifier === cmd.Identifier && a.managed);
      if (i < 0) return error(12029, 'The app is not managed.');
      s.apps.splice(i, 1);
      return { status: 'Acknowledged' };
    }
    case 'InstallProfile': {
      const payload = dataOf(cmd.Payload);
      try {
        const p = parsePlistDict(payload ?? Buffer.alloc(0));
        s.profiles = s.profiles.filter((x) => x.PayloadIdentifier !== p.PayloadIdentifier);
        s.profiles.push({ PayloadIdentifier: String(p.PayloadIdentifier), PayloadUUID: String(p.PayloadUUID), PayloadDisplayName: String(p.PayloadDisplayName ?? p.PayloadIdentifier), IsManaged: true });
        return { status: 'Acknowledged' };
      } catch {
        return error(4001, 'The profile could not be read.');
      }
    }
    case 'RemoveProfile': {
      const before = s.profiles.length;
      s.profiles = s.profiles.filter((x) => x.PayloadIdentifier !== cmd.Identifier);
      return before === s.profiles.length ? error(4000, 'The profile is not installed.') : { status: 'Acknowledged' };
    }
    case 'ProfileList': return { status: 'Acknowledged', keys: { ProfileList: s.profiles.map((p) => ({ ...p, IsEncrypted: false, PayloadVersion: 1, PayloadContent: [] })) } };
    case 'DeviceLock':
      if (f.family === 'Mac' && typeof cmd.PIN !== 'string') return error(12050, 'A PIN is required to lock a Mac.');
      return { status: 'Acknowledged' };
    case 'EraseDevice':
    case 'RestartDevice':
    case 'ShutDownDevice':
      return { status: 'Acknowledged' };
    case 'DeviceConfigured':
      s.awaitingConfiguration = false;
      return { status: 'Acknowledged' };
    default:
      return error(12021, `Unknown request type: ${String(type)}`);
  }
}
