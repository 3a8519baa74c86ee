// MessageType=CheckOut: the MDM profile was removed (CheckOutWhenRemoved). The channel, and a
// device's user channels, become unenrolled: no more commands are delivered, no pushes chosen.
// Apple: developer.apple.com/documentation/devicemanagement/check-out
import { checkinEvent } from '../../business/mdm/events.js';
import { boundDevice } from './bound-channel.js';
import { EMPTY_OK, type CheckinHandler } from './types.js';

export const checkOut: CheckinHandler = async (req, deps) => {
  const device = await boundDevice(deps, req.channel, req.identity);
  await deps.store.enrollments.checkOut(req.channel.id, req.at, checkinEvent(deps.ids, device.orgId, 'CheckOut', req.channel, req.raw, req.at));
  return EMPTY_OK;
};
