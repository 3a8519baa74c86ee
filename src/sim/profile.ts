// What a device does with a .mobileconfig before installing it: check the CMS signature (a
// broken one is refused), decide whether the signer is trusted ("Verified" in Settings, or
// "Not Verified" — which still installs, as on iOS), and read the payloads it needs.
import type { X509Certificate } from 'node:crypto';
import { cmsVerify } from '../crypto/cms.js';
import { CryptoError } from '../crypto/types.js';
import { dataOf, parsePlistDict, type PlistDict, type PlistValue } from '../plist/index.js';

export interface OpenedProfile {
  profile: PlistDict;
  /** The profile was signed (CMS) and the signature verified. */
  signed: boolean;
  /** The signer chains to one of the device's anchors. */
  verified: boolean;
  signer?: X509Certificate;
}

/** Opens a signed (DER CMS) or plain XML profile. Throws on a signature that does not verify. */
export function openProfile(body: Buffer, anchors: X509Certificate[], now: Date): OpenedProfile {
  if (body[0] !== 0x30) return { profile: parsePlistDict(body), signed: false, verified: false };
  const v = cmsVerify(body);
  let verified = false;
  if (anchors.length > 0) {
    try {
      cmsVerify(body, { trustAnchors: anchors, at: now });
      verified = true;
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
    }
  }
  return { profile: parsePlistDict(v.content), signed: true, verified, signer: v.signer };
}

export function payloads(profile: PlistDict): PlistDict[] {
  const content = profile.PayloadContent;
  if (profile.PayloadType !== 'Configuration' || !Array.isArray(content)) {
    throw new Error('not a configuration profile (PayloadType Configuration with a PayloadContent array)');
  }
  return content.filter((p): p is PlistDict => typeof p === 'object' && p !== null && !Array.isArray(p) && !(p instanceof Date) && !ArrayBuffer.isView(p));
}

export function payloadOfType(profile: PlistDict, type: string): PlistDict | undefined {
  return payloads(profile).find((p) => p.PayloadType === type);
}

export function str(v: PlistValue | undefined, what: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new Error(`profile: ${what} is missing`);
  return v;
}

export { dataOf };
