// A device's platform from what Authenticate reports (ProductName, else Model): Apple's product
// identifiers start with the family name (iPhone15,2, iPad13,1, AppleTV11,1, Mac14,2, MacBookPro18,3...).
export type Platform = 'iOS' | 'iPadOS' | 'macOS' | 'tvOS' | 'watchOS' | 'visionOS';
export type Family = 'iPhone' | 'iPad' | 'iPod' | 'Mac' | 'AppleTV' | 'Watch' | 'Vision';

export function familyOf(product: string | undefined): Family | undefined {
  if (!product) return undefined;
  if (/^iPhone/i.test(product)) return 'iPhone';
  if (/^iPad/i.test(product)) return 'iPad';
  if (/^iPod/i.test(product)) return 'iPod';
  if (/^AppleTV/i.test(product)) return 'AppleTV';
  if (/^Watch/i.test(product)) return 'Watch';
  if (/^RealityDevice/i.test(product)) return 'Vision';
  if (/^(Mac|iMac|MacBook|Macmini|MacPro|VirtualMac)/i.test(product)) return 'Mac';
  return undefined;
}

const PLATFORM_OF: Record<Family, Platform> = {
  iPhone: 'iOS', iPod: 'iOS', iPad: 'iPadOS', Mac: 'macOS', AppleTV: 'tvOS', Watch: 'watchOS', Vision: 'visionOS',
};

export const platformOf = (family: Family | undefined): Platform | undefined => (family ? PLATFORM_OF[family] : undefined);
