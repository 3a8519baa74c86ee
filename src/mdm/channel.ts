// Which enrolment channel a message speaks for. The device channel is keyed by UDID (or, for
// User Enrollment, EnrollmentID); a user channel adds UserID (or EnrollmentUserID).
// Apple: developer.apple.com/documentation/devicemanagement/token-update (UserID, EnrollmentUserID).
import type { PlistDict } from '../plist/index.js';
import { badRequest } from './errors.js';

export interface Channel {
  /** The enrolment row id: device id, or '<device id>:<user id>'. */
  id: string;
  deviceId: string;
  userId?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : undefined);

export function channelOf(msg: PlistDict): Channel {
  const deviceId = str(msg.UDID) ?? str(msg.EnrollmentID);
  if (!deviceId) throw badRequest('UDID or EnrollmentID required');
  if (deviceId.includes(':')) throw badRequest('malformed UDID');
  const userId = str(msg.UserID) ?? str(msg.EnrollmentUserID);
  return userId ? { id: `${deviceId}:${userId}`, deviceId, userId } : { id: deviceId, deviceId };
}
