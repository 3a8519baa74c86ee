// Every check-in after Authenticate (and every connect) must come from the identity that was
// bound to the device at Authenticate (PROTOCOLS.md §5; nanomdm's certauth does the same).
// A valid Orchard identity used for another device is refused with 403, not 401: 401 would make
// the real device behind that UDID drop its profile (see ../errors.ts).
import type { Enrollment } from '../../store/enrollments.js';
import type { Channel } from '../channel.js';
import { forbidden } from '../errors.js';
import type { SignerIdentity } from '../signature.js';
import type { MdmDeps } from './types.js';

/** The device row of `channel`, bound to `identity` and not checked out; else a 403 MdmError. */
export async function boundDevice(deps: MdmDeps, channel: Channel, identity: SignerIdentity): Promise<Enrollment> {
  const device = await deps.store.enrollments.get(channel.deviceId);
  if (!device) throw forbidden(`device ${channel.deviceId} is not enrolled`);
  if (device.certSha256 !== identity.certSha256) throw forbidden('the signing identity does not belong to this device');
  if (device.state === 'unenrolled') throw forbidden(`device ${channel.deviceId} has checked out`);
  return device;
}
