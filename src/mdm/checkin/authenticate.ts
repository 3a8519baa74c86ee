// MessageType=Authenticate: the first check-in after the MDM profile is installed. Orchard ties
// the signer certificate to the organisation that SCEP issued it for (mdm_identities), binds
// sha256(cert) to the UDID, and records the device's facts. Reply: 200 with an empty body.
// Apple: developer.apple.com/documentation/devicemanagement/authenticate
import type { PlistDict } from '../../plist/index.js';
import type { DeviceFacts } from '../../store/enrollments.js';
import { badRequest, forbidden } from '../errors.js';
import { checkinEvent } from '../../business/mdm/events.js';
import { familyOf, platformOf } from '../../business/mdm/platform.js';
import { EMPTY_OK, type CheckinHandler } from './types.js';

const s = (v: unknown) => (typeof v === 'string' && v.length <= 1024 ? v : undefined);

export function factsOf(msg: PlistDict): DeviceFacts {
  const family = familyOf(s(msg.ProductName) ?? s(msg.Model));
  return {
    udid: s(msg.UDID), enrollmentId: s(msg.EnrollmentID), serialNumber: s(msg.SerialNumber), family, platform: platformOf(family),
    model: s(msg.Model), modelName: s(msg.ModelName), productName: s(msg.ProductName), osVersion: s(msg.OSVersion),
    buildVersion: s(msg.BuildVersion), deviceName: s(msg.DeviceName), imei: s(msg.IMEI), meid: s(msg.MEID), topic: s(msg.Topic),
  };
}

export const authenticate: CheckinHandler = async (req, deps) => {
  if (req.channel.userId) throw badRequest('Authenticate is sent on the device channel only');
  if (typeof req.msg.Topic !== 'string') throw badRequest('Authenticate needs Topic');
  const issued = await deps.store.mdmIdentities.get(req.identity.certSha256);
  if (!issued) throw forbidden('the signing identity was not issued by this server');
  if (issued.udid && issued.udid !== req.channel.deviceId) throw forbidden('the signing identity was issued to another device');
  const facts = factsOf(req.msg);
  if (issued.serialNumber && facts.serialNumber && issued.serialNumber !== facts.serialNumber) {
    throw forbidden('the signing identity was issued to another device');
  }
  const existing = await deps.store.enrollments.get(req.channel.id);
  if (existing && existing.orgId !== issued.orgId) throw forbidden('this device is enrolled in another organisation');
  await deps.store.enrollments.authenticate(req.channel.id, issued.orgId, facts, req.identity.certSha256, req.at,
    checkinEvent(deps.ids, issued.orgId, 'Authenticate', req.channel, req.raw, req.at));
  return EMPTY_OK;
};
