// The commands Orchard can queue: Apple's RequestType, the keys of its Command dict with their
// plist types, the platforms whose device (and user) channel accept it, and the keys of the
// device's response. Availability is Apple's "Command availability" table on each page under
// developer.apple.com/documentation/devicemanagement/ (iPadOS follows iOS there).
import type { Platform } from '../platform.js';

export type KeyType = 'string' | 'integer' | 'boolean' | 'data' | 'dict' | 'string[]' | 'data[]' | 'integer[]';

export interface CommandSpec {
  requestType: string;
  /** Apple's page for the command. */
  doc: string;
  deviceChannel: readonly Platform[];
  userChannel: readonly Platform[];
  keys: Readonly<Record<string, KeyType>>;
  required?: readonly string[];
  /** Exactly one of these keys must be present. */
  oneOf?: readonly string[];
  /** Top-level keys of the device's response beside Status, UDID, CommandUUID, ErrorChain. */
  responseKeys: readonly string[];
  /** Further checks on values; returns a message when the command is not acceptable. */
  check?(cmd: Record<string, unknown>): string | undefined;
}

const APPLE = 'https://developer.apple.com/documentation/devicemanagement/';
const IOS_MAC_TV: readonly Platform[] = ['iOS', 'iPadOS', 'macOS', 'tvOS'];
const IOS_MAC: readonly Platform[] = ['iOS', 'iPadOS', 'macOS'];

