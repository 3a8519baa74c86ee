// Which devices an app can be installed on through MDM, and which device licences Apple allows.
// supportedPlatforms values follow Apple's ResponseAsset (iOS covers iPadOS); minimum versions
// are those of InstallApplication (PROTOCOLS.md Part 2 §6), raised to where device-based VPP
// assignment exists (iOS 9, OS X 10.11: Apple's "Distributing apps using device assignment").
export const SUPPORTED_PLATFORMS = ['iOS', 'macOS', 'tvOS', 'watchOS', 'visionOS'] as const;
export type SupportedPlatform = (typeof SUPPORTED_PLATFORMS)[number];

export const DEVICE_FAMILIES = ['iPhone', 'iPad', 'iPod', 'Mac', 'AppleTV', 'AppleWatch', 'VisionPro'] as const;
export type DeviceFamily = (typeof DEVICE_FAMILIES)[number];

export const PLATFORM_OF_FAMILY: Record<DeviceFamily, SupportedPlatform> = {
  iPhone: 'iOS', iPad: 'iOS', iPod: 'iOS', Mac: 'macOS', AppleTV: 'tvOS', AppleWatch: 'watchOS', VisionPro: 'visionOS',
};

export const MIN_OS_FOR_DEVICE_LICENCE: Record<SupportedPlatform, string> = {
  iOS: '9.0', macOS: '10.11', tvOS: '10.2', watchOS: '10.0', visionOS: '1.1',
};

/** Compares dotted versions numerically: "10.11" > "10.9". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

export type PlatformRefusal = 'platform_not_supported' | 'device_family_not_supported' | 'os_too_old';

/**
 * Whether an app runs on a device: its platform must be supported; an iPad-only app does not run
 * on an iPhone (an iPhone app does run on an iPad, in compatibility mode); the OS must meet both
 * the device-licence minimum and the app's own minimum.
 */
export function checkPlatform(
  app: { platforms: readonly string[]; iosDevices: readonly string[]; minOs: Partial<Record<string, string>> },
  device: { family: DeviceFamily; osVersion: string },
): PlatformRefusal | undefined {
  const platform = PLATFORM_OF_FAMILY[device.family];
  if (!platform || !app.platforms.includes(platform)) return 'platform_not_supported';
  if (platform === 'iOS' && app.iosDevices.length && device.family !== 'iPad' && !app.iosDevices.includes('iPhone')) {
    return 'device_family_not_supported';
  }
  if (compareVersions(device.osVersion, MIN_OS_FOR_DEVICE_LICENCE[platform]) < 0) return 'os_too_old';
  const appMin = app.minOs[platform];
  if (appMin && compareVersions(device.osVersion, appMin) < 0) return 'os_too_old';
  return undefined;
}
