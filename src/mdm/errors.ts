// Errors of the device-facing MDM endpoints: a plain-text body and the status Apple's devices
// act on. 401 makes a device drop its MDM profile ("Check-in", legacy MDM protocol reference),
// so it is kept for a missing or bad Mdm-Signature only; an identity that is valid but does not
// belong to the device answers 403, as Apple advises for iOS 17+ (PROTOCOLS.md §4).
export class MdmError extends Error {
  override name = 'MdmError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const badRequest = (m: string) => new MdmError(400, m);
export const unauthorized = (m: string) => new MdmError(401, m);
export const forbidden = (m: string) => new MdmError(403, m);