const SPECS: CommandSpec[] = [
  {
    requestType: 'DeviceInformation', doc: `${APPLE}device-information-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: ['macOS'],
    keys: { Queries: 'string[]' }, required: ['Queries'], responseKeys: ['QueryResponses'],
    check: (c) => ((c.Queries as string[]).length === 0 ? 'Queries must name at least one query' : undefined),
  },
  {
    requestType: 'SecurityInfo', doc: `${APPLE}security-info-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: ['macOS'], keys: {}, responseKeys: ['SecurityInfo'],
  },
  {
    requestType: 'InstalledApplicationList', doc: `${APPLE}installed-application-list-command`,
    deviceChannel: IOS_MAC_TV, userChannel: ['macOS'],
    keys: { Identifiers: 'string[]', ManagedAppsOnly: 'boolean', Items: 'string[]' }, responseKeys: ['InstalledApplicationList'],
  },
  {
    requestType: 'ManagedApplicationList', doc: `${APPLE}managed-application-list-command`,
    deviceChannel: IOS_MAC_TV, userChannel: [], keys: { Identifiers: 'string[]' }, responseKeys: ['ManagedApplicationList'],
  },
  {
    requestType: 'InstallApplication', doc: `${APPLE}install-application-command`,
    deviceChannel: IOS_MAC_TV, userChannel: ['macOS'],
    keys: {
      iTunesStoreID: 'integer', Identifier: 'string', ManifestURL: 'string', ManagementFlags: 'integer', Options: 'dict',
      Configuration: 'dict', Attributes: 'dict', ChangeManagementState: 'string', InstallAsManaged: 'boolean', iOSApp: 'boolean',
    },
    oneOf: ['iTunesStoreID', 'Identifier', 'ManifestURL'], responseKeys: ['Identifier', 'State', 'RejectionReason'],
    check: (c) => {
      const pm = (c.Options as Record<string, unknown> | undefined)?.PurchaseMethod;
      if (pm !== undefined && pm !== 0 && pm !== 1) return 'Options.PurchaseMethod must be 0 (legacy/free) or 1 (volume purchase)';
      if (typeof c.ManifestURL === 'string' && !/^https:\/\//.test(c.ManifestURL)) return 'ManifestURL must be an https URL';
      if (c.ChangeManagementState !== undefined && c.ChangeManagementState !== 'Managed') return 'ChangeManagementState must be "Managed"';
      return undefined;
    },
  },
  {
    requestType: 'InstallEnterpriseApplication', doc: `${APPLE}install-enterprise-application-command`,
    deviceChannel: ['macOS'], userChannel: ['macOS'],
    keys: {
      ManifestURL: 'string', Manifest: 'dict', ManifestURLPinningCerts: 'data[]', PinningRevocationCheckRequired: 'boolean',
      InstallAsManaged: 'boolean', ChangeManagementState: 'string', ManagementFlags: 'integer', Configuration: 'dict',
    },
    oneOf: ['ManifestURL', 'Manifest'], responseKeys: [],
    check: (c) => (typeof c.ManifestURL === 'string' && !/^https:\/\//.test(c.ManifestURL) ? 'ManifestURL must be an https URL' : undefined),
  },
  {
    requestType: 'RemoveApplication', doc: `${APPLE}remove-application-command`,
    deviceChannel: IOS_MAC_TV, userChannel: ['macOS'], keys: { Identifier: 'string' }, required: ['Identifier'], responseKeys: [],
  },
  {
    // Books: a store book by iTunesStoreID (a licence assigned to the user), or a PDF/ePub/iBooks
    // file by MediaURL. Device channel on iOS/iPadOS, user channel on macOS (Apple: install-media-command).
    requestType: 'InstallMedia', doc: `${APPLE}install-media-command`,
    deviceChannel: ['iOS', 'iPadOS'], userChannel: ['macOS'],
    keys: {
      MediaType: 'string', iTunesStoreID: 'integer', MediaURL: 'string', PersistentID: 'string', Kind: 'string', Title: 'string',
      Author: 'string', Version: 'string',
    },
    required: ['MediaType'], oneOf: ['iTunesStoreID', 'MediaURL'], responseKeys: ['iTunesStoreID', 'PersistentID', 'State', 'RejectionReason'],
    check: (c) => {
      if (c.MediaType !== 'Book') return 'MediaType must be "Book"';
      if (c.MediaURL !== undefined && c.PersistentID === undefined) return 'MediaURL needs PersistentID';
      if (c.Kind !== undefined && !['pdf', 'epub', 'ibooks'].includes(String(c.Kind))) return 'Kind must be pdf, epub or ibooks';
      return undefined;
    },
  },
  {
    requestType: 'ManagedMediaList', doc: `${APPLE}managed-media-list-command`,
    deviceChannel: ['iOS', 'iPadOS'], userChannel: ['macOS'], keys: {}, responseKeys: ['Books'],
  },
  {
    requestType: 'InstallProfile', doc: `${APPLE}install-profile-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: ['macOS'], keys: { Payload: 'data' }, required: ['Payload'], responseKeys: [],
  },
  {
    requestType: 'RemoveProfile', doc: `${APPLE}remove-profile-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: ['macOS'], keys: { Identifier: 'string' }, required: ['Identifier'], responseKeys: [],
  },
  {
    requestType: 'ProfileList', doc: `${APPLE}profile-list-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: ['macOS'], keys: { ManagedOnly: 'boolean' }, responseKeys: ['ProfileList'],
  },
  {
    requestType: 'DeviceLock', doc: `${APPLE}device-lock-command`,
    deviceChannel: [...IOS_MAC, 'watchOS', 'visionOS'], userChannel: [],
    keys: { PIN: 'string', Message: 'string', PhoneNumber: 'string', RequestRequiresNetworkTether: 'boolean' }, responseKeys: ['MessageResult'],
    check: (c) => (c.PIN !== undefined && !/^\d{6}$/.test(String(c.PIN)) ? 'PIN must be six digits' : undefined),
  },
  {
    requestType: 'EraseDevice', doc: `${APPLE}erase-device-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: [],
    keys: {
      PIN: 'string', PreserveDataPlan: 'boolean', DisallowProximitySetup: 'boolean', ObliterationBehavior: 'string', ReturnToService: 'dict',
    },
    responseKeys: [],
    check: (c) => (c.PIN !== undefined && !/^\d{6}$/.test(String(c.PIN)) ? 'PIN must be six digits' : undefined),
  },
  {
    requestType: 'RestartDevice', doc: `${APPLE}restart-device-command`,
    deviceChannel: [...IOS_MAC_TV, 'watchOS', 'visionOS'], userChannel: [],
    keys: { NotifyUser: 'boolean', RebuildKernelCache: 'boolean', KextPaths: 'string[]' }, responseKeys: [],
  },
  {
    // Apple: iOS 10.3+, macOS 10.13+; no tvOS ('Shut Down Device', Command availability).
    requestType: 'ShutDownDevice', doc: `${APPLE}shut-down-device-command`,
    deviceChannel: [...IOS_MAC, 'watchOS', 'visionOS'], userChannel: [], keys: {}, responseKeys: [],
  },
  {
    requestType: 'DeviceConfigured', doc: `${APPLE}device-configured-command`,
    deviceChannel: [...IOS_MAC_TV, 'visionOS'], userChannel: [], keys: {}, responseKeys: [],
  },
];

export const CATALOGUE: ReadonlyMap<string, CommandSpec> = new Map(SPECS.map((s) => [s.requestType, s]));

export function specOf(requestType: string): CommandSpec | undefined {
  return CATALOGUE.get(requestType);
}

/** Whether a channel of `platform` accepts `spec`; an unknown platform is not refused here. */
export function availableOn(spec: CommandSpec, platform: string | undefined, channel: 'device' | 'user'): boolean {
  if (!platform) return true;
  return (channel === 'device' ? spec.deviceChannel : spec.userChannel).includes(platform as Platform);
}
